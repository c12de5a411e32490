"""Calling the downstream services at once and merging what arrived: plain functions (the call itself is store.fetch_json).

Each part has its own timeout; the whole waits for the slowest allowed call, not the sum. A part that
fails or is late is named in `missing` with the reason, and the answer carries the parts that came.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

CUSTOMER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
RESERVED = {"customerId", "missing", "elapsedMs"}  # the answer's own fields: no part may take their names


class InvalidDownstreams(ValueError):
    pass


@dataclass(frozen=True)
class Outcome:
    part: str
    data: Any = None
    problem: str | None = None


def parse_downstreams(raw: str) -> dict[str, str]:
    """DOWNSTREAMS: a JSON object of part name -> URL template with {customerId}."""
    try:
        parsed = json.loads(raw)
    except ValueError as exc:
        raise InvalidDownstreams(f"DOWNSTREAMS is not JSON: {exc}") from exc
    if (
        not isinstance(parsed, dict)
        or not parsed
        or not all(
            isinstance(url, str) and url.startswith(("http://", "https://")) and "{customerId}" in url
            for url in parsed.values()
        )
    ):
        raise InvalidDownstreams("DOWNSTREAMS must map each part to an http(s) URL template with {customerId}")
    if RESERVED & set(parsed):
        raise InvalidDownstreams(f"part names {', '.join(sorted(RESERVED & set(parsed)))} are the answer's own fields")
    return parsed


def call_one(part: str, url: str, timeout_s: float, fetch: Callable[[str, float], Any]) -> Outcome:
    try:
        return Outcome(part, data=fetch(url, timeout_s))
    except urllib.error.HTTPError as exc:
        return Outcome(part, problem=f"answered HTTP {exc.code}")
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        late = isinstance(reason, TimeoutError) or "timed out" in str(reason)
        return Outcome(
            part, problem=f"timed out after {int(timeout_s * 1000)} ms" if late else f"unreachable: {reason}"
        )
    except ValueError:
        return Outcome(part, problem="answered something that is not JSON")


def aggregate(
    customer_id: str, downstreams: dict[str, str], timeout_ms: int, fetch: Callable[[str, float], Any]
) -> dict[str, Any]:
    """Every part at once; the answer when all are in or the timeout (plus a little) has passed."""
    quoted = urllib.parse.quote(customer_id, safe="")
    timeout_s = timeout_ms / 1000
    started = time.monotonic()
    outcomes: dict[str, Outcome] = {}
    pool = ThreadPoolExecutor(max_workers=len(downstreams))
    try:
        futures = {
            pool.submit(call_one, part, url.replace("{customerId}", quoted), timeout_s, fetch): part
            for part, url in downstreams.items()
        }
        pending = set(futures)
        deadline = started + timeout_s + 0.25  # a connect and a read each bounded by the timeout
        while pending and time.monotonic() < deadline:
            done, pending = wait(pending, timeout=max(0.0, deadline - time.monotonic()), return_when=FIRST_COMPLETED)
            for future in done:
                outcome = future.result()
                outcomes[outcome.part] = outcome
        for future in pending:
            outcomes[futures[future]] = Outcome(futures[future], problem=f"timed out after {timeout_ms} ms")
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    answer: dict[str, Any] = {"customerId": customer_id}
    for part in downstreams:
        if outcomes[part].problem is None:
            answer[part] = outcomes[part].data
    answer["missing"] = [{"part": p, "reason": outcomes[p].problem} for p in downstreams if outcomes[p].problem]
    answer["elapsedMs"] = int((time.monotonic() - started) * 1000)
    return answer
