"""Products: what a valid one is. Plain functions, no AWS."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

PRODUCT_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


class InvalidProduct(ValueError):
    pass


def new_product(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise InvalidProduct("a product is a JSON object")
    name = body.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise InvalidProduct("name is required: 1-200 characters")
    raw = body.get("price")
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise InvalidProduct("price must be a number")
    try:
        price = Decimal(str(raw))
    except InvalidOperation:
        raise InvalidProduct("price must be a number") from None
    if not price.is_finite() or price < 0 or price != price.quantize(Decimal("0.01")):
        raise InvalidProduct("price must be a non-negative amount in cents")
    return {"id": str(uuid.uuid4()), "name": name.strip(), "price": price}


def valid_id(product_id: str) -> bool:
    return bool(PRODUCT_ID.match(product_id))


def shown(item: dict[str, Any]) -> dict[str, Any]:
    return {"id": item["id"], "name": item["name"], "price": f"{Decimal(item['price']):.2f}"}
