"""The segments Lambda records for a traced invocation, and the trace header it gives the function.

As in AWS: an incoming header that is sampled is traced whatever the mode; one that is not sampled is not;
with no decision upstream, an `Active` function is sampled by Lambda itself (the first request each second
and 5% of the rest, per function; account sampling rules do not apply) and a `PassThrough` one is not.
A sampled invocation records two segments: the Lambda service's (`AWS::Lambda`, its `Attempt #1`, HTTP
status 200 even when the function fails; 429 and a throttle when it is throttled) and the function's
(`AWS::Lambda::Function`, with `Initialization` on a cold start, `Invocation`, `Overhead`; a fault with the
error's cause when the function fails). `_X_AMZN_TRACE_ID` names `Invocation` as the parent, so the
function's own subsegments nest under it; the daemon uploads those as the function's role.
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass
from typing import Any

from localcloud.xray import daemon, traces

FIXED_RATE = 0.05
_reservoir: dict[str, int] = {}  # function ARN -> the second its one reservoir request was used
_lock = threading.Lock()


@dataclass(frozen=True)
class Function:
    arn: str
    name: str
    account: str
    region: str
    role_arn: str
    mode: str  # "Active" or "PassThrough"


@dataclass(frozen=True)
class LambdaTrace:
    function: Function
    header: traces.TraceHeader  # what the function sees as _X_AMZN_TRACE_ID
    upstream_parent: str | None
    service_id: str
    function_id: str
    invocation_id: str
    started: float

    @property
    def sampled(self) -> bool:
        return bool(self.header.sampled)


def _lambda_samples(arn: str) -> bool:
    second = int(time.time())
    with _lock:
        if _reservoir.get(arn) != second:
            _reservoir[arn] = second
            return True
    return random.random() < FIXED_RATE


def begin(function: Function, incoming: traces.TraceHeader | None) -> LambdaTrace:
    if incoming is not None and incoming.sampled is not None:
        sampled = incoming.sampled
    else:
        sampled = function.mode == "Active" and _lambda_samples(function.arn)
    root = incoming.root if incoming is not None else traces.new_trace_id()
    invocation_id = traces.new_segment_id()
    trace = LambdaTrace(
        function,
        traces.TraceHeader(root, invocation_id, sampled),
        incoming.parent if incoming is not None else None,
        traces.new_segment_id(),
        traces.new_segment_id(),
        invocation_id,
        time.time(),
    )
    if sampled:
        owner = daemon.Owner(function.account, function.region, function.role_arn, function.name)
        daemon.OWNERS.expect(invocation_id, owner, root)
    return trace


def _service_segment(trace: LambdaTrace, end: float, request_id: str, status: int) -> dict[str, Any]:
    fn = trace.function
    segment: dict[str, Any] = {
        "id": trace.service_id,
        "trace_id": trace.header.root,
        "name": fn.name,
        "origin": "AWS::Lambda",
        "start_time": trace.started,
        "end_time": end,
        "resource_arn": fn.arn,
        "aws": {"request_id": request_id},
        "http": {"response": {"status": status}},
        "subsegments": [
            {"id": traces.new_segment_id(), "name": "Attempt #1", "start_time": trace.started, "end_time": end}
        ],
    }
    if trace.upstream_parent:
        segment["parent_id"] = trace.upstream_parent
    return segment


def finished(trace: LambdaTrace, invocation: Any) -> None:
    """Record the segments of a sampled invocation that ran (whatever its outcome)."""
    if not trace.sampled:
        return
    fn = trace.function
    end = time.time()
    start = trace.started + 0.0005
    subsegments: list[dict[str, Any]] = []
    init_ms = invocation.init_duration_ms
    if init_ms is not None:  # a cold start
        subsegments.append(
            {
                "id": traces.new_segment_id(),
                "name": "Initialization",
                "start_time": start,
                "end_time": start + init_ms / 1000,
            }
        )
        start += init_ms / 1000
    invocation_end = min(end, start + invocation.duration_ms / 1000)
    invoked: dict[str, Any] = {
        "id": trace.invocation_id,
        "name": "Invocation",
        "start_time": start,
        "end_time": invocation_end,
    }
    subsegments.append(invoked)
    subsegments.append(
        {"id": traces.new_segment_id(), "name": "Overhead", "start_time": invocation_end, "end_time": end}
    )
    function_segment: dict[str, Any] = {
        "id": trace.function_id,
        "trace_id": trace.header.root,
        "parent_id": trace.service_id,
        "name": fn.name,
        "origin": "AWS::Lambda::Function",
        "start_time": trace.started + 0.0002,
        "end_time": end,
        "resource_arn": fn.arn,
        "aws": {"account_id": fn.account, "function_arn": fn.arn, "resource_names": [fn.name]},
        "subsegments": subsegments,
    }
    if invocation.error_type is not None:
        cause = {"working_directory": "/var/task", "paths": [], "exceptions": [_exception(invocation)]}
        function_segment["fault"] = True
        function_segment["cause"] = cause
        invoked["fault"] = True
    service = _service_segment(trace, end, invocation.request_id, 200)
    traces.STORE.put(fn.account, fn.region, service)
    traces.STORE.put(fn.account, fn.region, function_segment)


def throttled(trace: LambdaTrace) -> None:
    if not trace.sampled:
        return
    segment = _service_segment(trace, time.time(), "", 429)
    segment.update({"throttle": True, "error": True})
    traces.STORE.put(trace.function.account, trace.function.region, segment)


def _exception(invocation: Any) -> dict[str, Any]:
    try:
        error = json.loads(invocation.payload)
    except ValueError:
        error = {}
    return {
        "id": traces.new_segment_id(),
        "message": str(error.get("errorMessage", "")),
        "type": str(error.get("errorType", invocation.error_type)),
        "remote": False,
    }
