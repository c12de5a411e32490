"""`make up`'s smoke requests for P03 internal-api: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    sku = f"smoke-{int(time.time())}"
    cloud.client("dynamodb").put_item(
        TableName=service["table_name"], Item={"pk": {"S": f"SKU#{sku}"}, "available": {"N": "5"}}
    )
    started = time.perf_counter()
    answer = cloud.client("lambda").invoke(
        FunctionName=service["function_name"],
        Payload=json.dumps({"action": "reserve", "sku": sku, "quantity": 2, "reservationId": f"{sku}-1"}),
    )
    body = json.loads(answer["Payload"].read())
    ok = answer.get("FunctionError") is None and body.get("ok") and body["result"]["available"] == 3
    result = f"reserved 2 of 5, {body['result']['available']} left" if ok else f"answered {body}"[:80]
    return [Check("Invoke service, reserve 2", result, bool(ok), time.perf_counter() - started)]
