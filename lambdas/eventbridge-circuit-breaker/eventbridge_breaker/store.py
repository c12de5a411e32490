"""Recent failures of a service, recorded from events in DynamoDB, expiring after the window; the failure
events a guard publishes (clients made once per cold start)."""

from __future__ import annotations

import time
from decimal import Decimal
from functools import lru_cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

from . import settings


@lru_cache(maxsize=1)
def _dynamodb() -> Any:
    return boto3.client("dynamodb")


def record(service: str, event_id: str, at: float, error: str) -> bool:
    """Once per event (EventBridge and Lambda may deliver it twice); expires after the window."""
    try:
        _dynamodb().put_item(
            TableName=settings.failures_table(),
            ConditionExpression="attribute_not_exists(occurredAt)",
            Item={
                "service": {"S": service},
                "occurredAt": {"S": f"{at:017.3f}#{event_id}"},
                "error": {"S": error},
                "expiresAt": {"N": str(int(at + settings.failure_window_s()) + 1)},
            },
        )
    except ClientError as failure:
        if failure.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def recent(service: str, now: float | None = None) -> int:
    """Failures of the service within the window (DynamoDB's TTL deletes late: expiry is checked here too)."""
    now = time.time() if now is None else now
    found = _dynamodb().query(
        TableName=settings.failures_table(),
        Select="COUNT",
        ConsistentRead=True,
        KeyConditionExpression="service = :s AND occurredAt >= :from",
        FilterExpression="expiresAt > :now",
        ExpressionAttributeValues={
            ":s": {"S": service},
            ":from": {"S": f"{now - settings.failure_window_s():017.3f}"},
            ":now": {"N": str(Decimal(str(round(now, 3))))},
        },
    )
    return int(found["Count"])


@lru_cache(maxsize=1)
def _events() -> Any:
    return boto3.client("events")


def publish(entry: dict[str, str]) -> dict[str, Any] | None:
    """Put the event; the failed entry when EventBridge did not accept it."""
    answer = _events().put_events(Entries=[entry])
    failed: dict[str, Any] | None = answer["Entries"][0] if answer.get("FailedEntryCount") else None
    return failed
