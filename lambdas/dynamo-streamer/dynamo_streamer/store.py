"""The change log: one item per message and stream sequence number, so a redelivered record finds its
entry already there and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal

import boto3
from botocore.exceptions import ClientError

from . import settings
from .logic import Change


@lru_cache(maxsize=1)
def _dynamodb() -> Any:
    return boto3.client("dynamodb")


def record(change: Change) -> Literal["recorded", "duplicate"]:
    item: dict[str, Any] = {
        "id": {"S": change.message_id},
        "sequence": {"S": change.sort_key},
        "kind": {"S": change.kind},
        "changedAt": {"N": str(change.changed_at)},
        "recordedAt": {"S": datetime.now(UTC).isoformat(timespec="milliseconds")},
    }
    if change.text is not None:
        item["message"] = {"S": change.text}
    if change.author is not None:
        item["author"] = {"S": change.author}
    try:
        _dynamodb().put_item(
            TableName=settings.changes_table(),
            Item=item,
            ConditionExpression="attribute_not_exists(#seq)",
            ExpressionAttributeNames={"#seq": "sequence"},
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return "duplicate"
        raise
    return "recorded"
