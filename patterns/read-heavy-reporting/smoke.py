"""`make up`'s smoke requests for P24 read-heavy-reporting: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, http_api


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    article = f"smoke-{int(time.time())}"
    started = time.perf_counter()
    status, _, body = http_api(
        cloud,
        service["api_id"],
        "PUT",
        f"/articles/{article}",
        json.dumps({"title": "Smoke", "body": "Cached.", "author": "make up"}),
    )
    served = []
    if status == 200:
        for _ in range(2):
            status, headers, body = http_api(cloud, service["api_id"], "GET", f"/articles/{article}")
            served.append(headers.get("x-cache") if status == 200 else f"{status} {body[:40]!r}")
    return [
        Check(
            "PUT /articles/..., GET it twice",
            " then ".join(str(s) for s in served) if served else f"{status} {body[:60]!r}",
            served == ["miss", "hit"],
            time.perf_counter() - started,
        )
    ]
