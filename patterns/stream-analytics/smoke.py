"""`make up`'s smoke requests for P26 stream-analytics: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, wait_for

# Beyond this much waiting (an environment's production windows and buffering), the smoke reads the reading
# back from the stream rather than wait for its window to close or the archive to fill.
PATIENCE_S = 30


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    sensor = f"smoke-{time.time_ns()}"
    started = time.perf_counter()
    kinesis = cloud.client("kinesis")
    data = json.dumps({"sensor": sensor, "value": 21.5}).encode() + b"\n"
    put = kinesis.put_record(StreamName=service["stream_name"], PartitionKey=sensor, Data=data)
    window = int(service["window_seconds"])
    if window > PATIENCE_S:
        iterator = kinesis.get_shard_iterator(
            StreamName=service["stream_name"],
            ShardId=put["ShardId"],
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            StartingSequenceNumber=put["SequenceNumber"],
        )["ShardIterator"]
        records = kinesis.get_records(ShardIterator=iterator, Limit=1)["Records"]
        ok = bool(records) and records[0]["Data"] == data
        result = f"on the stream (counted when its {window} s window ends)" if ok else "not on the stream"
        return [Check("PutRecord, then the stream", result, ok, time.perf_counter() - started)]
    ddb = cloud.client("dynamodb")

    def counted() -> bool:
        items = ddb.query(
            TableName=service["windows_table_name"],
            KeyConditionExpression="sensor = :s",
            ExpressionAttributeValues={":s": {"S": sensor}},
        )["Items"]
        return sum(int(i["count"]["N"]) for i in items) == 1

    found = wait_for(counted, timeout_s=window + 20)
    checks = [
        Check(
            "PutRecord, then its window",
            "counted once in DynamoDB" if found else f"not counted in {window + 20} s",
            bool(found),
            time.perf_counter() - started,
        )
    ]
    archived_within = int(service["archived_within_seconds"])
    if not found or archived_within > PATIENCE_S:
        return checks
    started = time.perf_counter()
    athena = cloud.client("athena")
    yesterday = f"{datetime.now(UTC) - timedelta(days=1):%Y-%m-%d}"  # only the days that can hold it

    def queried() -> bool:
        execution_id = athena.start_query_execution(
            QueryString=f"SELECT count(*) FROM {service['table_name']} WHERE dt >= '{yesterday}' AND sensor = '{sensor}'",
            QueryExecutionContext={"Database": service["database_name"]},
            WorkGroup=service["workgroup_name"],
        )["QueryExecutionId"]
        while (
            state := athena.get_query_execution(QueryExecutionId=execution_id)["QueryExecution"]["Status"]["State"]
        ) in (
            "QUEUED",
            "RUNNING",
        ):
            time.sleep(0.2)
        if state != "SUCCEEDED":
            return False
        rows = athena.get_query_results(QueryExecutionId=execution_id)["ResultSet"]["Rows"]
        return rows[1]["Data"][0].get("VarCharValue") == "1"

    found = wait_for(queried, timeout_s=archived_within + 20)
    checks.append(
        Check(
            "Athena over the archive",
            "counts it once" if found else f"not in the archive in {archived_within + 20} s",
            bool(found),
            time.perf_counter() - started,
        )
    )
    return checks
