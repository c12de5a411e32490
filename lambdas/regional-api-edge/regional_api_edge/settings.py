"""Configuration read once per cold start from the function's environment; a missing one is a clear error."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import required


@lru_cache(maxsize=1)
def table_name() -> str:
    return required("TABLE_NAME")


@lru_cache(maxsize=1)
def public_max_age_seconds() -> int:
    value = required("PUBLIC_MAX_AGE_SECONDS")
    try:
        return int(value)
    except ValueError:
        raise RuntimeError(f"PUBLIC_MAX_AGE_SECONDS must be a whole number of seconds, not {value!r}") from None
