"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

import os
from functools import lru_cache

from pattern_helpers.settings import http_url, required, whole_number

from .logic import Rules


@lru_cache(maxsize=1)
def circuits_table() -> str:
    return required("CIRCUITS_TABLE")


@lru_cache(maxsize=1)
def service_url() -> str:
    return http_url("SERVICE_URL")


@lru_cache(maxsize=1)
def circuit_name() -> str:
    """The circuit's key in the table: one per guarded service (default: its URL)."""
    return os.environ.get("CIRCUIT_NAME") or service_url()


@lru_cache(maxsize=1)
def call_timeout_s() -> float:
    return whole_number("CALL_TIMEOUT_MS", default=2000, minimum=50, maximum=900_000) / 1000


@lru_cache(maxsize=1)
def rules() -> Rules:
    return Rules(
        failure_threshold=whole_number("FAILURE_THRESHOLD", default=5),
        failure_window_s=whole_number("FAILURE_WINDOW_SECONDS", default=60),
        open_s=whole_number("OPEN_SECONDS", default=30),
        max_open_s=whole_number("MAX_OPEN_SECONDS", default=600),
        trial_lease_s=call_timeout_s() + 1,
    )
