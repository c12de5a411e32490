"""The orders table (clients made once per cold start)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3

from . import settings


@lru_cache(maxsize=1)
def _orders() -> Any:
    return boto3.resource("dynamodb").Table(settings.orders_table())


def put_order(order: dict[str, Any]) -> None:
    _orders().put_item(Item=order)


def order(order_id: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = _orders().get_item(Key={"id": order_id}).get("Item")
    return item
