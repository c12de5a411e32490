"""`make up`'s smoke requests for P04 internal-handoff: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, wait_for


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    customer = f"smoke-{int(time.time())}"
    started = time.perf_counter()
    answer = cloud.client("lambda").invoke(
        FunctionName=service["caller_function_name"],
        Payload=json.dumps({"orderId": f"{customer}-1", "customer": customer, "amount": 42}),
    )
    accepted = json.loads(answer["Payload"].read()).get("status") == "accepted"
    ddb = cloud.client("dynamodb")

    def credited() -> dict[str, Any] | None:
        return ddb.get_item(
            TableName=service["ledger_table_name"], ConsistentRead=True, Key={"customer": {"S": customer}}
        ).get("Item")

    item = wait_for(credited) if accepted else None
    result = (
        f"accepted; worker credited {item['balance']['N']}"
        if item
        else ("accepted; not credited in 30 s" if accepted else "caller did not accept the order")
    )
    return [Check("Invoke caller, order of 42", result, bool(item), time.perf_counter() - started)]
