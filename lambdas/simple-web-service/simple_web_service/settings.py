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
    try:
        table_name = os.environ["TABLE_NAME"]
    except KeyError:
        raise RuntimeError("TABLE_NAME is not set: the function is misconfigured") from None
    return Settings(table_name=table_name, max_page_size=int(os.environ.get("MAX_PAGE_SIZE", "100")))
