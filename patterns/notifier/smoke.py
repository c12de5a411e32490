"""`make up`'s smoke requests for P10 notifier: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, queues_reached


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    sqs = cloud.client("sqs")
    invoice = f"smoke-{int(time.time() * 1000)}"
    started = time.perf_counter()
    cloud.client("sns").publish(
        TopicArn=service["topic_arn"], Message=json.dumps({"type": "InvoiceIssued", "invoice": invoice})
    )

    reached = queues_reached(
        sqs, {name: s["queue_url"] for name, s in service["queue_subscribers"].items()}, lambda body: invoice in body
    )
    return [
        Check(
            "Publish InvoiceIssued",
            f"in the queues of {', '.join(reached)}",
            len(reached) == len(service["queue_subscribers"]),
            time.perf_counter() - started,
        )
    ]
