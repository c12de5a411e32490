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
def jobs_table() -> str:
    return _required("JOBS_TABLE")


@lru_cache(maxsize=1)
def worker_function() -> str:
    """The worker the splitter fans out to (the splitter only)."""
    return _required("WORKER_FUNCTION")


@lru_cache(maxsize=1)
def documents_bucket() -> str:
    """Where the job's documents are (the worker only)."""
    return _required("DOCUMENTS_BUCKET")


@lru_cache(maxsize=1)
def part_size() -> int:
    raw = os.environ.get("PART_SIZE", "10")
    if not raw.isdigit() or not 1 <= int(raw) <= 1000:
        raise RuntimeError(f"PART_SIZE must be a whole number from 1 to 1000: {raw!r}")
    return int(raw)
