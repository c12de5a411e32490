"""`make up`'s smoke requests for P25 streamer: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import gzip
import json
import time
from typing import Any

from localcloud.apigateway.urls import local_url
from localcloud.control import LocalCloud
from tooling.smoke import Check, http, wait_for

# Beyond this much buffering (an environment's production settings), the smoke reads the reading back from
# the stream rather than wait for the archive.
PATIENCE_S = 60


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    base = local_url(cloud.endpoint, service["api_id"], service["stage_name"])
    device = f"smoke-{time.time_ns()}"
    started = time.perf_counter()
    status, text = http("POST", f"{base}/readings", json.dumps({"deviceId": device, "metric": "t", "value": 21.5}))
    if status != 202:
        return [Check("POST /readings", f"{status} {text[:60]}", False, time.perf_counter() - started)]
    taken = json.loads(text)
    buffered = int(service["buffered_seconds"])
    if buffered > PATIENCE_S:
        kinesis = cloud.client("kinesis")
        iterator = kinesis.get_shard_iterator(
            StreamName=service["stream_name"],
            ShardId=taken["shardId"],
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            StartingSequenceNumber=taken["sequenceNumber"],
        )["ShardIterator"]
        records = kinesis.get_records(ShardIterator=iterator, Limit=1)["Records"]
        ok = bool(records) and json.loads(records[0]["Data"])["deviceId"] == device
        result = f"202, on the stream (archived within {buffered} s)" if ok else "202, not on the stream"
        return [Check("POST /readings, then the stream", result, ok, time.perf_counter() - started)]
    s3 = cloud.client("s3")
    bucket, prefix = service["archive_bucket_name"], service["records_prefix"]

    def archived() -> bool:
        for item in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []):
            body = gzip.decompress(s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read())
            if any(json.loads(line)["deviceId"] == device for line in body.splitlines()):
                return True
        return False

    found = wait_for(archived, timeout_s=buffered + 30)
    return [
        Check(
            "POST /readings, then the archive",
            "202, archived as a clean line" if found else f"202, not archived in {buffered + 30} s",
            bool(found),
            time.perf_counter() - started,
        )
    ]
