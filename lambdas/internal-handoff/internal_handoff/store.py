"""AWS adapters: the worker's ledger and the caller's Lambda client, each made once per cold start."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache
from typing import Any

import boto3

from . import settings
from .logic import Order


@lru_cache(maxsize=1)
def _lambda() -> Any:
    return boto3.client("lambda")


@lru_cache(maxsize=1)
def _ledger() -> Any:
    return boto3.resource("dynamodb").Table(settings.ledger_table())


def hand_off(order: Order) -> str:
    """Invoke the worker with InvocationType=Event: Lambda queues the event and answers 202 at once."""
    response = _lambda().invoke(
        FunctionName=settings.target_function(),
        InvocationType="Event",
        Payload=json.dumps(order.as_event()).encode(),
    )
    return str(response["ResponseMetadata"]["RequestId"])


def credit(order: Order) -> Decimal:
    """Add the order to its customer's balance: not idempotent by itself (a second call adds again)."""
    response = _ledger().update_item(
        Key={"customer": order.customer},
        UpdateExpression="ADD balance :amount, orders :one SET lastOrderId = :order",
        ExpressionAttributeValues={":amount": order.amount, ":one": 1, ":order": order.order_id},
        ReturnValues="UPDATED_NEW",
    )
    return Decimal(response["Attributes"]["balance"])
