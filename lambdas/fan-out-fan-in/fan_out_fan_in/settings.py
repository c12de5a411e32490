"""Configuration read once per cold start from the function's environment (each function reads only its own)."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import required, whole_number


@lru_cache(maxsize=1)
def jobs_table() -> str:
    return required("JOBS_TABLE")


@lru_cache(maxsize=1)
def worker_function() -> str:
    """The worker the splitter fans out to (the splitter only)."""
    return required("WORKER_FUNCTION")


@lru_cache(maxsize=1)
def documents_bucket() -> str:
    """Where the job's documents are (the worker only)."""
    return required("DOCUMENTS_BUCKET")


@lru_cache(maxsize=1)
def part_size() -> int:
    return whole_number("PART_SIZE", default=10, maximum=1000)
