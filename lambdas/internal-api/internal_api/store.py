"""The service's table: SKU#<sku> (available) and RES#<reservation id> (what a reservation took)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

from .logic import NotFound, OutOfStock, Reserve
from .settings import inventory_table


@lru_cache(maxsize=1)
def _client() -> Any:
    return boto3.client("dynamodb")


def available(sku: str) -> int:
    item = (
        _client()
        .get_item(TableName=inventory_table(), Key={"pk": {"S": f"SKU#{sku}"}}, ConsistentRead=True)
        .get("Item")
    )
    if item is None:
        raise NotFound(f"no SKU {sku!r}")
    return int(item["available"]["N"])


def _reservation(reservation_id: str) -> dict[str, Any] | None:
    item = (
        _client()
        .get_item(TableName=inventory_table(), Key={"pk": {"S": f"RES#{reservation_id}"}}, ConsistentRead=True)
        .get("Item")
    )
    if item is None:
        return None
    return {
        "reservationId": reservation_id,
        "sku": item["sku"]["S"],
        "quantity": int(item["quantity"]["N"]),
        "available": int(item["availableAfter"]["N"]),
    }


def reserve(request: Reserve) -> dict[str, Any]:
    """Take stock and record the reservation in one transaction: a retried request reserves once."""
    existing = _reservation(request.reservation_id)
    if existing is not None:
        return existing
    before = available(request.sku)
    if before < request.quantity:
        raise OutOfStock(f"{request.sku}: {before} available, {request.quantity} requested")
    table, after = inventory_table(), before - request.quantity
    try:
        _client().transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": table,
                        "Key": {"pk": {"S": f"SKU#{request.sku}"}},
                        "UpdateExpression": "SET available = :after",
                        "ConditionExpression": "available = :before",
                        "ExpressionAttributeValues": {":after": {"N": str(after)}, ":before": {"N": str(before)}},
                    }
                },
                {
                    "Put": {
                        "TableName": table,
                        "ConditionExpression": "attribute_not_exists(pk)",
                        "Item": {
                            "pk": {"S": f"RES#{request.reservation_id}"},
                            "sku": {"S": request.sku},
                            "quantity": {"N": str(request.quantity)},
                            "availableAfter": {"N": str(after)},
                        },
                    }
                },
            ]
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "TransactionCanceledException":
            raise
        # Another request changed the stock or took this reservation id first: answer from what is there now.
        return reserve(request)
    return {
        "reservationId": request.reservation_id,
        "sku": request.sku,
        "quantity": request.quantity,
        "available": after,
    }
