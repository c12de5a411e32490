"""`make up`'s smoke requests for P07 strangler: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, http_api


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    # GET /products/{id} is migrated in every environment: the new service answers, whatever the id.
    started = time.perf_counter()
    status, headers, _ = http_api(cloud, service["api_id"], "GET", "/products/smoke-unknown")
    served = headers.get("x-served-by")
    ok = status == 404 and served == "products-service"
    return [
        Check(
            "GET /products/smoke-unknown (migrated)",
            f"{status} served by {served}",
            ok,
            time.perf_counter() - started,
        )
    ]
