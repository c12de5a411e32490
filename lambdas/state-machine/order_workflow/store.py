"""The orders table (status, outcome, pick lines) and the inventory table (stock per sku)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

from . import settings


@lru_cache(maxsize=1)
def _dynamodb() -> Any:
    return boto3.client("dynamodb")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def open_order(summary: dict[str, Any], execution: str) -> None:
    """The order's record, once: a restarted execution of the same order finds it and goes on."""
    try:
        _dynamodb().put_item(
            TableName=settings.orders_table(),
            ConditionExpression="attribute_not_exists(pk)",
            Item={
                "pk": {"S": f"ORDER#{summary['orderId']}"},
                "sk": {"S": "ORDER"},
                "status": {"S": "RECEIVED"},
                "customer": {"S": summary["customer"]},
                "total": {"N": summary["total"]},
                "execution": {"S": execution},
                "receivedAt": {"S": _now()},
            },
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


def stock_levels(skus: list[str]) -> tuple[dict[str, int], list[str]]:
    """Stock per sku, and the skus whose record another process holds (a lock not yet expired)."""
    keys = [{"sku": {"S": sku}} for sku in sorted(set(skus))]
    found = _dynamodb().batch_get_item(
        RequestItems={settings.inventory_table(): {"Keys": keys, "ConsistentRead": True}}
    )["Responses"][settings.inventory_table()]
    now = time.time()
    stock = {item["sku"]["S"]: int(item.get("stock", {}).get("N", "0")) for item in found}
    locked = [item["sku"]["S"] for item in found if float(item.get("lockedUntil", {}).get("N", "0")) > now]
    return stock, locked


def add_pick_line(order_id: str, sku: str, quantity: int) -> None:
    """Idempotent per order and sku: a retried iteration writes the same line again."""
    _dynamodb().put_item(
        TableName=settings.orders_table(),
        Item={
            "pk": {"S": f"ORDER#{order_id}"},
            "sk": {"S": f"PICK#{sku}"},
            "quantity": {"N": str(quantity)},
            "pickedAt": {"S": _now()},
        },
    )


def record_outcome(order_id: str, status: str, detail: dict[str, str]) -> None:
    names = {"#status": "status"}
    values = {":status": {"S": status}, ":at": {"S": _now()}}
    update = "SET #status = :status, decidedAt = :at"
    for index, (key, value) in enumerate(sorted(detail.items())):
        names[f"#d{index}"] = key
        values[f":d{index}"] = {"S": value[:1000]}
        update += f", #d{index} = :d{index}"
    _dynamodb().update_item(
        TableName=settings.orders_table(),
        Key={"pk": {"S": f"ORDER#{order_id}"}, "sk": {"S": "ORDER"}},
        UpdateExpression=update,
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=values,
    )
