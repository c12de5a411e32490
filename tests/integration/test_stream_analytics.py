"""P26 stream analytics: each tumbling window's readings add up in DynamoDB; the archive answers the same
through Athena; a bad record is bisected out to the on-failure queue while its neighbours count."""

from __future__ import annotations

import base64
import gzip
import json
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from harness import Stack, applied_stack, as_role, authorized, drain_queue, package_zip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "stream-analytics",
        local_cloud,
        tmp_path_factory.mktemp("p26"),
        code="p26",
        variables={"package_path": str(package_zip("stream-analytics"))},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict[str, Any]:
    return stack.outputs["stream_analytics"]


def line(sensor: str, value: float) -> bytes:
    return json.dumps({"sensor": sensor, "value": value}).encode() + b"\n"


def put(stack: Stack, records: list[tuple[str, bytes]]) -> list[str]:
    """Put (partition key, data) records in order; their sequence numbers."""
    answer = stack.client("kinesis").put_records(
        StreamName=outputs(stack)["stream_name"], Records=[{"PartitionKey": k, "Data": d} for k, d in records]
    )
    assert answer["FailedRecordCount"] == 0, answer
    return [r["SequenceNumber"] for r in answer["Records"]]


def arrivals(stack: Stack, marker: str) -> list[tuple[datetime, dict[str, Any]]]:
    """When the stream took each record whose data carries the marker, with the record's JSON."""
    kinesis, name = stack.client("kinesis"), outputs(stack)["stream_name"]
    found = []
    for shard in kinesis.list_shards(StreamName=name)["Shards"]:
        iterator = kinesis.get_shard_iterator(
            StreamName=name, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            page = kinesis.get_records(ShardIterator=iterator, Limit=1000)
            found += [
                (r["ApproximateArrivalTimestamp"], json.loads(r["Data"]))
                for r in page["Records"]
                if marker.encode() in r["Data"]
            ]
            iterator = page.get("NextShardIterator") if page["Records"] else None
    return found


def window_of(moment: datetime, seconds: int) -> str:
    start = int(moment.timestamp()) // seconds * seconds
    return datetime.fromtimestamp(start, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def windows(stack: Stack, sensors: set[str]) -> list[dict[str, Any]]:
    ddb, table = stack.client("dynamodb"), outputs(stack)["windows_table_name"]
    items = []
    for sensor in sorted(sensors):
        items += ddb.query(
            TableName=table, KeyConditionExpression="sensor = :s", ExpressionAttributeValues={":s": {"S": sensor}}
        )["Items"]
    return items


def counted(stack: Stack, sensors: set[str], expected: int, timeout: float = 40) -> list[dict[str, Any]]:
    """The windows of these sensors, once their counts add up to `expected` (or what is there at timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        items = windows(stack, sensors)
        if sum(int(i["count"]["N"]) for i in items) >= expected or time.monotonic() > deadline:
            return items
        time.sleep(0.5)


def archived(
    stack: Stack, marker: str, expected: int, timeout: float = 30, prefix: str = "records_prefix"
) -> list[dict[str, Any]]:
    """The JSON lines carrying the marker under the archive's records (or failed) prefix, once `expected` are there."""
    s3, bucket = stack.client("s3"), outputs(stack)["archive_bucket_name"]
    deadline = time.monotonic() + timeout
    while True:
        lines = []
        for item in s3.list_objects_v2(Bucket=bucket, Prefix=outputs(stack)[prefix]).get("Contents", []):
            body = gzip.decompress(s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read())
            lines += [json.loads(x) for x in body.splitlines() if marker.encode() in x or marker in _raw(x)]
        if len(lines) >= expected or time.monotonic() > deadline:
            return lines
        time.sleep(0.5)


def _raw(line: bytes) -> str:
    """The record a line of Firehose's error output carries (empty for an archived reading)."""
    try:
        return base64.b64decode(json.loads(line).get("rawData", "")).decode(errors="replace")
    except (ValueError, AttributeError):
        return ""


@pytest.fixture(scope="module")
def analyst(stack: Stack) -> Iterator[str]:
    """A role holding exactly the pattern's analyst policy (removed before the stack is destroyed)."""
    iam, name = stack.client("iam"), f"{stack.prefix}-analyst"
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
             "Principal": {"AWS": "arn:aws:iam::123456789012:root"}}]}  # fmt: skip
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName=name, PolicyName="analyst", PolicyDocument=outputs(stack)["analyst_policy_json"])
    yield name
    iam.delete_role_policy(RoleName=name, PolicyName="analyst")
    iam.delete_role(RoleName=name)


def failure_of(stack: Stack, sequence: str, timeout: float = 30) -> dict[str, Any]:
    """The on-failure queue's record of the batch starting at this sequence number."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in drain_queue(stack.client("sqs"), outputs(stack)["failed_queue_url"], wait_s=2):
            failure = json.loads(message["Body"])
            if failure["KinesisBatchInfo"]["startSequenceNumber"] == sequence:
                return failure  # type: ignore[no-any-return]
    raise AssertionError(f"no on-failure record of the batch starting at {sequence}")


def query(athena: Any, stack: Stack, sql: str) -> list[list[str | None]]:
    out = outputs(stack)
    execution_id = athena.start_query_execution(
        QueryString=sql, QueryExecutionContext={"Database": out["database_name"]}, WorkGroup=out["workgroup_name"]
    )["QueryExecutionId"]
    deadline = time.monotonic() + 30
    while (status := athena.get_query_execution(QueryExecutionId=execution_id)["QueryExecution"]["Status"])[
        "State"
    ] in ("QUEUED", "RUNNING"):
        assert time.monotonic() < deadline, "the query never finished"
        time.sleep(0.2)
    assert status["State"] == "SUCCEEDED", status
    rows = athena.get_query_results(QueryExecutionId=execution_id)["ResultSet"]["Rows"]
    return [[d.get("VarCharValue") for d in r["Data"]] for r in rows[1:]]


def test_window_counts_in_dynamodb_equal_the_readings_sent_and_athena_counts_the_same_over_the_archive(stack, analyst):
    run = uuid.uuid4().hex[:8]
    sensors = [f"s{run}-{n}" for n in range(3)]
    sent = []
    for burst in range(3):  # across more than one 3-second window
        records = [(s, line(s, float(n + burst))) for n, s in enumerate(sensors) for _ in range(n + 2)]
        put(stack, records)
        sent += records
        time.sleep(2)
    seconds = int(outputs(stack)["window_seconds"])
    expected: Counter[tuple[str, str]] = Counter()
    for arrived, reading in arrivals(stack, run):
        expected[(reading["sensor"], window_of(arrived, seconds))] += 1
    assert sum(expected.values()) == len(sent)

    items = counted(stack, set(sensors), len(sent))

    kept: Counter[tuple[str, str]] = Counter()
    sums: dict[str, float] = defaultdict(float)
    for item in items:
        kept[(item["sensor"]["S"], item["windowStart"]["S"])] += int(item["count"]["N"])
        sums[item["sensor"]["S"]] += float(item["sum"]["N"])
        assert item["window"]["S"] == f"{item['windowStart']['S']}#{item['shardId']['S']}"
    assert kept == expected
    assert len({window for _, window in expected}) > 1, "the readings fell in one window: the test proved less"
    assert archived(stack, run, len(sent)), "the archive never received the readings"
    today = datetime.now(UTC)
    rows = query(
        as_role(stack, analyst, "athena"),
        stack,
        f"SELECT sensor, count(*) AS readings, sum(value) AS total FROM readings "
        f"WHERE dt >= '{today - timedelta(days=1):%Y-%m-%d}' AND sensor LIKE 's{run}-%' GROUP BY sensor ORDER BY sensor",
    )
    per_sensor = Counter()
    for (sensor, _), count in kept.items():
        per_sensor[sensor] += count
    assert rows == [[s, str(per_sensor[s]), repr(sums[s])] for s in sensors]


@pytest.mark.failure_mode
def test_a_bad_record_is_bisected_out_to_the_on_failure_queue_while_its_neighbours_count(stack, analyst):
    run = uuid.uuid4().hex[:8]
    sensor = f"b{run}"
    good = [(sensor, line(sensor, float(n))) for n in range(8)]
    bad = (sensor, b'{"sensor": "' + sensor.encode() + b'", "value": "hot"}\n')
    sequences = put(stack, good[:3] + [bad] + good[3:])

    items = counted(stack, {sensor}, len(good))
    failure = failure_of(stack, sequences[3])

    assert sum(int(i["count"]["N"]) for i in items) == len(good)
    assert sum(float(i["sum"]["N"]) for i in items) == sum(range(8))
    batch = failure["KinesisBatchInfo"]
    assert (batch["batchSize"], batch["startSequenceNumber"], batch["endSequenceNumber"]) == (
        1,
        sequences[3],
        sequences[3],
    )
    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"
    # kept out of the archive, under the failed prefix with Firehose's reason, so Athena still reads the day
    (kept_out,) = archived(stack, sensor, 1, prefix="failed_prefix")
    assert base64.b64decode(kept_out["rawData"]) == bad[1]
    assert kept_out["errorCode"] == "Lambda.ProcessingFailedStatus"
    assert len(archived(stack, sensor, len(good))) == len(good)
    today = datetime.now(UTC)
    rows = query(
        as_role(stack, analyst, "athena"),
        stack,
        f"SELECT count(*) FROM readings WHERE dt >= '{today - timedelta(days=1):%Y-%m-%d}' AND sensor = '{sensor}'",
    )
    assert rows == [[str(len(good))]]


@pytest.mark.failure_mode
def test_a_record_without_its_newline_is_refused_and_kept_out_of_the_archive(stack):
    run = uuid.uuid4().hex[:8]
    sensor = f"n{run}"
    (sequence,) = put(stack, [(sensor, line(sensor, 1.0)[:-1])])
    assert failure_of(stack, sequence)["KinesisBatchInfo"]["batchSize"] == 1
    assert windows(stack, {sensor}) == []
    assert len(archived(stack, sensor, 1, prefix="failed_prefix")) == 1
    assert archived(stack, sensor, 1, timeout=0) == []


def test_each_role_may_do_its_part_only(stack, analyst):
    out = outputs(stack)
    table, bucket = out["windows_table_name"], out["archive_bucket_name"]
    item = {"sensor": {"S": "probe"}, "window": {"S": "probe"}}
    aggregator = as_role(stack, out["aggregator_role_name"], "dynamodb")
    assert authorized(aggregator.batch_write_item, RequestItems={table: [{"PutRequest": {"Item": item}}]})
    assert not authorized(aggregator.get_item, TableName=table, Key=item)
    assert not authorized(as_role(stack, out["aggregator_role_name"], "s3").get_object, Bucket=bucket, Key="readings/x")
    firehose = as_role(stack, out["firehose_role_name"], "dynamodb")
    assert not authorized(firehose.put_item, TableName=table, Item=item)
    firehose_s3 = as_role(stack, out["firehose_role_name"], "s3")
    assert not authorized(firehose_s3.get_object, Bucket=bucket, Key="readings/x")
    check = as_role(stack, out["archive_check_role_name"], "s3")
    assert not authorized(check.put_object, Bucket=bucket, Key="readings/forged.json", Body=b"")
    athena = as_role(stack, analyst, "athena")
    assert not authorized(athena.start_query_execution, QueryString="SELECT 1", WorkGroup="primary")
    analyst_s3 = as_role(stack, analyst, "s3")
    assert not authorized(analyst_s3.put_object, Bucket=bucket, Key="readings/dt=2026-01-01/forged.json", Body=b"")
    stack.client("dynamodb").delete_item(TableName=table, Key=item)


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
