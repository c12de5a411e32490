"""`make up`'s smoke requests for P29 spa: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, viewer_request


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    checks = []
    for path in ("/", "/orders/42"):
        started = time.perf_counter()
        status, headers, body = viewer_request(cloud, service["domain_name"], path)
        ok = status == 200 and b"<title>Items</title>" in body and "Strict-Transport-Security" in headers
        result = f"{status} {headers.get('X-Cache', '')}, the app page" if ok else f"{status} {body[:60]!r}"
        checks.append(Check(f"GET https://<distribution>{path}", result, ok, time.perf_counter() - started))
    return checks
