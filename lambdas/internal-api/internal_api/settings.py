"""Configuration read once per cold start from the function's environment (each function reads only its own)."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import required


@lru_cache(maxsize=1)
def inventory_table() -> str:
    """The service's table (the service function only)."""
    return required("INVENTORY_TABLE")


@lru_cache(maxsize=1)
def service_function() -> str:
    """The service a caller invokes (caller functions only)."""
    return required("INVENTORY_FUNCTION")
