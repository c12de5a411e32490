"""Configuration read once per cold start from the function's environment (each function reads only its own)."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import required, whole_number


@lru_cache(maxsize=1)
def target_function() -> str:
    """The worker the caller hands orders to (the caller only)."""
    return required("TARGET_FUNCTION")


@lru_cache(maxsize=1)
def ledger_table() -> str:
    return required("LEDGER_TABLE")


@lru_cache(maxsize=1)
def idempotency_table() -> str:
    return required("IDEMPOTENCY_TABLE")


@lru_cache(maxsize=1)
def idempotency_hours() -> int:
    return whole_number("IDEMPOTENCY_HOURS", default=24)
