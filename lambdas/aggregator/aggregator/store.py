"""The calls the aggregator makes: each downstream service over HTTP, with its own timeout."""

from __future__ import annotations

import json
import urllib.request
from typing import Any


def fetch_json(url: str, timeout_s: float) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        return json.loads(response.read() or b"null")
