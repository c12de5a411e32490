"""`make up`'s smoke requests for P17 fan-out-fan-in: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, wait_for


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    job_id = f"smoke-{int(time.time())}"
    keys = [f"{job_id}/{n}.txt" for n in range(25)]
    for n, key in enumerate(keys):
        cloud.client("s3").put_object(Bucket=service["documents_bucket_name"], Key=key, Body=b"word " * (n + 1))
    lam = cloud.client("lambda")
    started = time.perf_counter()
    lam.invoke(FunctionName=service["splitter_function_name"], Payload=json.dumps({"jobId": job_id, "keys": keys}))

    def complete() -> dict[str, Any] | None:
        answer = lam.invoke(FunctionName=service["status_function_name"], Payload=json.dumps({"jobId": job_id}))
        state = json.loads(answer["Payload"].read())
        return state if state.get("status") == "COMPLETE" else None

    state = wait_for(complete)
    ok = bool(state) and state["result"]["words"] == sum(range(1, 26))
    result = f"{state['parts']} parts, {state['result']['words']} words" if state else "not complete in 30 s"
    return [Check("Invoke splitter, 25 documents", result, ok, time.perf_counter() - started)]
