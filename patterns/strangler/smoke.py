"""`make up`'s smoke requests for P07 strangler: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, http_api


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    started = time.perf_counter()
    status, headers, _ = http_api(
        cloud, service["api_id"], "POST", "/products", json.dumps({"name": "smoke", "price": 1})
    )
    served = headers.get("x-served-by")
    ok = status == 201 and served == "products-service"
    return [
        Check(
            "POST /products (migrated)",
            f"{status} served by {served}",
            ok,
            time.perf_counter() - started,
        )
    ]
