"""The DynamoDB adapter: the table is made once per cold start. One board, one partition, newest last."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3
from boto3.dynamodb.conditions import Key

from . import settings
from .logic import BOARD, LISTED, Message, message_from_record


@lru_cache(maxsize=1)
def _table() -> Any:
    return boto3.resource("dynamodb").Table(settings.table_name())


def post(message: Message) -> None:
    _table().put_item(
        Item={"board": BOARD, "posted": message.posted, "author": message.author, "text": message.text},
        ConditionExpression="attribute_not_exists(posted)",
    )


def latest() -> list[Message]:
    """The newest LISTED messages, newest first."""
    page = _table().query(KeyConditionExpression=Key("board").eq(BOARD), ScanIndexForward=False, Limit=LISTED)
    return [message_from_record(record) for record in page.get("Items", [])]
