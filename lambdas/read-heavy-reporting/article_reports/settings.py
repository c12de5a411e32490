"""Configuration read once per cold start from the function's environment (each function reads only its own)."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers import settings as helpers
from pattern_helpers.settings import Database, required, whole_number


@lru_cache(maxsize=1)
def database() -> Database:
    """Where the articles live (reader, writer, migration)."""
    return helpers.database()


def user_secrets() -> str:
    """The database users' secrets, as JSON (the migration function)."""
    return required("DB_USER_SECRETS")


@lru_cache(maxsize=1)
def statement_timeout_ms() -> int:
    """How long a query may run before the database cancels it (reader, writer)."""
    return whole_number("DB_STATEMENT_TIMEOUT_MS", default=3000, minimum=100)


@lru_cache(maxsize=1)
def cache_host() -> str:
    return required("CACHE_HOST")


@lru_cache(maxsize=1)
def cache_port() -> int:
    return whole_number("CACHE_PORT", default=6379, maximum=65535)


@lru_cache(maxsize=1)
def cache_ttl_seconds() -> int:
    return whole_number("CACHE_TTL_SECONDS", default=300)


@lru_cache(maxsize=1)
def views_table() -> str:
    return required("VIEWS_TABLE")


@lru_cache(maxsize=1)
def index_table() -> str:
    return required("INDEX_TABLE")


@lru_cache(maxsize=1)
def top_n() -> int:
    return whole_number("TOP_N", default=10, maximum=1000)
