"""The service's notification contract, made from an EventBridge event: plain functions, no AWS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class InvalidSourceEvent(ValueError):
    """The source event cannot become a notification; the invocation fails and, after its retries,
    the event lands in the trigger's dead-letter queue."""


@dataclass(frozen=True)
class Notification:
    event_id: str
    event_type: str
    service: str
    source: str
    subject: str
    occurred_at: str
    data: dict[str, Any]

    def message(self) -> dict[str, Any]:
        """What subscribers receive: stable field names whatever the source's shape."""
        return {
            "eventId": self.event_id,
            "eventType": self.event_type,
            "service": self.service,
            "source": self.source,
            "subject": self.subject,
            "occurredAt": self.occurred_at,
            "data": self.data,
        }


def notification_from(event: dict[str, Any], service: str) -> Notification:
    """Every notification names the entity it is about (`detail.id`): subscribers key their work on it."""
    for field in ("id", "detail-type", "source", "time"):
        if not isinstance(event.get(field), str) or not event[field]:
            raise InvalidSourceEvent(f"not an EventBridge event: '{field}' is missing")
    detail = event.get("detail")
    if not isinstance(detail, dict):
        raise InvalidSourceEvent(f"event {event['id']}: detail must be an object")
    subject = detail.get("id")
    if not isinstance(subject, str) or not subject.strip():
        raise InvalidSourceEvent(
            f"event {event['id']} ({event['detail-type']}): detail.id, the entity it is about, is required"
        )
    return Notification(
        event_id=event["id"],
        event_type=event["detail-type"],
        service=service,
        source=event["source"],
        subject=subject.strip(),
        occurred_at=event["time"],
        data=detail,
    )
