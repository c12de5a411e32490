"""Configuration read once per cold start from the function's environment (each task reads only its own)."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import required


@lru_cache(maxsize=1)
def orders_table() -> str:
    return required("ORDERS_TABLE")


@lru_cache(maxsize=1)
def inventory_table() -> str:
    return required("INVENTORY_TABLE")
