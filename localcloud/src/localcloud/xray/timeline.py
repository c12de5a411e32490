"""Traces drawn as timelines in a terminal (`localcloud traces`), as X-Ray's console draws a trace: each
segment under the one that called it, each subsegment under its parent, a bar where it ran."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.xray import graph, traces

LABEL_WIDTH = 46


def _flag(entity: dict[str, Any]) -> str:
    outcome = graph.outcome(entity)
    status = ((entity.get("http") or {}).get("response") or {}).get("status")
    text = "" if outcome == "ok" else outcome.upper()
    return " ".join(str(part) for part in (status, text) if part)


def render(trace_id: str, segments: list[dict[str, Any]], width: int = 40) -> str:
    """One trace: a header line, then a line per segment and subsegment with its bar and duration."""
    if not segments:
        return f"{trace_id}  (no segments yet)"
    start = min(float(s["start_time"]) for s in segments)
    end = max(float(s.get("end_time", s["start_time"])) for s in segments)
    span = max(end - start, 1e-6)

    lines = [f"{trace_id}  {span * 1000:.1f} ms  {time.strftime('%H:%M:%S', time.localtime(start))}"]

    def bar(entity: dict[str, Any]) -> str:
        begin = float(entity["start_time"])
        finish = float(entity.get("end_time", begin))
        left = int((begin - start) / span * width)
        length = max(1, round((finish - begin) / span * width))
        return " " * left + "#" * min(length, width - left) + " " * max(0, width - left - length)

    def line(entity: dict[str, Any], depth: int, label: str) -> None:
        duration = (float(entity.get("end_time", entity["start_time"])) - float(entity["start_time"])) * 1000
        text = ("  " * depth + label)[:LABEL_WIDTH].ljust(LABEL_WIDTH)
        lines.append(f"{text} |{bar(entity)}| {duration:8.1f} ms {_flag(entity)}".rstrip())

    def walk_subsegments(entity: dict[str, Any], depth: int) -> None:
        for sub in sorted(entity.get("subsegments") or [], key=lambda s: float(s["start_time"])):
            line(sub, depth, sub["name"])
            walk_subsegments(sub, depth + 1)
            for child in called_from(sub["id"]):
                walk_segment(child, depth + 1)

    def called_from(entity_id: str) -> list[dict[str, Any]]:
        return sorted((s for s in segments if s.get("parent_id") == entity_id), key=lambda s: float(s["start_time"]))

    def walk_segment(segment: dict[str, Any], depth: int) -> None:
        origin = f" ({segment['origin']})" if segment.get("origin") else ""
        line(segment, depth, f"{segment['name']}{origin}")
        walk_subsegments(segment, depth + 1)
        for child in called_from(segment["id"]):
            walk_segment(child, depth + 1)

    inner = {i for segment in segments for i in traces.entity_ids(segment)}
    # The entries: segments whose caller sent no segment of this trace.
    for entry in sorted((s for s in segments if s.get("parent_id") not in inner), key=lambda s: float(s["start_time"])):
        walk_segment(entry, 1)
    return "\n".join(lines)


def latest(xray: Any, minutes: float, limit: int, expression: str | None) -> list[str]:
    """The latest traces of the last `minutes`, newest first, each rendered."""
    now = time.time()
    params: dict[str, Any] = {"StartTime": now - minutes * 60, "EndTime": now + 1}
    if expression:
        params["FilterExpression"] = expression
    summaries = xray.get_trace_summaries(**params)["TraceSummaries"][:limit]
    rendered = []
    for summary in summaries:
        for trace in xray.batch_get_traces(TraceIds=[summary["Id"]])["Traces"]:
            segments = [json.loads(s["Document"]) for s in trace["Segments"]]
            rendered.append(render(trace["Id"], segments))
    return rendered
