"""The DynamoDB adapter: the table is made once per cold start."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3

from . import settings
from .logic import Product, product_from_record

# The list is one public page: a catalogue larger than this belongs behind paging, not at the edge.
MAX_LISTED = 1000


@lru_cache(maxsize=1)
def _table() -> Any:
    return boto3.resource("dynamodb").Table(settings.table_name())


def put(product: Product) -> None:
    _table().put_item(
        Item={
            "id": product.id, "name": product.name, "price": product.price,
            "updatedBy": product.updated_by, "updatedAt": product.updated_at,
        }
    )  # fmt: skip


def list_all() -> list[Product]:
    """Every product (up to MAX_LISTED), by id."""
    products: list[Product] = []
    kwargs: dict[str, Any] = {}
    while len(products) < MAX_LISTED:
        page = _table().scan(**kwargs)
        products.extend(product_from_record(record) for record in page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return sorted(products, key=lambda p: p.id)[:MAX_LISTED]
