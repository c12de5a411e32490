"""`make up`'s smoke requests for P14 queue-based-load-leveling: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.apigateway.urls import local_url
from localcloud.control import LocalCloud
from tooling.smoke import Check, http


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    base = local_url(cloud.endpoint, service["api_id"], service["stage_name"])
    started = time.perf_counter()
    status, text = http("POST", f"{base}/requests", '{"customer": "smoke", "amount": 100}')
    results = [
        Check(
            "POST /requests {amount: 100}",
            f"{status} {text[:60]}",
            status == 202,
            time.perf_counter() - started,
        )
    ]
    if status != 202:
        return results
    started = time.perf_counter()
    location = json.loads(text)["status"]
    answer = ""
    while time.perf_counter() - started < 30:
        code, answer = http("GET", f"{base}/{location}")
        if code == 200 and json.loads(answer).get("status") == "DONE":
            break
        time.sleep(0.3)
    done = '"DONE"' in answer
    results.append(
        Check(
            f"GET {location[:17]}... until DONE",
            " ".join(answer.split())[:60],
            done,
            time.perf_counter() - started,
        )
    )
    return results
