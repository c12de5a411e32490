"""`make up`'s smoke requests for P30 regional-api-edge: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, viewer_request


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    checks = []
    started = time.perf_counter()
    status, headers, body = viewer_request(cloud, service["domain_name"], "/products")
    try:
        listed = isinstance(json.loads(body).get("products"), list)
    except (ValueError, AttributeError):
        listed = False
    ok = status == 200 and listed
    result = f"{status} {headers.get('X-Cache', '')}, the product list" if ok else f"{status} {body[:60]!r}"
    checks.append(Check("GET https://<distribution>/products", result, ok, time.perf_counter() - started))
    started = time.perf_counter()
    status, _, body = viewer_request(
        cloud,
        service["domain_name"],
        "/products/smoke",
        "PUT",
        {"Content-Type": "application/json"},
        b'{"name": "smoke", "price": 1}',
    )
    ok = status == 401
    checks.append(
        Check(
            "PUT https://<distribution>/products/smoke, no token",
            f"{status} {body[:40]!r}",
            ok,
            time.perf_counter() - started,
        )
    )
    return checks
