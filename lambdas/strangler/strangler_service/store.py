"""The products table; the client is made once per cold start."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import boto3


@lru_cache(maxsize=1)
def _table() -> Any:
    name = os.environ.get("PRODUCTS_TABLE")
    if not name:
        raise RuntimeError("PRODUCTS_TABLE not set: the function is misconfigured")
    return boto3.resource("dynamodb").Table(name)


def get(product_id: str) -> dict[str, Any] | None:
    return _table().get_item(Key={"id": product_id}).get("Item")


def put(product: dict[str, Any]) -> None:
    _table().put_item(Item=product, ConditionExpression="attribute_not_exists(id)")


def first(limit: int) -> list[dict[str, Any]]:
    return list(_table().scan(Limit=limit).get("Items", []))
