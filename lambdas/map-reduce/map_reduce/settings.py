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
def work_bucket() -> str:
    return _required("WORK_BUCKET")


@lru_cache(maxsize=1)
def mapper_function() -> str:
    """The mapper the coordinator starts (the coordinator only)."""
    return _required("MAPPER_FUNCTION")


@lru_cache(maxsize=1)
def reducer_function() -> str:
    """The reducer the last mapper starts (the mappers only)."""
    return _required("REDUCER_FUNCTION")


@lru_cache(maxsize=1)
def chunk_bytes() -> int:
    raw = os.environ.get("CHUNK_BYTES", str(8 * 1024 * 1024))
    if not raw.isdigit() or int(raw) < 1024:
        raise RuntimeError(f"CHUNK_BYTES must be a whole number of bytes, at least 1024: {raw!r}")
    return int(raw)
