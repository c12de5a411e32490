"""The orders backend: GET /orders/{id} and POST /orders behind the API's Lambda routes."""

from __future__ import annotations

import json
import os
import re
import uuid
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger()
tracer = Tracer()
app = APIGatewayHttpResolver()
ORDER_ID = re.compile(r"^[0-9a-f-]{36}$")


class InvalidOrder(ValueError):
    pass


@lru_cache(maxsize=1)
def _orders() -> Any:
    name = os.environ.get("ORDERS_TABLE")
    if not name:
        raise RuntimeError("ORDERS_TABLE not set: the function is misconfigured")
    return boto3.resource("dynamodb").Table(name)


def new_order(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise InvalidOrder("an order is a JSON object")
    item = body.get("item")
    if not isinstance(item, str) or not item.strip() or len(item) > 200:
        raise InvalidOrder("item is required: 1-200 characters")
    quantity = body.get("quantity", 1)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 1000:
        raise InvalidOrder("quantity must be a whole number from 1 to 1000")
    return {"id": str(uuid.uuid4()), "item": item.strip(), "quantity": quantity}


def _json(status: int, body: Any) -> Response:
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(body, default=_number),
        headers={"x-backend": "orders-function"},
    )


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


@app.post("/orders")
def create_order() -> Response:
    try:
        order = new_order(app.current_event.json_body)
    except (InvalidOrder, ValueError, InvalidOperation) as exc:
        return _json(400, {"message": str(exc) if isinstance(exc, InvalidOrder) else "body is not JSON"})
    _orders().put_item(Item=order)
    return _json(201, order)


@app.get("/orders/<order_id>")
def get_order(order_id: str) -> Response:
    if not ORDER_ID.match(order_id):
        return _json(400, {"message": "an order id is a UUID"})
    item = _orders().get_item(Key={"id": order_id}).get("Item")
    return _json(200, item) if item else _json(404, {"message": f"no order {order_id}"})


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
