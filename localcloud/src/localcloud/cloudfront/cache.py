"""The edge's cache: what a distribution serves without asking its origin again.

Entries are kept per distribution under the cache key the behaviour's cache policy (or legacy
`ForwardedValues`) builds, for the TTL CloudFront would choose: the origin's `Cache-Control` (`s-maxage`,
then `max-age`) or `Expires` clamped to the policy's minimum and maximum, else its default; `no-store`,
`no-cache` and `private` keep a response out only while the minimum TTL is 0. Error answers are kept for
the error caching minimum TTL (10 seconds unless a custom error response says otherwise) or the origin's
longer `max-age`, whatever the cache policy says. An invalidation
removes every entry whose path it names (`/images/*` names a prefix), whatever its query string.
"""

from __future__ import annotations

import email.utils
import threading
import time
from dataclasses import dataclass, field

# Statuses CloudFront caches as content; errors it caches for the error caching minimum TTL (not 416).
CACHEABLE = {200, 203, 206, 300, 301}
CACHED_ERRORS = {400, 403, 404, 405, 410, 414, 500, 501, 502, 503, 504}
# Errors an origin's no-store, no-cache or private keeps out of the cache (for others CloudFront ignores them).
ERRORS_HONOURING_NO_STORE = {404, 410, 414, 501}
ERROR_CACHING_MIN_TTL = 10


@dataclass
class Entry:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    stored_at: float
    ttl: float
    path: str  # the request path, for invalidations
    error_page: bool = False  # a custom error response's page, kept under the URL that failed

    def fresh(self, now: float) -> bool:
        return now - self.stored_at < self.ttl

    def age(self, now: float) -> int:
        return int(now - self.stored_at)


@dataclass
class _Store:
    entries: dict[tuple[str, ...], Entry] = field(default_factory=dict)


_lock = threading.Lock()
_stores: dict[str, _Store] = {}  # distribution id -> its entries


def lookup(distribution_id: str, key: tuple[str, ...]) -> Entry | None:
    now = time.time()
    with _lock:
        entry = _stores.get(distribution_id, _Store()).entries.get(key)
        if entry is not None and not entry.fresh(now):
            del _stores[distribution_id].entries[key]
            return None
        return entry


def store(distribution_id: str, key: tuple[str, ...], entry: Entry) -> None:
    if entry.ttl <= 0:
        return
    with _lock:
        _stores.setdefault(distribution_id, _Store()).entries[key] = entry


def replace(
    distribution_id: str,
    key: tuple[str, ...],
    status: int,
    headers: list[tuple[str, str]],
    body: bytes,
    *,
    error_page: bool,
) -> None:
    """Keep another answer under a key already cached, for what is left of its TTL."""
    with _lock:
        found = _stores.get(distribution_id, _Store()).entries.get(key)
        if found is not None:
            found.status, found.headers, found.body, found.error_page = status, list(headers), body, error_page


def _directives(cache_control: str) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for part in cache_control.split(","):
        name, _, value = part.strip().partition("=")
        if name:
            found[name.lower()] = value.strip('"') if value else None
    return found


def _header_ttl(headers: dict[str, str]) -> float | None:
    """What the origin's `Cache-Control` (`s-maxage`, then `max-age`) or `Expires` says, if anything."""
    directives = _directives(headers.get("cache-control", ""))
    for name in ("s-maxage", "max-age"):
        value = directives.get(name)
        if value is not None and value.isdigit():
            return float(value)
    try:
        return email.utils.parsedate_to_datetime(headers["expires"]).timestamp() - time.time()
    except (KeyError, TypeError, ValueError):  # no Expires, or one that is not a date
        return None


def ttl_for(
    status: int, headers: dict[str, str], minimum: int, default: int, maximum: int, error_ttl: int | None
) -> float:
    """How long CloudFront keeps a response (0: not at all)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    refuses = any(d in _directives(lowered.get("cache-control", "")) for d in ("no-store", "no-cache", "private"))
    said = _header_ttl(lowered)
    if status in CACHED_ERRORS:
        if status in ERRORS_HONOURING_NO_STORE and refuses:
            return 0.0
        floor = float(error_ttl if error_ttl is not None else ERROR_CACHING_MIN_TTL)
        return max(floor, min(said, float(maximum))) if said is not None else floor
    if status not in CACHEABLE:
        return 0.0
    if refuses:
        return float(minimum)
    chosen = said if said is not None else float(default)
    return float(min(max(chosen, minimum), maximum))


def invalidate(distribution_id: str, paths: list[str]) -> None:
    with _lock:
        store_ = _stores.get(distribution_id)
        if store_ is None:
            return
        for key, entry in list(store_.entries.items()):
            if any(_names(path, entry.path) for path in paths):
                del store_.entries[key]


def _names(invalidation_path: str, path: str) -> bool:
    if invalidation_path.endswith("*"):
        return path.startswith(invalidation_path[:-1])
    return path == invalidation_path


def forget(distribution_id: str) -> None:
    """A deleted distribution's cache goes with it (an update keeps it, as CloudFront's does)."""
    with _lock:
        _stores.pop(distribution_id, None)
