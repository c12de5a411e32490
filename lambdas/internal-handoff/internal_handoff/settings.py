"""Configuration read once per cold start from the function's environment (each function reads only its own)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


def _required(*names: str) -> list[str]:
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        raise RuntimeError(f"{', '.join(missing)} not set: the function is misconfigured")
    return [os.environ[name] for name in names]


@dataclass(frozen=True)
class CallerSettings:
    target_function: str


@dataclass(frozen=True)
class WorkerSettings:
    ledger_table: str
    idempotency_table: str
    idempotency_hours: int


@lru_cache(maxsize=1)
def caller_settings() -> CallerSettings:
    (target,) = _required("TARGET_FUNCTION")
    return CallerSettings(target_function=target)


@lru_cache(maxsize=1)
def worker_settings() -> WorkerSettings:
    ledger, idempotency = _required("LEDGER_TABLE", "IDEMPOTENCY_TABLE")
    hours = os.environ.get("IDEMPOTENCY_HOURS", "24")
    if not hours.isdigit() or int(hours) < 1:
        raise RuntimeError(f"IDEMPOTENCY_HOURS must be a whole number of hours, at least 1: {hours!r}")
    return WorkerSettings(ledger_table=ledger, idempotency_table=idempotency, idempotency_hours=int(hours))
