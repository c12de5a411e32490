"""The adapters: the orders table, the orders topic and the stock service. Clients are made once per cold
start; Powertools' Tracer has patched boto3 and http.client, so each call is a subsegment of the trace."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

from pattern_helpers import http

from . import settings
from .logic import Order, stock_request_url


class OrderExists(Exception):
    """An order with that id is already stored."""


class UnknownOrder(Exception):
    """No order has that id (a message for an order that was never stored)."""


@lru_cache(maxsize=1)
def _table() -> Any:
    return boto3.resource("dynamodb").Table(settings.table_name())


@lru_cache(maxsize=1)
def _sns() -> Any:
    return boto3.client("sns")


def ask_stock(order: Order) -> tuple[int | None, str]:
    """The stock service's answer to reserving the order's stock: (status, body) or (None, why)."""
    url = stock_request_url(settings.stock_service_url(), order)
    return http.call("GET", url, settings.stock_timeout_ms() / 1000)


def put_new(order: Order) -> None:
    try:
        _table().put_item(Item=order.to_item(), ConditionExpression="attribute_not_exists(id)")
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            raise OrderExists(order.id) from None
        raise


def withdraw(order: Order) -> None:
    """Take back an order that could not be published (nothing will fulfil it); one fulfilled meanwhile stays."""
    try:
        _table().delete_item(
            Key={"id": order.id},
            ConditionExpression="#status = :placed",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":placed": "PLACED"},
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


def publish(order: Order) -> str:
    answer = _sns().publish(TopicArn=settings.topic_arn(), Message=order.to_message())
    return str(answer["MessageId"])


def mark_fulfilled(order_id: str, now: datetime | None = None) -> None:
    """Idempotent: a redelivered message finds the order fulfilled already and changes nothing else."""
    try:
        _table().update_item(
            Key={"id": order_id},
            UpdateExpression="SET #status = :fulfilled, fulfilled_at = if_not_exists(fulfilled_at, :now)",
            ConditionExpression="attribute_exists(id)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":fulfilled": "FULFILLED",
                ":now": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
            },
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            raise UnknownOrder(order_id) from None
        raise
