"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    subscriber: str
    deliveries_table: str


@lru_cache(maxsize=1)
def settings() -> Settings:
    missing = [name for name in ("SUBSCRIBER", "DELIVERIES_TABLE") if not os.environ.get(name)]
    if missing:
        raise RuntimeError(f"{', '.join(missing)} not set: the function is misconfigured")
    return Settings(subscriber=os.environ["SUBSCRIBER"], deliveries_table=os.environ["DELIVERIES_TABLE"])
