"""Configuration read once per cold start from the function's environment (each function reads only its own)."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import required, whole_number


@lru_cache(maxsize=1)
def work_bucket() -> str:
    return required("WORK_BUCKET")


@lru_cache(maxsize=1)
def mapper_function() -> str:
    """The mapper the coordinator starts (the coordinator only)."""
    return required("MAPPER_FUNCTION")


@lru_cache(maxsize=1)
def reducer_function() -> str:
    """The reducer the last mapper starts (the mappers only)."""
    return required("REDUCER_FUNCTION")


@lru_cache(maxsize=1)
def chunk_bytes() -> int:
    return whole_number("CHUNK_BYTES", default=8 * 1024 * 1024, minimum=1024)
