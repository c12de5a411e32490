"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import required, whole_number


@lru_cache(maxsize=1)
def table_name() -> str:
    return required("TABLE_NAME")


@lru_cache(maxsize=1)
def max_page_size() -> int:
    return whole_number("MAX_PAGE_SIZE", default=100)
