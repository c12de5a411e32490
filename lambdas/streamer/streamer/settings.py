"""Configuration read once per cold start from the function's environment."""

from __future__ import annotations

import os
from functools import lru_cache

from pattern_helpers.settings import Misconfigured


@lru_cache(maxsize=1)
def dropped_metrics() -> frozenset[str]:
    """Metrics that only say a device is alive (`heartbeat` unless DROPPED_METRICS names others): not archived."""
    raw = os.environ.get("DROPPED_METRICS", "heartbeat")
    names = frozenset(name.strip().lower() for name in raw.split(",") if name.strip())
    if not names:
        raise Misconfigured("DROPPED_METRICS must name at least one metric, comma-separated")
    return names
