"""Configuration read once per cold start from the function's environment; a missing one is a clear error."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import required


@lru_cache(maxsize=1)
def table_name() -> str:
    return required("TABLE_NAME")
