"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

import os
from functools import lru_cache

from pattern_helpers.settings import Misconfigured, required, whole_number


def _prefix(name: str) -> str:
    """A key prefix; empty is a choice (the whole bucket), unset is a misconfiguration."""
    if name not in os.environ:
        raise Misconfigured(f"{name} not set: the function is misconfigured")
    return os.environ[name]


@lru_cache(maxsize=1)
def output_bucket() -> str:
    return required("OUTPUT_BUCKET")


@lru_cache(maxsize=1)
def input_prefix() -> str:
    return _prefix("INPUT_PREFIX")


@lru_cache(maxsize=1)
def report_prefix() -> str:
    return _prefix("REPORT_PREFIX")


@lru_cache(maxsize=1)
def failed_prefix() -> str:
    return _prefix("FAILED_PREFIX")


@lru_cache(maxsize=1)
def max_bytes() -> int:
    return whole_number("MAX_BYTES", default=50 * 1024 * 1024)
