"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

import os
from functools import lru_cache

from pattern_helpers.settings import whole_number

from . import logic


@lru_cache(maxsize=1)
def downstreams() -> dict[str, str]:
    """DOWNSTREAMS: part name -> URL template with {customerId}."""
    return logic.parse_downstreams(os.environ.get("DOWNSTREAMS", ""))


@lru_cache(maxsize=1)
def call_timeout_ms() -> int:
    return whole_number("CALL_TIMEOUT_MS", default=1000, minimum=50, maximum=25000)
