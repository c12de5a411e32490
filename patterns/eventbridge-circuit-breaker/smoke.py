"""`make up`'s smoke requests for P22 eventbridge-circuit-breaker: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    started = time.perf_counter()
    answer = cloud.client("lambda").invoke(
        FunctionName=service["function_name"], Payload=json.dumps({"method": "GET", "path": "/health"})
    )
    result = json.loads(answer["Payload"].read())
    return [
        Check(
            "invoke the guard: GET /health",
            f"{result.get('status')}, {result.get('recentFailures')} recent failures",
            result.get("ok") is True,
            time.perf_counter() - started,
        )
    ]
