"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    output_bucket: str
    preview_bytes: int


@lru_cache(maxsize=1)
def settings() -> Settings:
    bucket = os.environ.get("OUTPUT_BUCKET")
    if not bucket:
        raise RuntimeError("OUTPUT_BUCKET not set: the function is misconfigured")
    preview = os.environ.get("PREVIEW_BYTES", "1024")
    if not preview.isdigit() or int(preview) < 1:
        raise RuntimeError(f"PREVIEW_BYTES must be a positive whole number, not {preview!r}")
    return Settings(output_bucket=bucket, preview_bytes=int(preview))
