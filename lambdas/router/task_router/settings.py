"""Configuration read once per cold start from the function's environment (each function reads only its own)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} not set: the function is misconfigured")
    return value


@lru_cache(maxsize=1)
def routes() -> dict[str, str]:
    """Task type -> the function doing it (the router only)."""
    raw = _required("ROUTES")
    try:
        parsed = json.loads(raw)
    except ValueError as exc:
        raise RuntimeError(f"ROUTES must be a JSON object of task type -> function name: {exc}") from exc
    if not isinstance(parsed, dict) or not all(isinstance(v, str) and v for v in parsed.values()):
        raise RuntimeError("ROUTES must be a JSON object of task type -> function name")
    return parsed


@dataclass(frozen=True)
class TaskSettings:
    task_type: str
    table: str


@lru_cache(maxsize=1)
def task_settings() -> TaskSettings:
    """A task function's own type and table."""
    return TaskSettings(task_type=_required("TASK_TYPE"), table=_required("TASK_TABLE"))
