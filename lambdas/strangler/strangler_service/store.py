"""The products table; the client is made once per cold start."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3

from . import settings


@lru_cache(maxsize=1)
def _table() -> Any:
    return boto3.resource("dynamodb").Table(settings.products_table())


def get(product_id: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = _table().get_item(Key={"id": product_id}).get("Item")
    return item


def put(product: dict[str, Any]) -> None:
    _table().put_item(Item=product, ConditionExpression="attribute_not_exists(id)")


def first(limit: int) -> list[dict[str, Any]]:
    return list(_table().scan(Limit=limit).get("Items", []))
