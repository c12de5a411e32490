"""Orders and what the stock service's answers mean: plain functions, no AWS, no HTTP."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

SKU = re.compile(r"^[A-Za-z0-9-]{1,40}$")
MAX_QUANTITY = 100
# The stock service's answers that refuse the order itself; any other failure is the service's.
REFUSALS = (409, 422)


class BadRequest(Exception):
    """The client sent something we cannot accept (400)."""


class OutOfStock(Exception):
    """The stock service refused the order: 409 or 422 (the client gets 409)."""


class StockUnavailable(Exception):
    """The stock service failed, refused the call itself (a wrong URL, credentials, throttling), could not
    be reached or did not answer in time (502)."""


@dataclass(frozen=True)
class Order:
    id: str
    sku: str
    quantity: int
    created_at: str

    def to_item(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "sku": self.sku,
            "quantity": self.quantity,
            "status": "PLACED",
            "created_at": self.created_at,
        }

    def to_message(self) -> str:
        return json.dumps({"orderId": self.id, "sku": self.sku, "quantity": self.quantity}, sort_keys=True)

    def to_answer(self) -> dict[str, Any]:
        return {"orderId": self.id, "sku": self.sku, "quantity": self.quantity, "status": "PLACED"}


def parse_order(body: str | None, *, now: datetime | None = None, new_id: str | None = None) -> Order:
    """Validate a POST /orders body: {"sku": "...", "quantity": 1-100}."""
    if body is None or not body.strip():
        raise BadRequest('request body is required: {"sku": "...", "quantity": n}')
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, dict):
        raise BadRequest("request body must be a JSON object")
    unknown = sorted(set(data) - {"sku", "quantity"})
    if unknown:
        raise BadRequest(f"unknown fields: {', '.join(unknown)}; allowed: quantity, sku")
    sku = data.get("sku")
    if not isinstance(sku, str) or not SKU.match(sku):
        raise BadRequest("'sku' must be 1-40 letters, digits or hyphens")
    quantity = data.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        raise BadRequest(f"'quantity' must be a whole number from 1 to {MAX_QUANTITY}")
    created = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    return Order(id=new_id or str(uuid.uuid4()), sku=sku, quantity=quantity, created_at=created)


def stock_request_url(base_url: str, order: Order) -> str:
    return f"{base_url}?{urlencode({'sku': order.sku, 'quantity': order.quantity})}"


def check_stock_answer(status: int | None, detail: str, order: Order) -> None:
    """Nothing when the stock service reserved the order's stock; otherwise why the order cannot be placed."""
    if status is None:
        raise StockUnavailable(f"the stock service could not be reached: {detail}")
    if 200 <= status < 300:
        return
    if status in REFUSALS:
        raise OutOfStock(f"the stock service refused {order.quantity} x {order.sku} ({status})")
    raise StockUnavailable(f"the stock service answered {status}")


def fulfilled_order_id(message_body: str) -> str:
    """The order id of a published order (the topic delivers its message as it is)."""
    try:
        data = json.loads(message_body)
    except json.JSONDecodeError:
        raise ValueError(f"not an order message: {message_body[:80]!r}") from None
    order_id = data.get("orderId") if isinstance(data, dict) else None
    if not isinstance(order_id, str) or not order_id:
        raise ValueError(f"an order message without its orderId: {message_body[:80]!r}")
    return order_id
