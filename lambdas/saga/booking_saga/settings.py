"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from pattern_helpers.settings import Misconfigured, required


@lru_cache(maxsize=1)
def bookings_table() -> str:
    return required("TABLE_NAME")


@lru_cache(maxsize=1)
def payment_limit() -> Decimal:
    """The card network's stand-in refuses a charge above it (the payment service only)."""
    raw = os.environ.get("PAYMENT_LIMIT", "10000")
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise Misconfigured(f"PAYMENT_LIMIT must be a number, not {raw!r}") from None
