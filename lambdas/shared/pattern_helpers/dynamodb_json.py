"""JSON of what DynamoDB returns: its numbers arrive as Decimal, which json cannot write."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def dumps(value: Any, **options: Any) -> str:
    return json.dumps(value, default=_number, **options)
