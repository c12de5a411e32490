"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    output_bucket: str
    input_prefix: str
    report_prefix: str
    failed_prefix: str
    max_bytes: int


@lru_cache(maxsize=1)
def settings() -> Settings:
    names = ("OUTPUT_BUCKET", "INPUT_PREFIX", "REPORT_PREFIX", "FAILED_PREFIX")
    missing = [name for name in names if name not in os.environ or (name == "OUTPUT_BUCKET" and not os.environ[name])]
    if missing:
        raise RuntimeError(f"{', '.join(missing)} not set: the function is misconfigured")
    raw_max = os.environ.get("MAX_BYTES", str(50 * 1024 * 1024))
    if not raw_max.isdigit() or int(raw_max) < 1:
        raise RuntimeError(f"MAX_BYTES must be a positive whole number of bytes: {raw_max!r}")
    return Settings(
        output_bucket=os.environ["OUTPUT_BUCKET"],
        input_prefix=os.environ["INPUT_PREFIX"],
        report_prefix=os.environ["REPORT_PREFIX"],
        failed_prefix=os.environ["FAILED_PREFIX"],
        max_bytes=int(raw_max),
    )
