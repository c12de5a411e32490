"""`make up`'s smoke requests for P08 router: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, wait_for


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    task_id = f"smoke-{int(time.time())}"
    started = time.perf_counter()
    cloud.client("lambda").invoke(
        FunctionName=service["router_function_name"],
        InvocationType="Event",
        Payload=json.dumps(
            {"taskType": "sms", "taskId": task_id, "payload": {"to": "+4915112345678", "text": "smoke"}}
        ),
    )
    ddb = cloud.client("dynamodb")

    def done() -> dict[str, Any] | None:
        return ddb.get_item(
            TableName=service["tasks"]["sms"]["table_name"], ConsistentRead=True, Key={"taskId": {"S": task_id}}
        ).get("Item")

    item = wait_for(done)
    return [
        Check(
            "Invoke router (Event), sms task",
            "recorded by the sms function" if item else "not recorded in 30 s",
            bool(item),
            time.perf_counter() - started,
        )
    ]
