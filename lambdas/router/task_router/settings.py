"""Configuration read once per cold start from the function's environment (each function reads only its own)."""

from __future__ import annotations

import json
from functools import lru_cache

from pattern_helpers.settings import required


@lru_cache(maxsize=1)
def routes() -> dict[str, str]:
    """Task type -> the function doing it (the router only)."""
    raw = required("ROUTES")
    try:
        parsed = json.loads(raw)
    except ValueError as exc:
        raise RuntimeError(f"ROUTES must be a JSON object of task type -> function name: {exc}") from exc
    if not isinstance(parsed, dict) or not all(isinstance(v, str) and v for v in parsed.values()):
        raise RuntimeError("ROUTES must be a JSON object of task type -> function name")
    return parsed


@lru_cache(maxsize=1)
def task_type() -> str:
    """A task function's own type (the task functions only)."""
    return required("TASK_TYPE")


@lru_cache(maxsize=1)
def task_table() -> str:
    """A task function's own table."""
    return required("TASK_TABLE")
