"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    changes_table: str


@lru_cache(maxsize=1)
def settings() -> Settings:
    table = os.environ.get("CHANGES_TABLE")
    if not table:
        raise RuntimeError("CHANGES_TABLE not set: the function is misconfigured")
    return Settings(changes_table=table)
