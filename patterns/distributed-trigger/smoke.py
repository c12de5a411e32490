"""`make up`'s smoke requests for P15 distributed-trigger: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, queues_reached


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    sqs = cloud.client("sqs")
    order = f"smoke-{int(time.time() * 1000)}"
    started = time.perf_counter()
    cloud.client("events").put_events(
        Entries=[
            {
                "EventBusName": service["event_bus_name"],
                "Source": "serverless-patterns.orders",
                "DetailType": "OrderPlaced",
                "Detail": json.dumps({"id": order}),
            }
        ]
    )

    reached = queues_reached(
        sqs,
        {name: s["queue_url"] for name, s in service["subscribers"].items()},
        lambda body: json.loads(body).get("subject") == order,
    )
    return [
        Check(
            "PutEvents OrderPlaced",
            f"in the queues of {', '.join(reached)}",
            len(reached) == len(service["subscribers"]),
            time.perf_counter() - started,
        )
    ]
