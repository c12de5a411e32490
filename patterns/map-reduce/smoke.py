"""`make up`'s smoke requests for P18 map-reduce: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, wait_for


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    s3 = cloud.client("s3")
    name = f"smoke-{int(time.time())}.txt"
    text = "to be or not to be " * 200
    started = time.perf_counter()
    s3.put_object(Bucket=service["input_bucket_name"], Key=f"{service['input_prefix']}{name}", Body=text.encode())

    def result() -> dict[str, Any] | None:
        listed = s3.list_objects_v2(Bucket=service["work_bucket_name"], Prefix="jobs/").get("Contents", [])
        found = [o["Key"] for o in listed if o["Key"].endswith("/result.json") and f"/{name}-" in o["Key"]]
        return (
            json.loads(s3.get_object(Bucket=service["work_bucket_name"], Key=found[0])["Body"].read())
            if found
            else None
        )

    found = wait_for(result)
    ok = bool(found) and found["counts"] == {"be": 400, "not": 200, "or": 200, "to": 400}
    return [
        Check(
            f"PutObject {name}",
            f"{found['words']} words by {found['mappers']} mapper(s)" if found else "no result in 30 s",
            ok,
            time.perf_counter() - started,
        )
    ]
