"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import required


@lru_cache(maxsize=1)
def workgroup() -> str:
    return required("WORKGROUP")


@lru_cache(maxsize=1)
def database() -> str:
    return required("DATABASE")


@lru_cache(maxsize=1)
def table() -> str:
    return required("TABLE")


@lru_cache(maxsize=1)
def report_bucket() -> str:
    return required("REPORT_BUCKET")


@lru_cache(maxsize=1)
def report_prefix() -> str:
    return required("REPORT_PREFIX")


@lru_cache(maxsize=1)
def failure_prefix() -> str:
    return required("FAILURE_PREFIX")
