"""Calling an HTTP service with a timeout, every outcome an answer: (status, body), or (None, why) when the
service could not be reached or did not answer in time."""

from __future__ import annotations

import urllib.error
import urllib.request

BODY_LIMIT = 65536  # what is kept of an answer's body


def call(
    method: str, url: str, timeout_s: float, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return response.status, response.read(BODY_LIMIT).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(BODY_LIMIT).decode("utf-8", "replace")
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        return None, str(getattr(error, "reason", error))


def timed_out(reason: str) -> bool:
    """Whether a failed call's reason is a timeout (rather than a refused or unknown host)."""
    return "timed out" in reason
