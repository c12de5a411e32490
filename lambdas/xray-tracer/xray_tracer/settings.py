"""Configuration read once per cold start from the function's environment; a missing one is a clear error."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import http_url, required, whole_number


@lru_cache(maxsize=1)
def table_name() -> str:
    return required("TABLE_NAME")


@lru_cache(maxsize=1)
def topic_arn() -> str:
    return required("TOPIC_ARN")


@lru_cache(maxsize=1)
def stock_service_url() -> str:
    return http_url("STOCK_SERVICE_URL")


@lru_cache(maxsize=1)
def stock_timeout_ms() -> int:
    return whole_number("STOCK_TIMEOUT_MS", default=2000, minimum=100, maximum=10000)
