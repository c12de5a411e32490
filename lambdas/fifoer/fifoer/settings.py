"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import required, whole_number


@lru_cache(maxsize=1)
def ledger_table() -> str:
    return required("LEDGER_TABLE")


@lru_cache(maxsize=1)
def deduplication_days() -> int:
    return whole_number("DEDUPLICATION_DAYS", default=7)
