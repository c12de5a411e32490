"""One service's bookings: a record per booking id whose status only moves forward.

Every operation is idempotent, because Step Functions retries a task whose answer it did not get:
- doing it twice leaves one record (a conditional write; the second call finds the first's record);
- undoing it twice changes nothing (the status is already the undone one);
- undoing what never happened leaves a tombstone, so a late retry of the original call cannot bring
  the booking back after the saga gave up on it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

from . import settings
from .logic import BookingCancelled, Transition


@lru_cache(maxsize=1)
def _dynamodb() -> Any:
    return boto3.client("dynamodb")


def _table() -> str:
    return settings.bookings_table()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {k: next(iter(v.values())) for k, v in item.items()}


def current(booking_id: str) -> dict[str, Any] | None:
    item = (
        _dynamodb().get_item(TableName=_table(), Key={"bookingId": {"S": booking_id}}, ConsistentRead=True).get("Item")
    )
    return _plain(item) if item else None


def do(booking_id: str, transition: Transition, details: dict[str, str]) -> dict[str, Any]:
    item = {
        "bookingId": {"S": booking_id},
        "status": {"S": transition.done},
        "doneAt": {"S": _now()},
        **{key: {"S": value} for key, value in details.items()},
    }
    try:
        _dynamodb().put_item(TableName=_table(), Item=item, ConditionExpression="attribute_not_exists(bookingId)")
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        existing = current(booking_id) or {}
        if existing.get("status") == transition.done:
            return existing  # a retry of a call that succeeded: the same answer, no second effect
        raise BookingCancelled(
            f"booking {booking_id} was {existing.get('status', 'undone').lower()}: it cannot be done again"
        ) from error
    return _plain(item)


def undo(booking_id: str, transition: Transition, reason: str) -> dict[str, Any]:
    """The compensation: done -> undone, or a tombstone if nothing was done; a second call changes nothing."""
    try:
        _dynamodb().update_item(
            TableName=_table(),
            Key={"bookingId": {"S": booking_id}},
            UpdateExpression="SET #status = :undone, undoneAt = :now, undoReason = :reason",
            ConditionExpression="attribute_not_exists(bookingId) OR #status <> :undone",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":undone": {"S": transition.undone},
                ":now": {"S": _now()},
                ":reason": {"S": reason[:500]},
            },
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
    return current(booking_id) or {}
