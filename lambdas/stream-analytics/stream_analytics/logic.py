"""What a reading on the stream is, and how a window's readings add up.

A reading is one JSON object ending with a newline (the archive Firehose writes from the same stream is then
JSON lines that Athena reads): `sensor` (1-64 letters, digits, `-`, `_`, `.`, `:`) and a finite number
`value`. A window's state is, per sensor, the count, sum, minimum and maximum of its readings so far: Lambda
hands it back with the next batch of the same window, and after the window's last batch the aggregates are
kept, one row per sensor, window and shard (each shard has its own windows).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from typing import Any

NAME = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


class InvalidReading(ValueError):
    """A record that is not a reading: the batch fails, is bisected, and the record ends in the on-failure queue
    (and Firehose keeps it out of the archive, under the failed prefix)."""


@dataclass(frozen=True)
class Reading:
    sensor: str
    value: float


@dataclass(frozen=True)
class Aggregate:
    sensor: str
    window_start: str
    window_end: str
    shard_id: str
    part: str  # "" for a whole window; a part's id when Lambda ended the window early (its state over 1 MB)
    count: int
    total: float
    minimum: float
    maximum: float


def reading_of(data: bytes) -> Reading:
    if not data.endswith(b"\n"):
        raise InvalidReading("a reading must end with a newline (the archive is JSON lines)")
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise InvalidReading("not JSON") from None
    if not isinstance(raw, dict):
        raise InvalidReading("not a JSON object")
    sensor = raw.get("sensor")
    if not isinstance(sensor, str) or not NAME.match(sensor):
        raise InvalidReading("sensor must be 1-64 letters, digits, '-', '_', '.' or ':'")
    value = raw.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidReading("value must be a finite number")
    return Reading(sensor, float(value))


def add(state: dict[str, Any], readings: list[Reading]) -> dict[str, Any]:
    """The window's state with these readings added (a new dict; the one Lambda passed is left alone)."""
    totals = {sensor: dict(values) for sensor, values in state.items()}
    for reading in readings:
        current = totals.get(reading.sensor)
        if current is None:
            totals[reading.sensor] = {"count": 1, "sum": reading.value, "min": reading.value, "max": reading.value}
            continue
        current["count"] += 1
        current["sum"] += reading.value
        current["min"] = min(current["min"], reading.value)
        current["max"] = max(current["max"], reading.value)
    return totals


def part_of(state: dict[str, Any]) -> str:
    """A window Lambda ended early (its state past 1 MB) goes on with a fresh state and ends again: each part
    is kept under an id of its own, the same for a retried final invocation (same state), so parts add up and
    nothing counts twice."""
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]


def aggregates(
    window_start: str, window_end: str, shard_id: str, state: dict[str, Any], *, ended_early: bool = False
) -> list[Aggregate]:
    part = part_of(state) if ended_early else ""
    return [
        Aggregate(sensor, window_start, window_end, shard_id, part, int(v["count"]), float(v["sum"]),
                  float(v["min"]), float(v["max"]))
        for sensor, v in sorted(state.items())
    ]  # fmt: skip


def window_key(aggregate: Aggregate) -> str:
    """The sort key: the window's start and shard (and the part, for a window ended early)."""
    key = f"{aggregate.window_start}#{aggregate.shard_id}"
    return f"{key}#{aggregate.part}" if aggregate.part else key
