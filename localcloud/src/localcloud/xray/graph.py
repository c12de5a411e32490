"""The service graph X-Ray draws from segments: a node per service, an edge per call between them.

Each segment is a node named by its `name` and typed by its `origin` (`AWS::Lambda::Function`,
`AWS::ApiGateway::Stage`...); a segment whose `parent_id` is an id inside another segment is called by that
segment's node. A subsegment for a downstream call (`namespace` `aws` or `remote`) that no segment continues
is an inferred node: an AWS resource typed from its service (`AWS::DynamoDB::Table`, `AWS::SNS`...) or,
for a remote call, the host it called. A segment whose parent is in no segment of the trace is called by the `client` node.
Statistics are counted per call: ok, error (4xx; 429 a throttle), fault (5xx), and response time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from localcloud.xray import traces

# The service type X-Ray gives an inferred node, from the `aws` subsegment's name (the service's name, or
# its endpoint prefix as the Python SDK names it), compared without case.
AWS_TYPES = {
    "dynamodb": "AWS::DynamoDB::Table",
    "sns": "AWS::SNS",
    "sqs": "AWS::SQS::Queue",
    "lambda": "AWS::Lambda",
    "s3": "AWS::S3::Bucket",
    "kinesis": "AWS::Kinesis::Stream",
    "sts": "AWS::STS",
    "secretsmanager": "AWS::SecretsManager",
    "eventbridge": "AWS::Events",
    "events": "AWS::Events",
    "sfn": "AWS::StepFunctions::StateMachine",
    "states": "AWS::StepFunctions::StateMachine",
    "stepfunctions": "AWS::StepFunctions::StateMachine",
    "kms": "AWS::KMS::Key",
}


@dataclass
class Stats:
    ok: int = 0
    errors: int = 0
    throttles: int = 0
    faults: int = 0
    total_time: float = 0.0

    def count(self, entity: dict[str, Any]) -> None:
        self.total_time += max(0.0, float(entity.get("end_time", entity["start_time"])) - float(entity["start_time"]))
        if outcome(entity) == "fault":
            self.faults += 1
        elif outcome(entity) == "throttle":
            self.throttles += 1
        elif outcome(entity) == "error":
            self.errors += 1
        else:
            self.ok += 1

    def summary(self) -> dict[str, Any]:
        total = self.ok + self.errors + self.throttles + self.faults
        return {
            "OkCount": self.ok,
            "ErrorStatistics": {
                "ThrottleCount": self.throttles,
                "OtherCount": self.errors,
                "TotalCount": self.errors + self.throttles,
            },
            "FaultStatistics": {"OtherCount": self.faults, "TotalCount": self.faults},
            "TotalCount": total,
            "TotalResponseTime": round(self.total_time, 3),
        }


def outcome(entity: dict[str, Any]) -> str:
    status = ((entity.get("http") or {}).get("response") or {}).get("status")
    if entity.get("fault") or (isinstance(status, int) and status >= 500):
        return "fault"
    if entity.get("throttle") or status == 429:
        return "throttle"
    if entity.get("error") or (isinstance(status, int) and 400 <= status < 500):
        return "error"
    return "ok"


@dataclass
class Node:
    reference: int
    name: str | None
    type: str
    account: str | None
    stats: Stats = field(default_factory=Stats)
    edges: dict[int, Stats] = field(default_factory=dict)
    start: float | None = None
    end: float | None = None
    root: bool = False

    def seen(self, entity: dict[str, Any]) -> None:
        start, end = float(entity["start_time"]), float(entity.get("end_time", entity["start_time"]))
        self.start = start if self.start is None else min(self.start, start)
        self.end = end if self.end is None else max(self.end, end)

    def describe(self, start: float, end: float) -> dict[str, Any]:
        service: dict[str, Any] = {
            "ReferenceId": self.reference,
            "Type": self.type,
            "State": "active",
            "StartTime": self.start if self.start is not None else start,
            "EndTime": self.end if self.end is not None else end,
            "Root": self.root,
            "Edges": [
                {
                    "ReferenceId": ref,
                    "StartTime": self.start if self.start is not None else start,
                    "EndTime": self.end if self.end is not None else end,
                    "SummaryStatistics": stats.summary(),
                    "ResponseTimeHistogram": [],
                    "Aliases": [],
                }
                for ref, stats in sorted(self.edges.items())
            ],
            "SummaryStatistics": self.stats.summary(),
            "DurationHistogram": [],
            "ResponseTimeHistogram": [],
        }
        if self.name is not None:
            service["Name"] = self.name
            service["Names"] = [self.name]
        if self.account:
            service["AccountId"] = self.account
        return service


class Graph:
    def __init__(self) -> None:
        self.nodes: dict[tuple[str | None, str], Node] = {}

    def node(self, name: str | None, kind: str, account: str | None = None) -> Node:
        key = (name, kind)
        if key not in self.nodes:
            self.nodes[key] = Node(len(self.nodes), name, kind, account)
        return self.nodes[key]

    def add_trace(self, segments: list[dict[str, Any]], account: str) -> None:
        owner: dict[str, Node] = {}  # every segment and subsegment id -> the node it belongs to
        node_of_segment: dict[str, Node] = {}
        for segment in segments:
            node = self.node(segment["name"], segment.get("origin") or "", account)
            node_of_segment[segment["id"]] = node
            for entity_id in traces.entity_ids(segment):
                owner[entity_id] = node
        calls = {call["id"]: call for segment in segments for call in _downstream_calls(segment)}
        # A call continued by a segment of the service it called is drawn as that segment's node; one that
        # reached another service through it (SNS passing the trace to a subscriber) keeps its own node.
        passed_on: dict[str, Node] = {}
        for segment in segments:
            call = calls.get(segment.get("parent_id") or "")
            if call is not None and not _same_service(_inferred(call)[1], segment.get("origin") or ""):
                passed_on[call["id"]] = self.node(*_inferred(call))
        continued = {segment.get("parent_id") for segment in segments if segment.get("parent_id")}
        for segment in segments:
            node = node_of_segment[segment["id"]]
            node.seen(segment)
            node.stats.count(segment)
            parent = segment.get("parent_id") or ""
            caller = passed_on.get(parent) or owner.get(parent)
            if caller is None:  # the trace's entry (its parent, if any, is a caller that sent no segment)
                caller = self.node(None, "client")
                caller.root = True
            if caller is not node:
                caller.edges.setdefault(node.reference, Stats()).count(segment)
            for call in _downstream_calls(segment):
                if call["id"] in continued and call["id"] not in passed_on:
                    continue  # a segment of the called service stands for it
                inferred = self.node(*_inferred(call))
                inferred.seen(call)
                inferred.stats.count(call)
                node.edges.setdefault(inferred.reference, Stats()).count(call)

    def describe(self, start: float, end: float) -> list[dict[str, Any]]:
        return [node.describe(start, end) for node in sorted(self.nodes.values(), key=lambda n: n.reference)]


def _same_service(inferred_type: str, origin: str) -> bool:
    """Whether a segment continuing a call is the service called (an HTTP call answered by an instrumented
    service always is), not one the called service passed the trace on to."""
    if inferred_type == "remote":
        return True
    return bool(origin) and (origin.startswith(inferred_type) or inferred_type.startswith(origin))


def _downstream_calls(entity: dict[str, Any]) -> list[dict[str, Any]]:
    calls = []
    for sub in entity.get("subsegments") or []:
        if sub.get("namespace") in ("aws", "remote"):
            calls.append(sub)
        else:
            calls += _downstream_calls(sub)
    return calls


def _inferred(call: dict[str, Any]) -> tuple[str, str, str | None]:
    """The name, type and account of the node a downstream call's subsegment stands for."""
    aws = call.get("aws") or {}
    if call.get("namespace") == "aws":
        kind = AWS_TYPES.get(call["name"].lower(), f"AWS::{call['name']}")
        name = aws.get("table_name") or _queue_name(aws.get("queue_url")) or _topic_name(aws.get("topic_arn"))
        return name or call["name"], kind, aws.get("account_id")
    url = ((call.get("http") or {}).get("request") or {}).get("url") or ""
    return urlsplit(url).hostname or call["name"], "remote", None


def _queue_name(url: Any) -> str | None:
    return url.rstrip("/").rsplit("/", 1)[-1] if isinstance(url, str) and url else None


def _topic_name(arn: Any) -> str | None:
    return arn.rsplit(":", 1)[-1] if isinstance(arn, str) and arn else None
