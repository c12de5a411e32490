"""Configuration read once per cold start from the function's environment (each function reads only its own)."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers import settings as helpers
from pattern_helpers.settings import Database, required


@lru_cache(maxsize=1)
def customers_table() -> str:
    """The customers table (the API only)."""
    return required("CUSTOMERS_TABLE")


@lru_cache(maxsize=1)
def database() -> Database:
    """Where the copy lives (the replicator, the migration)."""
    return helpers.database()


def user_secrets() -> str:
    """The database users' secrets, as JSON (the migration function)."""
    return required("DB_USER_SECRETS")
