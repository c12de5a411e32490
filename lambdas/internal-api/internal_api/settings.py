"""Configuration read once per cold start from the function's environment (each function reads only its own)."""

from __future__ import annotations

import os
from functools import lru_cache


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} not set: the function is misconfigured")
    return value


@lru_cache(maxsize=1)
def inventory_table() -> str:
    """The service's table (the service function only)."""
    return _required("INVENTORY_TABLE")


@lru_cache(maxsize=1)
def service_function() -> str:
    """The service a caller invokes (caller functions only)."""
    return _required("INVENTORY_FUNCTION")
