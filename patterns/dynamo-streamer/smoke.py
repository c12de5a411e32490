"""`make up`'s smoke requests for P09 dynamo-streamer: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.apigateway.urls import local_url
from localcloud.control import LocalCloud
from tooling.smoke import Check, http, wait_for


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    base = local_url(cloud.endpoint, service["api_id"], service["stage_name"])
    started = time.perf_counter()
    status, text = http("POST", f"{base}/messages", '{"message": "smoke", "author": "make up"}')
    if status != 201:
        return [Check("POST /messages", f"{status} {text[:60]}", False, time.perf_counter() - started)]
    message_id = json.loads(text)["id"]
    ddb = cloud.client("dynamodb")

    def change() -> list[dict[str, Any]]:
        return ddb.query(
            TableName=service["changes_table_name"],
            KeyConditionExpression="id = :id",
            ExpressionAttributeValues={":id": {"S": message_id}},
        )["Items"]

    found = wait_for(change)
    return [
        Check(
            "POST /messages, then the stream consumer",
            f"201, change log {found[0]['kind']['S']}" if found else "201, no change logged in 30 s",
            bool(found),
            time.perf_counter() - started,
        )
    ]
