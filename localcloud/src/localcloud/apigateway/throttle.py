"""Token buckets for stage and method throttling (rate per second, burst capacity)."""

from __future__ import annotations

import threading
import time


class TokenBuckets:
    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill)
        self._lock = threading.Lock()

    def take(self, key: str, rate: float | None, burst: float | None) -> bool:
        """Take one token; False when the bucket is empty. No limits configured means no throttling."""
        if rate is None and burst is None:
            return True
        rate = float(rate if rate is not None else 10_000)
        capacity = float(burst if burst is not None else max(rate, 1))
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1, now)
            return True
