"""`make up`'s smoke requests for P27 data-lake-reporting: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, wait_for


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    # A day of its own in the past (the table's range ends today), so earlier smokes do not add to it.
    moment = datetime.now(UTC) - timedelta(days=30, seconds=time.time_ns() % 86400)
    dt = f"{moment:%Y-%m-%d}"
    region = f"smoke{time.time_ns()}"
    started = time.perf_counter()
    s3 = cloud.client("s3")
    body = f"region,product,amount\n{region},p1,2.50\n{region},p2,1.25\n".encode()
    s3.put_object(
        Bucket=service["ingest_bucket_name"], Key=f"{service['ingest_prefix']}dt={dt}/{region}.csv", Body=body
    )
    key = f"{service['report_prefix']}dt={dt}/sales-by-region.csv"

    def reported() -> bool:
        try:
            text = s3.get_object(Bucket=service["reports_bucket_name"], Key=key)["Body"].read().decode()
        except s3.exceptions.NoSuchKey:
            return False
        return [region, "2", "3.75"] in list(csv.reader(io.StringIO(text)))

    found = wait_for(reported, timeout_s=30)
    return [
        Check(
            f"PutObject dt={dt}/{region[:12]}....csv, then the report",
            "reported: 2 sales, 3.75" if found else "no report in 30 s",
            bool(found),
            time.perf_counter() - started,
        )
    ]
