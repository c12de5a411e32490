"""`make up`'s smoke requests for P02 gatekeeper: what it is asked, and the answer the pattern promises."""

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
    answer = cloud.client("lambda").invoke(
        FunctionName=service["key_admin_function_name"],
        Payload=json.dumps(
            {"action": "issue", "principal": "make-up", "tenant": "smoke", "scopes": ["read", "write"], "ttlDays": 1}
        ),
    )
    issued = json.loads(answer["Payload"].read())
    if not issued.get("ok"):
        return [Check("issue a key", str(issued)[:60], False, time.perf_counter() - started)]
    key = {"Authorization": f"Bearer {issued['key']}"}
    status, text = http("POST", f"{base}/tenants/smoke/documents", '{"title": "smoke"}', key)
    results = [
        Check(
            "issue a key, POST tenants/smoke/documents",
            f"{status} {text[:60]}",
            status == 201,
            time.perf_counter() - started,
        )
    ]
    started = time.perf_counter()
    status, text = http("GET", f"{base}/tenants/other/documents", None, key)
    results.append(
        Check(
            "GET tenants/other/documents (same key)",
            f"{status} {text[:60]}",
            status == 403,
            time.perf_counter() - started,
        )
    )
    return results
