"""`make up`'s smoke requests for P12 big-fan: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.apigateway.urls import local_url
from localcloud.control import LocalCloud
from tooling.smoke import Check, http, wait_for


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    base = local_url(cloud.endpoint, service["api_id"], service["stage_name"])
    ddb = cloud.client("dynamodb")
    started = time.perf_counter()
    status, text = http("POST", f"{base}/events", '{"type": "payment", "detail": {"amount": 12}}')
    if status != 202:
        return [
            Check(
                "POST /events {type: payment}",
                f"{status} {text[:60]}",
                False,
                time.perf_counter() - started,
            )
        ]
    event_id = json.loads(text)["eventId"]
    expected = sorted(name for name, s in service["subscribers"].items() if "payment" in s["event_types"])

    def received() -> list[str]:
        items = ddb.query(
            TableName=service["deliveries_table_name"],
            ConsistentRead=True,
            KeyConditionExpression="eventId = :e",
            ExpressionAttributeValues={":e": {"S": event_id}},
        )["Items"]
        names = sorted(item["subscriber"]["S"] for item in items)
        return names if names == expected else []

    names = wait_for(received)
    return [
        Check(
            "POST /events {type: payment}",
            f"202, received by {', '.join(names) or 'nobody in 30 s'}",
            bool(names),
            time.perf_counter() - started,
        )
    ]
