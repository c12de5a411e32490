"""Trace ids, trace headers and the segments the local cloud has received, as X-Ray keeps them.

A segment arrives as a JSON document (from the daemon's UDP socket, `PutTraceSegments`, or the local
cloud's own services). A subsegment sent on its own (`"type": "subsegment"`, as the SDKs stream them) is
kept apart and nested into its parent when the trace is read, as X-Ray assembles it. Traces are kept per
account and region for an hour past their last segment (X-Ray keeps 30 days; a local cloud lives hours).
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

TRACE_ID = re.compile(r"^1-[0-9a-f]{8}-[0-9a-f]{24}$")
SEGMENT_ID = re.compile(r"^[0-9a-f]{16}$")
MAX_DOCUMENT_BYTES = 64 * 1024
KEEP_SECONDS = 3600.0


def new_trace_id(now: float | None = None) -> str:
    return f"1-{int(now or time.time()):08x}-{os.urandom(12).hex()}"


def new_segment_id() -> str:
    return os.urandom(8).hex()


@dataclass(frozen=True)
class TraceHeader:
    """`X-Amzn-Trace-Id` / `_X_AMZN_TRACE_ID` / SQS's `AWSTraceHeader`: Root, Parent, Sampled."""

    root: str
    parent: str | None = None
    sampled: bool | None = None  # None: the caller left the decision to the receiver

    @classmethod
    def parse(cls, text: str | None) -> TraceHeader | None:
        """The header's fields; None when it carries no valid Root (X-Ray then starts a new trace)."""
        if not text:
            return None
        fields: dict[str, str] = {}
        for part in text.split(";"):
            key, _, value = part.strip().partition("=")
            fields[key.strip()] = value.strip()
        root = fields.get("Root", "")
        if not TRACE_ID.match(root):
            return None
        sampled = {"1": True, "0": False}.get(fields.get("Sampled", ""))
        parent = fields.get("Parent") if SEGMENT_ID.match(fields.get("Parent", "")) else None
        return cls(root, parent, sampled)

    def child(self, parent: str, sampled: bool) -> TraceHeader:
        return TraceHeader(self.root, parent, sampled)

    def __str__(self) -> str:
        text = f"Root={self.root}"
        if self.parent:
            text += f";Parent={self.parent}"
        if self.sampled is not None:
            text += f";Sampled={int(self.sampled)}"
        return text


# The trace header of the request a service is handling: set by whichever service received it (the Invoke
# API, API Gateway, a queue's message), read by the service it calls next.
INCOMING: ContextVar[TraceHeader | None] = ContextVar("xray_incoming", default=None)


def entity_ids(entity: dict[str, Any]) -> list[str]:
    """The ids of a segment or subsegment and of every subsegment nested in it."""
    ids = [entity["id"]] if isinstance(entity.get("id"), str) else []
    for sub in entity.get("subsegments") or []:
        if isinstance(sub, dict):
            ids += entity_ids(sub)
    return ids


class BadSegment(ValueError):
    def __init__(self, segment_id: str | None, code: str, message: str) -> None:
        super().__init__(message)
        self.segment_id = segment_id
        self.code = code

    def unprocessed(self) -> dict[str, str]:
        answer = {"ErrorCode": self.code, "Message": str(self)}
        if self.segment_id:
            answer["Id"] = self.segment_id
        return answer


def validate(text: str) -> dict[str, Any]:
    """The document, or BadSegment worded as PutTraceSegments' UnprocessedTraceSegments."""
    if len(text.encode()) > MAX_DOCUMENT_BYTES:
        raise BadSegment(None, "InvalidSegment", "Segment document is larger than 64KB.")
    try:
        doc = json.loads(text)
    except ValueError:
        raise BadSegment(None, "InvalidJSON", "Invalid JSON in segment document.") from None
    if not isinstance(doc, dict):
        raise BadSegment(None, "InvalidJSON", "Segment document is not a JSON object.")
    segment_id = doc.get("id") if isinstance(doc.get("id"), str) else None
    if not segment_id or not SEGMENT_ID.match(segment_id):
        raise BadSegment(segment_id, "InvalidId", "Segment id must be 16 hexadecimal digits.")
    if not isinstance(doc.get("trace_id"), str) or not TRACE_ID.match(doc["trace_id"]):
        raise BadSegment(segment_id, "InvalidTraceId", "Invalid trace id.")
    if doc.get("type") == "subsegment":
        if not isinstance(doc.get("parent_id"), str) or not SEGMENT_ID.match(doc["parent_id"]):
            raise BadSegment(segment_id, "MissingParentId", "A subsegment sent on its own needs its parent_id.")
    elif not isinstance(doc.get("name"), str) or not doc["name"]:
        raise BadSegment(segment_id, "MissingName", "Segment name is required.")
    if not isinstance(doc.get("start_time"), int | float):
        raise BadSegment(segment_id, "MissingStartTime", "Segment start_time is required.")
    if not isinstance(doc.get("end_time"), int | float) and doc.get("in_progress") is not True:
        raise BadSegment(segment_id, "MissingEndTime", "Segment end_time or in_progress is required.")
    return doc


@dataclass
class Trace:
    id: str
    account: str
    region: str
    segments: dict[str, dict[str, Any]] = field(default_factory=dict)  # top-level segments by id
    loose: dict[str, dict[str, Any]] = field(default_factory=dict)  # subsegments sent on their own
    updated: float = field(default_factory=time.monotonic)

    def assembled(self) -> list[dict[str, Any]]:
        """The segments with every loose subsegment nested under its parent (copies; a later one wins)."""
        segments = {sid: json.loads(json.dumps(doc)) for sid, doc in self.segments.items()}
        pending = [json.loads(json.dumps(doc)) for doc in self.loose.values()]
        index: dict[str, dict[str, Any]] = {}

        def register(node: dict[str, Any]) -> None:
            index[node["id"]] = node
            for sub in node.get("subsegments") or []:
                if isinstance(sub, dict) and isinstance(sub.get("id"), str):
                    register(sub)

        for doc in segments.values():
            register(doc)
        for doc in pending:
            register(doc)
        for doc in pending:
            parent = index.get(doc.get("parent_id", ""))
            if parent is None or parent is doc:
                continue
            doc.pop("type", None)
            doc.pop("trace_id", None)
            doc.pop("parent_id", None)
            children = parent.setdefault("subsegments", [])
            children[:] = [c for c in children if c.get("id") != doc["id"]] + [doc]
        return sorted(segments.values(), key=lambda d: d.get("start_time", 0))

    def complete(self) -> bool:
        return bool(self.segments) and all("end_time" in doc for doc in self.segments.values())

    def start(self) -> float:
        return min(float(doc["start_time"]) for doc in self.segments.values())

    def end(self) -> float:
        return max(float(doc.get("end_time", doc["start_time"])) for doc in self.segments.values())


class TraceStore:
    """Traces by account, region and id: a trace crossing regions is one trace in each, as X-Ray keeps it."""

    def __init__(self) -> None:
        self._traces: dict[tuple[str, str, str], Trace] = {}
        self._lock = threading.Lock()
        self.received = 0
        self._swept = time.monotonic()

    def put(self, account: str, region: str, doc: dict[str, Any]) -> None:
        with self._lock:
            self.received += 1
            key = (account, region, doc["trace_id"])
            trace = self._traces.get(key)
            if trace is None:
                trace = self._traces[key] = Trace(doc["trace_id"], account, region)
            if doc.get("type") == "subsegment":
                trace.loose[doc["id"]] = doc
            else:
                trace.segments[doc["id"]] = doc
            trace.updated = time.monotonic()
            self._forget_old()

    def _forget_old(self) -> None:
        now = time.monotonic()
        if now - self._swept < 60:
            return
        self._swept = now
        horizon = now - KEEP_SECONDS
        for key in [k for k, trace in self._traces.items() if trace.updated < horizon]:
            del self._traces[key]

    def get(self, account: str, region: str, trace_id: str) -> Trace | None:
        with self._lock:
            return self._traces.get((account, region, trace_id))

    def between(self, account: str, region: str, start: float, end: float) -> list[Trace]:
        """Complete traces of the account and region that started in [start, end]."""
        with self._lock:
            found = [t for t in self._traces.values() if (t.account, t.region) == (account, region) and t.complete()]
        return [t for t in found if start <= t.start() <= end]


STORE = TraceStore()
