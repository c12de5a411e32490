"""`make up`: apply environments/local on the running local cloud, then smoke-test each pattern.

Prints one row per smoke request: pattern, request, result, time.
Usage: python -m tooling.up [--port 4566] [--skip-apply]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .localcloud.control import LocalCloud, LocalCloudError, healthy
from .terraform import TerraformError, TerraformRoot

ROOT = Path(__file__).resolve().parent.parent
LOCAL_ENV = ROOT / "environments" / "local"


@dataclass
class SmokeResult:
    pattern: str
    request: str
    result: str
    ok: bool
    seconds: float


def _proxy_event(method: str, resource: str, path: str, body: str | None = None,
                 path_parameters: dict[str, str] | None = None) -> dict[str, Any]:
    return {"resource": resource, "path": path, "httpMethod": method, "headers": {"Content-Type": "application/json"},
            "multiValueHeaders": {}, "queryStringParameters": None, "multiValueQueryStringParameters": None,
            "pathParameters": path_parameters, "stageVariables": None, "body": body, "isBase64Encoded": False,
            "requestContext": {"resourcePath": resource, "httpMethod": method, "stage": "v1",
                               "requestId": "smoke", "identity": {"sourceIp": "127.0.0.1"}}}


def smoke_simple_web_service(outputs: dict[str, Any], clients: Callable[[str], Any]) -> list[SmokeResult]:
    lam = clients("lambda")
    functions = outputs["simple_web_service"]["function_names"]
    results = []

    def call(operation: str, request: str, event: dict[str, Any], expect: int) -> dict[str, Any] | None:
        started = time.perf_counter()
        response = lam.invoke(FunctionName=functions[operation], Payload=json.dumps(event))
        payload = json.loads(response["Payload"].read())
        seconds = time.perf_counter() - started
        status = payload.get("statusCode") if isinstance(payload, dict) else None
        ok = "FunctionError" not in response and status == expect
        results.append(SmokeResult("P01 simple-web-service", request, f"{status} {payload.get('body', '')[:60]}"
                                   if status else json.dumps(payload)[:80], ok, seconds))
        return payload if ok else None

    created = call("create", "POST /items {name: smoke}", _proxy_event("POST", "/items", "/items", '{"name": "smoke"}'), 201)
    if created:
        item_id = json.loads(created["body"])["id"]
        call("get", f"GET /items/{item_id[:8]}...", _proxy_event("GET", "/items/{id}", f"/items/{item_id}",
                                                                 path_parameters={"id": item_id}), 200)
    return results


# One smoke check per pattern output of environments/local.
SMOKE_CHECKS: dict[str, Callable[[dict[str, Any], Callable[[str], Any]], list[SmokeResult]]] = {
    "simple_web_service": smoke_simple_web_service,
}


def print_table(results: list[SmokeResult]) -> None:
    headers = ("pattern", "request", "result", "time")
    rows = [(r.pattern, r.request, ("ok   " if r.ok else "FAIL ") + r.result, f"{r.seconds * 1000:.0f} ms")
            for r in results]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(value.ljust(w) for value, w in zip(row, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOCALCLOUD_PORT", "4566")))
    parser.add_argument("--skip-apply", action="store_true", help="only run the smoke requests")
    args = parser.parse_args(argv)
    cloud = LocalCloud(port=args.port)
    if not healthy(cloud.endpoint):
        print(f"error: no local cloud at {cloud.endpoint}; run `make localcloud-start`", file=sys.stderr)
        return 1
    root = TerraformRoot(LOCAL_ENV, env=cloud.environment())
    started = time.perf_counter()
    try:
        if not args.skip_apply:
            root.init()
            root.apply()
            print(f"applied environments/local in {time.perf_counter() - started:.1f} s")
        outputs = root.outputs()
    except (TerraformError, LocalCloudError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    results: list[SmokeResult] = []
    for output_name, check in SMOKE_CHECKS.items():
        if output_name not in outputs:
            results.append(SmokeResult(output_name, "-", "not deployed in environments/local", False, 0.0))
            continue
        results.extend(check(outputs, cloud.client))
    print()
    print_table(results)
    failed = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
