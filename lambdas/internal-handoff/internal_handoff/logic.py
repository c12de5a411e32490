"""Orders: what a valid one is. Plain functions, no AWS."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

ORDER_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MAX_AMOUNT = Decimal("1000000000")


class InvalidOrder(ValueError):
    """An order that can never be processed, whatever the retries."""


@dataclass(frozen=True)
class Order:
    order_id: str
    customer: str
    amount: Decimal

    def as_event(self) -> dict[str, Any]:
        """The event handed to the worker (amounts travel as strings: no float rounding)."""
        return {"orderId": self.order_id, "customer": self.customer, "amount": str(self.amount)}


def parse_order(event: Any) -> Order:
    if not isinstance(event, dict):
        raise InvalidOrder(f"an order is a JSON object, not {type(event).__name__}")
    order_id = event.get("orderId")
    if not isinstance(order_id, str) or not ORDER_ID.match(order_id):
        raise InvalidOrder("orderId is required: 1-64 letters, digits, '.', '_' or '-'")
    customer = event.get("customer")
    if not isinstance(customer, str) or not customer.strip() or len(customer.strip()) > 64:
        raise InvalidOrder("customer is required: a name of 1-64 characters")
    raw = event.get("amount")
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise InvalidOrder("amount must be a number")
    try:
        amount = Decimal(str(raw))
    except InvalidOperation as exc:
        raise InvalidOrder(f"amount must be a number, not {raw!r}") from exc
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise InvalidOrder(f"amount must be positive and at most {MAX_AMOUNT}")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidOrder("amount must be in whole cents")
    return Order(order_id=order_id, customer=customer.strip(), amount=amount.quantize(Decimal("0.01")))


def rejection(exc: InvalidOrder) -> dict[str, Any]:
    """The structured answer a caller gets for an order it must fix: nothing was handed off."""
    return {"status": "rejected", "error": {"type": "InvalidOrder", "message": str(exc)}}
