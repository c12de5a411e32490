"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import required, whole_number


@lru_cache(maxsize=1)
def output_bucket() -> str:
    return required("OUTPUT_BUCKET")


@lru_cache(maxsize=1)
def preview_bytes() -> int:
    return whole_number("PREVIEW_BYTES", default=1024)
