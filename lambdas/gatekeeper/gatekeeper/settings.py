"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

import os
from functools import lru_cache


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} not set: the function is misconfigured")
    return value


@lru_cache(maxsize=1)
def keys_table() -> str:
    return _required("KEYS_TABLE")


@lru_cache(maxsize=1)
def documents_table() -> str:
    return _required("DOCUMENTS_TABLE")
