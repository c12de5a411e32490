"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    table_name: str
    max_page_size: int


@lru_cache(maxsize=1)
def settings() -> Settings:
    table = os.environ.get("TABLE_NAME")
    if not table:
        raise RuntimeError("TABLE_NAME not set: the function is misconfigured")
    page = os.environ.get("MAX_PAGE_SIZE", "100")
    if not page.isdigit() or int(page) < 1:
        raise RuntimeError(f"MAX_PAGE_SIZE must be a positive whole number, not {page!r}")
    return Settings(table_name=table, max_page_size=int(page))
