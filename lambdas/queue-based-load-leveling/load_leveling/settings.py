"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    results_table: str
    idempotency_table: str


@lru_cache(maxsize=1)
def settings() -> Settings:
    missing = [name for name in ("RESULTS_TABLE", "IDEMPOTENCY_TABLE") if not os.environ.get(name)]
    if missing:
        raise RuntimeError(f"{', '.join(missing)} not set: the function is misconfigured")
    return Settings(results_table=os.environ["RESULTS_TABLE"], idempotency_table=os.environ["IDEMPOTENCY_TABLE"])
