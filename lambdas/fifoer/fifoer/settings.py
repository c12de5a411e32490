"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    ledger_table: str
    deduplication_days: int


@lru_cache(maxsize=1)
def settings() -> Settings:
    table = os.environ.get("LEDGER_TABLE")
    if not table:
        raise RuntimeError("LEDGER_TABLE not set: the function is misconfigured")
    days = os.environ.get("DEDUPLICATION_DAYS", "7")
    if not days.isdigit() or int(days) < 1:
        raise RuntimeError(f"DEDUPLICATION_DAYS must be a positive whole number of days, not {days!r}")
    return Settings(ledger_table=table, deduplication_days=int(days))
