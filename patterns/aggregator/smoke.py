"""`make up`'s smoke requests for P05 aggregator: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, http_api


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    started = time.perf_counter()
    status, _, raw = http_api(cloud, service["api_id"], "GET", "/customers/smoke/overview")
    body = json.loads(raw) if status == 200 else {}
    arrived = sorted(p for p in service["parts"] if p in body)
    missing = sorted(m["part"] for m in body.get("missing", []))
    # The local environment's stand-ins: one part answers, the other is a closed port, named as missing.
    ok = status == 200 and arrived == ["status"] and missing == ["unreachable"]
    return [
        Check(
            "GET /customers/smoke/overview",
            f"{status}, parts {arrived}, missing {missing}",
            ok,
            time.perf_counter() - started,
        )
    ]
