"""Limits AWS puts on names that moto does not check."""

from __future__ import annotations

MAX_NAME = 64


def too_long(value: str, field: str) -> str | None:
    if len(value) <= MAX_NAME:
        return None
    return (
        f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: "
        f"Member must have length less than or equal to {MAX_NAME}"
    )
