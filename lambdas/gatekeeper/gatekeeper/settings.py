"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import required


@lru_cache(maxsize=1)
def keys_table() -> str:
    return required("KEYS_TABLE")


@lru_cache(maxsize=1)
def documents_table() -> str:
    return required("DOCUMENTS_TABLE")
