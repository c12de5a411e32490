"""What a fanned-out event is: plain functions, no AWS."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


class PoisonMessage(Exception):
    """An event that can never be handled; it ends in the subscriber's dead-letter queue after its retries."""


@dataclass(frozen=True)
class FannedEvent:
    event_id: str
    event_type: str
    detail: dict[str, Any]


def parse_event(body: str, attributes: dict[str, Any]) -> FannedEvent:
    """The API publishes the request body as the message; its id and type travel as message attributes."""
    event_id = _attribute(attributes, "eventId")
    event_type = _attribute(attributes, "eventType")
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise PoisonMessage(f"{event_id}: body is not JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("detail", {}), dict):
        raise PoisonMessage(f"{event_id}: body must be an object whose detail is an object")
    if data.get("type") != event_type:
        raise PoisonMessage(f"{event_id}: body type {data.get('type')!r} differs from attribute {event_type!r}")
    return FannedEvent(event_id=event_id, event_type=event_type, detail=data.get("detail", {}))


def _attribute(attributes: dict[str, Any], name: str) -> str:
    value = (attributes.get(name) or {}).get("stringValue")
    if not value:
        raise PoisonMessage(f"message attribute {name} is missing: not published through the API")
    return str(value)
