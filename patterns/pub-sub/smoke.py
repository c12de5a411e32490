"""`make up`'s smoke requests for P11 pub-sub: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, wait_for


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    s3 = cloud.client("s3")
    key = f"in/smoke-{int(time.time() * 1000)}.txt"
    started = time.perf_counter()
    s3.put_object(Bucket=service["uploads_bucket"], Key=key, Body=b"smoke test\n", ContentType="text/plain")
    expected = {"metadata": f"metadata/{key}.json", "preview": f"preview/{key}.txt", "gzip": f"gzip/{key}.gz"}

    def written(output_key: str) -> bool:
        found = s3.list_objects_v2(Bucket=service["outputs_bucket"], Prefix=output_key).get("Contents", [])
        return any(o["Key"] == output_key for o in found)

    done = [name for name, output_key in expected.items() if wait_for(lambda k=output_key: written(k))]
    return [
        Check(
            f"PutObject {key[:20]}...",
            f"outputs of {', '.join(done) or 'none in 30 s'}",
            len(done) == len(expected),
            time.perf_counter() - started,
        )
    ]
