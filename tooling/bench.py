"""`make bench`: local Lambda invoke latency, cold and warm, written to build/bench/lambda-invoke.json.

Starts its own local cloud on a free port, so it never disturbs `make up`.
"""

from __future__ import annotations

import io
import json
import platform
import statistics
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from .localcloud.control import LocalCloud, free_port

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "bench" / "lambda-invoke.json"

NOOP = "def handler(event, context):\n    return {'ok': True}\n"
PUT_ITEM = """
import os, boto3
table = boto3.client("dynamodb")
def handler(event, context):
    table.put_item(TableName=os.environ["TABLE"], Item={"pk": {"S": str(event["n"])}})
    return {"ok": True}
"""


def _zip(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("fn.py", source)
    return buffer.getvalue()


def _percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
        "max_ms": round(ordered[-1], 2),
    }


def run(warm_n: int = 200, cold_n: int = 5) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as state:
        cloud = LocalCloud(port=free_port(), state_dir=Path(state))
        cloud.start()
        try:
            lam, iam, ddb = cloud.client("lambda"), cloud.client("iam"), cloud.client("dynamodb")
            role = iam.create_role(RoleName="bench", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
            ddb.create_table(TableName="bench", BillingMode="PAY_PER_REQUEST",
                             KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                             AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
            results: dict[str, Any] = {}
            for label, source in (("noop", NOOP), ("dynamodb_put_item", PUT_ITEM)):
                lam.create_function(FunctionName=label, Runtime="python3.11", Role=role, Handler="fn.handler",
                                    Code={"ZipFile": _zip(source)}, Environment={"Variables": {"TABLE": "bench"}})

                def timed(n: int, label: str = label) -> float:
                    started = time.perf_counter()
                    response = lam.invoke(FunctionName=label, Payload=json.dumps({"n": n}))
                    response["Payload"].read()
                    assert "FunctionError" not in response, response
                    return (time.perf_counter() - started) * 1000

                cold = []
                for i in range(cold_n):
                    # A configuration change retires the warm worker: the next invoke is a cold start.
                    lam.update_function_configuration(FunctionName=label,
                                                      Environment={"Variables": {"TABLE": "bench", "COLD": str(i)}})
                    cold.append(timed(-1 - i))
                warm = [timed(n) for n in range(warm_n)]
                results[label] = {"cold": _percentiles(cold), "warm": _percentiles(warm)}
            return results
        finally:
            cloud.stop()


def main() -> int:
    results = {
        "benchmark": "local cloud Lambda invoke latency (client-observed, RequestResponse)",
        "machine": {"python": platform.python_version(), "processor": platform.machine()},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "results": run(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'function':20} {'kind':5} {'n':>4} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, kinds in results["results"].items():
        for kind, stats in kinds.items():
            print(f"{name:20} {kind:5} {stats['n']:>4} {stats['p50_ms']:>8} {stats['p99_ms']:>8} {stats['max_ms']:>8}")
    print(f"written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
