"""The order and what each step decides about it: plain logic, no AWS calls."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

SKU = re.compile(r"^[A-Z0-9-]{1,40}$")
MAX_ITEMS = 50
HIGH_RISK_TOTAL = Decimal("5000")


# Error names the workflow matches in Retry and Catch (Lambda reports the exception's class name).
class InvalidOrder(Exception):
    """The order can never be processed as sent: caught into the Rejected state."""


class OutOfStock(Exception):
    """Permanent: retrying will not make stock appear. Caught into the failure state."""


class InventoryBusy(Exception):
    """Transient: another process holds the item's stock record. Retried with backoff."""


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: int
    price: Decimal


@dataclass(frozen=True)
class Order:
    order_id: str
    customer: str
    priority: str
    lines: tuple[Line, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.price * line.quantity for line in self.lines), Decimal("0"))


def parse_order(payload: Any) -> Order:
    if not isinstance(payload, dict):
        raise InvalidOrder("the order must be a JSON object")
    order_id, customer = payload.get("orderId"), payload.get("customer")
    if not isinstance(order_id, str) or not re.match(r"^[A-Za-z0-9-]{1,64}$", order_id):
        raise InvalidOrder("orderId must be 1-64 letters, digits or hyphens")
    if not isinstance(customer, str) or not customer.strip():
        raise InvalidOrder("customer is required")
    priority = payload.get("priority", "standard")
    if priority not in ("standard", "express"):
        raise InvalidOrder("priority must be standard or express")
    items = payload.get("items")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
        raise InvalidOrder(f"items must list 1 to {MAX_ITEMS} lines")
    lines = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("sku"), str) or not SKU.match(item["sku"]):
            raise InvalidOrder("each item needs a sku of capital letters, digits or hyphens")
        quantity = item.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= 1000:
            raise InvalidOrder(f"{item['sku']}: quantity must be a whole number from 1 to 1000")
        try:
            price = Decimal(str(item.get("price")))
        except InvalidOperation as error:
            raise InvalidOrder(f"{item['sku']}: price must be a number") from error
        if not price.is_finite() or price < 0:
            raise InvalidOrder(f"{item['sku']}: price must be zero or more")
        lines.append(Line(item["sku"], quantity, price))
    return Order(order_id, customer.strip(), priority, tuple(lines))


def order_summary(order: Order) -> dict[str, Any]:
    """What the workflow carries forward (JSON: amounts as strings)."""
    return {
        "orderId": order.order_id,
        "customer": order.customer,
        "priority": order.priority,
        "total": str(order.total),
        "items": [{"sku": line.sku, "quantity": line.quantity, "price": str(line.price)} for line in order.lines],
    }


def shortfalls(wanted: dict[str, int], stock: dict[str, int]) -> list[str]:
    return [
        f"{sku}: {quantity} wanted, {stock.get(sku, 0)} in stock"
        for sku, quantity in sorted(wanted.items())
        if stock.get(sku, 0) < quantity
    ]


def risk_of(total: Decimal, customer: str) -> str:
    """A stand-in for a fraud model: large first orders are held for review."""
    return "high" if total >= HIGH_RISK_TOTAL or customer.lower().startswith("unknown") else "low"
