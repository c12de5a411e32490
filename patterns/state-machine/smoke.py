"""`make up`'s smoke requests for P19 state-machine: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, execution_status


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    ddb, sfn = cloud.client("dynamodb"), cloud.client("stepfunctions")
    for sku in ("SMOKE-LAMP", "SMOKE-BULB"):
        ddb.put_item(TableName=service["inventory_table_name"], Item={"sku": {"S": sku}, "stock": {"N": "1000"}})
    order = {
        "orderId": f"smoke-{int(time.time())}",
        "customer": "make up",
        "items": [
            {"sku": "SMOKE-LAMP", "quantity": 1, "price": "40.00"},
            {"sku": "SMOKE-BULB", "quantity": 2, "price": "2.50"},
        ],
    }
    started = time.perf_counter()
    status = execution_status(sfn, service["state_machine_arn"], order)
    return [
        Check(
            "StartExecution (an order of 2 lines)",
            status,
            status == "SUCCEEDED",
            time.perf_counter() - started,
        )
    ]
