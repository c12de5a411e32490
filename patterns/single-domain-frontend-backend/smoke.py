"""`make up`'s smoke requests for P31 single-domain-frontend-backend: what it is asked, and the answer the pattern
promises."""

from __future__ import annotations

import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, viewer_request


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    checks = []
    started = time.perf_counter()
    status, headers, body = viewer_request(cloud, service["domain_name"], "/")
    ok = status == 200 and b"<title>Message board</title>" in body
    result = f"{status} {headers.get('X-Cache', '')}, the app page" if ok else f"{status} {body[:60]!r}"
    checks.append(Check("GET https://<distribution>/", result, ok, time.perf_counter() - started))
    started = time.perf_counter()
    status, headers, body = viewer_request(cloud, service["domain_name"], "/api/messages")
    ok = status == 200 and b'"messages"' in body and "Access-Control-Allow-Origin" not in headers
    result = f"{status}, the board, no CORS headers" if ok else f"{status} {body[:60]!r}"
    checks.append(Check("GET https://<distribution>/api/messages", result, ok, time.perf_counter() - started))
    return checks
