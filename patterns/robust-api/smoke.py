"""`make up`'s smoke requests for P06 robust-api: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, http_api, wait_for


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    started = time.perf_counter()
    status, _, _ = http_api(cloud, service["api_id"], "POST", "/events", '{"type": "smoke"}')
    sqs = cloud.client("sqs")
    received = wait_for(
        lambda: sqs.receive_message(QueueUrl=service["events_queue_url"], WaitTimeSeconds=1).get("Messages", [])
    )
    ok = status == 200 and any(json.loads(m["Body"]) == {"type": "smoke"} for m in received or [])
    return [
        Check(
            "POST /events (SQS route)",
            f"{status}, in the events queue" if ok else f"{status}, not queued",
            ok,
            time.perf_counter() - started,
        )
    ]
