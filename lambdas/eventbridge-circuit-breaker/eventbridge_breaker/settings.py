"""Configuration read once per cold start from the function's environment (each function reads only its own)."""

from __future__ import annotations

import os
from functools import lru_cache

from pattern_helpers.settings import http_url, required, whole_number


@lru_cache(maxsize=1)
def failures_table() -> str:
    return required("FAILURES_TABLE")


@lru_cache(maxsize=1)
def failure_window_s() -> int:
    return whole_number("FAILURE_WINDOW_SECONDS", default=60)


@lru_cache(maxsize=1)
def failure_threshold() -> int:
    return whole_number("FAILURE_THRESHOLD", default=3)


@lru_cache(maxsize=1)
def service_url() -> str:
    """The service the guard calls (the guard only)."""
    return http_url("SERVICE_URL")


@lru_cache(maxsize=1)
def service_name() -> str:
    return os.environ.get("SERVICE_NAME") or service_url()


@lru_cache(maxsize=1)
def event_bus_name() -> str:
    return required("EVENT_BUS_NAME")


@lru_cache(maxsize=1)
def call_timeout_s() -> float:
    return whole_number("CALL_TIMEOUT_MS", default=2000, minimum=50, maximum=900_000) / 1000
