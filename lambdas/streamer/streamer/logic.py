"""What a posted reading is, and the line it becomes in the archive.

A reading is a JSON object: `deviceId` (1-64 letters, digits, `-`, `_`, `.`, `:`), `metric` (1-64 of the
same), a finite number `value`, and optionally `at`, when it was measured (ISO 8601 with a time zone, or
epoch milliseconds). The archive keeps one JSON line per reading: the device id lower-cased, the value as
a float, `at` in UTC (the arrival time when the device sent none) and `receivedAt`, when the stream took it.
Readings of the dropped metrics (`heartbeat` unless configured) only say a device is alive: they are
dropped, not archived.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

NAME = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
Outcome = Literal["Ok", "Dropped", "ProcessingFailed"]


class InvalidReading(ValueError):
    """A record that is not a reading: Firehose writes it, as it came, under the error prefix."""


@dataclass(frozen=True)
class Transformed:
    outcome: Outcome
    line: bytes = b""  # the archived JSON line, newline-terminated, when the outcome is Ok


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _measured_at(raw: Any, arrived: datetime) -> datetime:
    if raw is None:
        return arrived
    if isinstance(raw, bool):
        raise InvalidReading("at must be ISO 8601 with a time zone or epoch milliseconds")
    if isinstance(raw, int | float):
        try:
            millis = float(raw)
            if math.isfinite(millis) and millis >= 0:
                return datetime.fromtimestamp(millis / 1000, UTC)
        except (OverflowError, OSError, ValueError):
            pass
        raise InvalidReading(f"at {str(raw)[:40]} is not epoch milliseconds within range")
    if isinstance(raw, str):
        try:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidReading(f"at {raw[:40]!r} is not ISO 8601") from None
        if moment.tzinfo is None:
            raise InvalidReading(f"at {raw[:40]!r} has no time zone")
        try:
            moment.astimezone(UTC)
        except OverflowError:
            raise InvalidReading(f"at {raw[:40]!r} is out of range") from None
        return moment
    raise InvalidReading("at must be ISO 8601 with a time zone or epoch milliseconds")


def reading_of(data: bytes) -> dict[str, Any]:
    try:
        reading = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise InvalidReading("not JSON") from None
    if not isinstance(reading, dict):
        raise InvalidReading("not a JSON object")
    for field in ("deviceId", "metric"):
        value = reading.get(field)
        if not isinstance(value, str) or not NAME.match(value):
            raise InvalidReading(f"{field} must be 1-64 letters, digits, '-', '_', '.' or ':'")
    value = reading.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidReading("value must be a finite number")
    try:
        if not math.isfinite(float(value)):
            raise InvalidReading("value must be a finite number")
    except OverflowError:
        raise InvalidReading("value must be a finite number") from None
    return reading


def transform(data: bytes, arrived_ms: int, dropped: frozenset[str] = frozenset({"heartbeat"})) -> Transformed:
    """The outcome for one record: its archive line, or Dropped; InvalidReading for what is not a reading."""
    reading = reading_of(data)
    if reading["metric"].lower() in dropped:
        return Transformed("Dropped")
    arrived = datetime.fromtimestamp(arrived_ms / 1000, UTC)
    line = {
        "deviceId": reading["deviceId"].lower(),
        "metric": reading["metric"],
        "value": float(reading["value"]),
        "at": _iso(_measured_at(reading.get("at"), arrived)),
        "receivedAt": _iso(arrived),
    }
    return Transformed("Ok", (json.dumps(line, separators=(",", ":")) + "\n").encode())
