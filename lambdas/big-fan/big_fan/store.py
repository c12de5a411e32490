"""The deliveries table: one item per (event, subscriber); a redelivery finds it and changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

from . import settings
from .logic import FannedEvent


@lru_cache(maxsize=1)
def _dynamodb() -> Any:
    return boto3.client("dynamodb")


def record_once(event: FannedEvent, message_id: str) -> bool:
    """True when recorded now, False when this subscriber had it already."""
    try:
        _dynamodb().put_item(
            TableName=settings.deliveries_table(),
            Item={
                "eventId": {"S": event.event_id},
                "subscriber": {"S": settings.subscriber()},
                "eventType": {"S": event.event_type},
                "detail": {"S": json.dumps(event.detail, sort_keys=True)},
                "messageId": {"S": message_id},
                "receivedAt": {"S": datetime.now(UTC).isoformat(timespec="milliseconds")},
            },
            ConditionExpression="attribute_not_exists(eventId)",
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True
