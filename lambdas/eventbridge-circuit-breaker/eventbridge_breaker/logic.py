"""What a failure event is, and what a guard's request may be: plain logic, no AWS calls."""

from __future__ import annotations

import json
import re
from typing import Any

DETAIL_TYPE = "ServiceCallFailed"
SOURCE = "serverless-patterns.circuit-breaker"
PATH = re.compile(r"^/[A-Za-z0-9/_.~%-]{0,500}$")


class InvalidFailureEvent(ValueError):
    """An event on the bus that is not a failure this service records."""


def parse_event(event: dict[str, Any]) -> tuple[str, str, float, str]:
    """(service, event id, when, error) of a ServiceCallFailed event."""
    detail = event.get("detail") if isinstance(event, dict) else None
    if event.get("detail-type") != DETAIL_TYPE or not isinstance(detail, dict):
        raise InvalidFailureEvent(f"not a {DETAIL_TYPE} event")
    service, at = detail.get("service"), detail.get("at")
    if not isinstance(service, str) or not service or not isinstance(at, (int, float)):
        raise InvalidFailureEvent("a failure names its service and when it happened (epoch seconds)")
    return service, str(event.get("id") or ""), float(at), str(detail.get("error") or "unknown")[:500]


def failure_event(service: str, bus: str, status: int | None, detail: str, at: float) -> dict[str, str]:
    """The PutEvents entry a guard publishes for a failed call."""
    return {
        "Source": SOURCE,
        "DetailType": DETAIL_TYPE,
        "EventBusName": bus,
        "Detail": json.dumps({"service": service, "status": status, "error": detail[:500], "at": at}),
    }
