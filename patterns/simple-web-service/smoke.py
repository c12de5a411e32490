"""`make up`'s smoke requests for P01 simple-web-service: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.apigateway.urls import local_url
from localcloud.control import LocalCloud
from tooling.smoke import Check, http


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    base = local_url(cloud.endpoint, service["api_id"], service["stage_name"])
    results = []

    def call(method: str, path: str, body: str | None, expect: int, label: str) -> str | None:
        started = time.perf_counter()
        status, text = http(method, f"{base}/{path}", body)
        results.append(
            Check(
                label,
                f"{status} {text[:60]}",
                status == expect,
                time.perf_counter() - started,
            )
        )
        return text if status == expect else None

    created = call("POST", "items", '{"name": "smoke"}', 201, "POST /items {name: smoke}")
    if created:
        item_id = json.loads(created)["id"]
        call("GET", f"items/{item_id}", None, 200, f"GET /items/{item_id[:8]}...")
    call("POST", "items", "{not json", 400, "POST /items {not json")
    return results
