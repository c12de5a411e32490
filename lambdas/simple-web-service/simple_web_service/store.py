"""The DynamoDB adapter. The table resource is made once per cold start."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

from . import settings
from .logic import Item, PageRequest, item_from_record


class ItemExists(Exception):
    """An item with that id is already stored."""


@lru_cache(maxsize=1)
def _table() -> Any:
    return boto3.resource("dynamodb").Table(settings.table_name())


def put_new(item: Item) -> None:
    try:
        _table().put_item(Item=item.to_dict(), ConditionExpression="attribute_not_exists(id)")
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            raise ItemExists(item.id) from None
        raise


def get(item_id: str) -> Item | None:
    record = _table().get_item(Key={"id": item_id}).get("Item")
    return item_from_record(record) if record else None


def list_page(page: PageRequest) -> tuple[list[Item], dict[str, Any] | None]:
    kwargs: dict[str, Any] = {"Limit": page.limit}
    if page.cursor:
        kwargs["ExclusiveStartKey"] = page.cursor
    response = _table().scan(**kwargs)
    return [item_from_record(r) for r in response.get("Items", [])], response.get("LastEvaluatedKey")


def delete(item_id: str) -> bool:
    """Delete an item; False when there was none."""
    response = _table().delete_item(Key={"id": item_id}, ReturnValues="ALL_OLD")
    return "Attributes" in response
