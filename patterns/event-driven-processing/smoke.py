"""`make up`'s smoke requests for P16 event-driven-processing: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, wait_for


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    s3 = cloud.client("s3")
    name = f"smoke-{int(time.time())}"
    started = time.perf_counter()
    s3.put_object(
        Bucket=service["input_bucket_name"],
        Key=f"{service['input_prefix']}{name}.csv",
        Body=b"region,amount\nnorth,1.50\nnorth,2.50\n",
    )

    def report() -> dict[str, Any] | None:
        try:
            answer = s3.get_object(Bucket=service["output_bucket_name"], Key=f"{service['report_prefix']}{name}.json")
        except s3.exceptions.NoSuchKey:
            return None
        return json.loads(answer["Body"].read())

    found = wait_for(report)
    ok = bool(found) and found.get("totals") == {"north": "4.00"}
    return [
        Check(
            f"PutObject {name}.csv",
            f"report totals {found['totals']}" if found else "no report in 30 s",
            ok,
            time.perf_counter() - started,
        )
    ]
