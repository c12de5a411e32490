"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import required


@lru_cache(maxsize=1)
def topic_arn() -> str:
    return required("TOPIC_ARN")


@lru_cache(maxsize=1)
def service() -> str:
    return required("SERVICE_NAME")
