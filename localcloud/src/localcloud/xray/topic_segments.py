"""The segment an SNS topic with active tracing records for a sampled message, as SNS records it: only where
X-Ray's resource policies let `sns.amazonaws.com` send segments for the topic, with a subsegment per
delivery to a queue or function, under which the subscriber continues the trace. A topic in `PassThrough`
(or one X-Ray does not admit) records none and passes the publisher's header on."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from localcloud.xray import resources, traces

_open: dict[str, TopicTrace] = {}  # the topic segments being recorded, by id
_lock = threading.Lock()


@dataclass
class TopicTrace:
    header: traces.TraceHeader  # Parent: the topic's segment
    parent: str | None
    topic_arn: str
    started: float
    deliveries: list[dict[str, Any]] = field(default_factory=list)


def begin(topic: Any, incoming: traces.TraceHeader | None) -> TopicTrace | None:
    if incoming is None or not incoming.sampled or getattr(topic, "tracing_config", None) != "Active":
        return None
    _, _, _, region, account, _ = topic.arn.split(":", 5)
    if not resources.service_may_send(account, region, "sns.amazonaws.com", topic.arn):
        return None
    trace = TopicTrace(incoming.child(traces.new_segment_id(), True), incoming.parent, topic.arn, time.time())
    with _lock:
        _open[str(trace.header.parent)] = trace
    return trace


def delivery(protocol: str, endpoint: str) -> traces.TraceHeader | None:
    """The header one delivery carries, under a subsegment of the topic's segment being recorded (None: no
    topic segment is open for the message being published)."""
    incoming = traces.INCOMING.get()
    with _lock:
        trace = _open.get(incoming.parent or "") if incoming is not None else None
    if trace is None or incoming is None:
        return None
    sub: dict[str, Any] = {"id": traces.new_segment_id(), "start_time": time.time(), "namespace": "aws"}
    if protocol == "sqs":
        _, _, _, region, account, name = endpoint.split(":", 5)
        sub.update(
            name="SQS",
            aws={"operation": "SendMessage", "queue_url": f"https://sqs.{region}.amazonaws.com/{account}/{name}"},
        )
    elif protocol == "lambda":
        sub.update(name="Lambda", aws={"operation": "Invoke", "function_name": endpoint.split(":")[6]})
    else:
        sub.update(name=protocol.upper(), namespace="remote", http={"request": {"url": endpoint}})
    trace.deliveries.append(sub)
    return incoming.child(sub["id"], True)


def finished(trace: TopicTrace) -> None:
    with _lock:
        _open.pop(str(trace.header.parent), None)
    _, _, _, region, account, name = trace.topic_arn.split(":", 5)
    end = time.time()
    for sub in trace.deliveries:
        sub["end_time"] = end
    segment: dict[str, Any] = {
        "id": trace.header.parent,
        "trace_id": trace.header.root,
        "name": name,
        "origin": "AWS::SNS::Topic",
        "start_time": trace.started,
        "end_time": end,
        "resource_arn": trace.topic_arn,
        "aws": {"account_id": account, "topic_arn": trace.topic_arn},
    }
    if trace.deliveries:
        segment["subsegments"] = trace.deliveries
    if trace.parent:
        segment["parent_id"] = trace.parent
    traces.STORE.put(account, region, segment)
