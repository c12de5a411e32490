"""The service's table (SKU#<sku>: available; RES#<reservation id>: what a reservation took), and the
caller's client of the service."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from . import settings
from .logic import NotFound, OutOfStock, Reserve


@lru_cache(maxsize=1)
def _client() -> Any:
    return boto3.client("dynamodb")


def available(sku: str) -> int:
    item = (
        _client()
        .get_item(TableName=settings.inventory_table(), Key={"pk": {"S": f"SKU#{sku}"}}, ConsistentRead=True)
        .get("Item")
    )
    if item is None:
        raise NotFound(f"no SKU {sku!r}")
    return int(item["available"]["N"])


def _reservation(reservation_id: str) -> dict[str, Any] | None:
    item = (
        _client()
        .get_item(TableName=settings.inventory_table(), Key={"pk": {"S": f"RES#{reservation_id}"}}, ConsistentRead=True)
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
    table, after = settings.inventory_table(), before - request.quantity
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


# -- the caller's client ------------------------------------------------------------------------------------
# What a calling function uses: one call per operation, every failure as an `InventoryError` it can handle.
#
# A business error (the service's envelope), the service crashing or timing out
# (Lambda's function error), and the call itself being refused or throttled all
# raise `InventoryError` with a `type` to branch on and whether retrying may help.


class InventoryError(Exception):
    def __init__(self, type_: str, message: str, retryable: bool) -> None:
        super().__init__(message)
        self.type, self.retryable = type_, retryable

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "message": str(self), "retryable": self.retryable}


@dataclass
class InventoryClient:
    lambda_client: Any
    function_name: str

    def _call(self, request: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self.lambda_client.invoke(FunctionName=self.function_name, Payload=json.dumps(request))
        except ClientError as error:
            code = error.response["Error"]["Code"]
            retryable = code in ("TooManyRequestsException", "ServiceException", "ResourceNotReadyException")
            raise InventoryError(
                "Unavailable", f"{code}: {error.response['Error'].get('Message', '')}", retryable
            ) from error
        except BotoCoreError as error:  # a connection or read timeout
            raise InventoryError("Unavailable", str(error), True) from error
        body = json.loads(response["Payload"].read() or b"null")
        if response.get("FunctionError"):
            detail = body if isinstance(body, dict) else {}
            raise InventoryError(
                "ServiceFailure",
                f"{detail.get('errorType', 'Error')}: {detail.get('errorMessage', 'the service failed')}",
                True,
            )
        if not isinstance(body, dict) or "ok" not in body:
            raise InventoryError("ServiceFailure", f"unexpected answer: {body!r}"[:500], False)
        if not body["ok"]:
            raise InventoryError(body["error"]["type"], body["error"]["message"], False)
        return dict(body["result"])

    def available(self, sku: str) -> int:
        return int(self._call({"action": "get", "sku": sku})["available"])

    def reserve(self, sku: str, quantity: int, reservation_id: str) -> dict[str, Any]:
        return self._call({"action": "reserve", "sku": sku, "quantity": quantity, "reservationId": reservation_id})


@lru_cache(maxsize=1)
def inventory() -> InventoryClient:
    """A caller's client of the service. Reservations are idempotent per id, so the SDK's retries are safe;
    the read timeout bounds a hung call."""
    config = Config(read_timeout=15, connect_timeout=2, retries={"max_attempts": 3, "mode": "standard"})
    return InventoryClient(boto3.client("lambda", config=config), settings.service_function())
