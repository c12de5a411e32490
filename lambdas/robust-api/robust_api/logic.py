"""What an order is: plain logic, no AWS calls."""

from __future__ import annotations

import re
import uuid
from typing import Any

ORDER_ID = re.compile(r"^[0-9a-f-]{36}$")


class InvalidOrder(ValueError):
    pass


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
