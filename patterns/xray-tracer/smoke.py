"""`make up`'s smoke requests for P28 xray-tracer: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import os
import time
from typing import Any

from localcloud.apigateway.urls import local_url
from localcloud.control import LocalCloud
from tooling.smoke import Check, http

HOPS = ("AWS::ApiGateway::Stage", "AWS::Lambda", "AWS::Lambda::Function", "AWS::SNS::Topic")


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    base = local_url(cloud.endpoint, service["api_id"], service["stage_name"])
    results = []
    # A client that traces its own requests: the order continues its trace, whatever the sampling rule.
    root = f"1-{int(time.time()):08x}-{os.urandom(12).hex()}"
    started = time.perf_counter()
    status, text = http(
        "POST", f"{base}/orders", '{"sku": "smoke", "quantity": 1}', {"X-Amzn-Trace-Id": f"Root={root};Sampled=1"}
    )
    results.append(
        Check("POST /orders {sku: smoke}", f"{status} {text[:60]}", status == 201, time.perf_counter() - started)
    )
    if status == 201:
        started = time.perf_counter()
        origins = _trace_origins(cloud, root)
        missing = [hop for hop in HOPS if hop not in origins]
        shown = f"missing {', '.join(missing)}" if missing else f"{len(origins)} segments, every hop"
        results.append(Check(f"trace {root[:14]}...", shown, not missing, time.perf_counter() - started))
    started = time.perf_counter()
    status, text = http("POST", f"{base}/orders", '{"sku": "smoke", "quantity": 0}')
    results.append(
        Check("POST /orders {quantity: 0}", f"{status} {text[:60]}", status == 400, time.perf_counter() - started)
    )
    return results


def _trace_origins(cloud: LocalCloud, root: str, timeout_s: float = 10.0) -> list[str]:
    """The origins of the trace's segments, once every hop's arrived (or the timeout passed)."""
    xray = cloud.client("xray")
    deadline = time.monotonic() + timeout_s
    while True:
        traces = xray.batch_get_traces(TraceIds=[root])["Traces"]
        origins = [json.loads(s["Document"]).get("origin", "") for t in traces for s in t["Segments"]]
        if all(hop in origins for hop in HOPS) or time.monotonic() > deadline:
            return origins
        time.sleep(0.2)
