"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    topic_arn: str
    service: str


@lru_cache(maxsize=1)
def settings() -> Settings:
    missing = [name for name in ("TOPIC_ARN", "SERVICE_NAME") if not os.environ.get(name)]
    if missing:
        raise RuntimeError(f"{', '.join(missing)} not set: the function is misconfigured")
    return Settings(topic_arn=os.environ["TOPIC_ARN"], service=os.environ["SERVICE_NAME"])
