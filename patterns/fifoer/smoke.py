"""`make up`'s smoke requests for P13 fifoer: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, wait_for


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    sqs, ddb = cloud.client("sqs"), cloud.client("dynamodb")
    account = f"smoke-{int(time.time())}"
    started = time.perf_counter()
    for reference, kind, amount in (("s-1", "deposit", 100), ("s-2", "withdrawal", 30)):
        sqs.send_message(
            QueueUrl=service["queue_url"],
            MessageGroupId=account,
            MessageBody=json.dumps({"account": account, "kind": kind, "amount": amount, "reference": reference}),
        )

    def applied() -> list[dict[str, Any]]:
        items = ddb.query(
            TableName=service["ledger_table_name"],
            ConsistentRead=True,
            KeyConditionExpression="pk = :a AND begins_with(sk, :e)",
            ExpressionAttributeValues={":a": {"S": account}, ":e": {"S": "ENTRY#"}},
        )["Items"]
        return items if len(items) == 2 else []

    entries = wait_for(applied)
    trail = " -> ".join(f"{e['reference']['S']} {e['status']['S']} {e['balanceAfter']['N']}" for e in entries)
    ok = [e["balanceAfter"]["N"] for e in entries] == ["100", "70"]
    return [
        Check(
            "SQS FIFO deposit 100, withdraw 30",
            trail or "not applied in 30 s",
            ok,
            time.perf_counter() - started,
        )
    ]
