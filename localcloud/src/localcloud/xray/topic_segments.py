"""The segment an SNS topic with active tracing records for a sampled message (its subscribers continue
the trace under it); a topic in `PassThrough` records none and passes the publisher's header on."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from localcloud.xray import traces


@dataclass(frozen=True)
class TopicTrace:
    header: traces.TraceHeader  # what the deliveries carry
    parent: str | None
    topic_arn: str
    started: float


def begin(topic: Any, incoming: traces.TraceHeader | None) -> TopicTrace | None:
    if incoming is None or not incoming.sampled or getattr(topic, "tracing_config", None) != "Active":
        return None
    segment_id = traces.new_segment_id()
    return TopicTrace(incoming.child(segment_id, True), incoming.parent, topic.arn, time.time())


def finished(trace: TopicTrace) -> None:
    _, _, _, region, account, name = trace.topic_arn.split(":", 5)
    segment: dict[str, Any] = {
        "id": trace.header.parent,
        "trace_id": trace.header.root,
        "name": name,
        "origin": "AWS::SNS::Topic",
        "start_time": trace.started,
        "end_time": time.time(),
        "resource_arn": trace.topic_arn,
        "aws": {"account_id": account, "topic_arn": trace.topic_arn},
    }
    if trace.parent:
        segment["parent_id"] = trace.parent
    traces.STORE.put(account, region, segment)
