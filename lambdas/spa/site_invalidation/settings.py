"""Configuration read once per cold start from the function's environment; a missing one is a clear error."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import required, whole_number


@lru_cache(maxsize=1)
def distribution_id() -> str:
    return required("DISTRIBUTION_ID")


@lru_cache(maxsize=1)
def root_object() -> str:
    return required("ROOT_OBJECT")


@lru_cache(maxsize=1)
def max_paths() -> int:
    return whole_number("MAX_PATHS", default=50)
