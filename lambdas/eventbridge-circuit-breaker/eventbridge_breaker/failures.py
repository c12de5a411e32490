"""Recent failures of a service: recorded from events, expiring after the window, counted by callers."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

DETAIL_TYPE = "ServiceCallFailed"


@dataclass(frozen=True)
class Settings:
    table: str
    window_s: int
    threshold: int


@lru_cache(maxsize=1)
def settings() -> Settings:
    table = os.environ.get("FAILURES_TABLE")
    if not table:
        raise RuntimeError("FAILURES_TABLE not set: the function is misconfigured")
    return Settings(
        table, int(os.environ.get("FAILURE_WINDOW_SECONDS", "60")), int(os.environ.get("FAILURE_THRESHOLD", "3"))
    )


@lru_cache(maxsize=1)
def _dynamodb() -> Any:
    return boto3.client("dynamodb")


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


def record(service: str, event_id: str, at: float, error: str) -> bool:
    """Once per event (EventBridge and Lambda may deliver it twice); expires after the window."""
    rules = settings()
    try:
        _dynamodb().put_item(
            TableName=rules.table,
            ConditionExpression="attribute_not_exists(occurredAt)",
            Item={
                "service": {"S": service},
                "occurredAt": {"S": f"{at:017.3f}#{event_id}"},
                "error": {"S": error},
                "expiresAt": {"N": str(int(at + rules.window_s) + 1)},
            },
        )
    except ClientError as failure:
        if failure.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def recent(service: str, now: float | None = None) -> int:
    """Failures of the service within the window (DynamoDB's TTL deletes late: expiry is checked here too)."""
    rules = settings()
    now = time.time() if now is None else now
    found = _dynamodb().query(
        TableName=rules.table,
        Select="COUNT",
        ConsistentRead=True,
        KeyConditionExpression="service = :s AND occurredAt >= :from",
        FilterExpression="expiresAt > :now",
        ExpressionAttributeValues={
            ":s": {"S": service},
            ":from": {"S": f"{now - rules.window_s:017.3f}"},
            ":now": {"N": str(Decimal(str(round(now, 3))))},
        },
    )
    return int(found["Count"])
