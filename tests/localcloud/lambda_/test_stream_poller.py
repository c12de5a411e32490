"""DynamoDB Streams and Kinesis event source mappings are polled as Lambda polls them."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import make_role
from harness import age_stream_records

pytestmark = pytest.mark.localcloud

# Reports every invocation (its event, the records' values, when it ran) to a queue. A record whose
# values say "fail" fails the invocation (or, with MODE=report, is reported as the batch's failure the
# first time this worker sees it); "sleep" holds the invocation. With a tumbling window it counts the
# window's records in its state.
RECORDER = """
import base64, json, os, time, boto3
sqs = boto3.client("sqs")
seen = set()
def values(record):
    if "kinesis" in record:
        return json.loads(base64.b64decode(record["kinesis"]["data"]))
    image = record["dynamodb"].get("NewImage") or record["dynamodb"].get("OldImage") or {}
    return {k: list(v.values())[0] for k, v in image.items()}
def sequence(record):
    return record["kinesis"]["sequenceNumber"] if "kinesis" in record else record["dynamodb"]["SequenceNumber"]
def handler(event, context):
    started = time.time()
    items = [values(r) for r in event["Records"]]
    for item in items:
        time.sleep(float(item.get("sleep", 0)))
    sqs.send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps(
        {"event": event, "items": items, "start": started, "end": time.time()}))
    for record, item in zip(event["Records"], items):
        if item.get("fail"):
            if os.environ.get("MODE") == "report":
                if sequence(record) in seen:
                    continue
                seen.add(sequence(record))
                return {"batchItemFailures": [{"itemIdentifier": sequence(record)}]}
            raise RuntimeError("poison record " + str(item.get("id")))
    if "window" in event:
        return {"state": {"count": int(event["state"].get("count", 0)) + len(items)}}
    return {"batchItemFailures": []}
"""


@dataclass
class Recorder:
    function: str
    out: str
    sqs: Any

    def invocations(self, expected: int, timeout: float = 15.0, settle: float = 1.0) -> list[dict]:
        """At least `expected` invocations (in the order they started), then whatever arrives within `settle`."""
        found: list[dict] = []
        deadline = time.monotonic() + timeout
        quiet_until = None
        while time.monotonic() < deadline:
            messages = self.sqs.receive_message(QueueUrl=self.out, MaxNumberOfMessages=10, WaitTimeSeconds=1)
            for message in messages.get("Messages", []):
                found.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=self.out, ReceiptHandle=message["ReceiptHandle"])
            if len(found) >= expected:
                quiet_until = quiet_until or time.monotonic() + settle
                if time.monotonic() >= quiet_until:
                    break
        return sorted(found, key=lambda invocation: invocation["start"])


@pytest.fixture
def recorder(aws, make_function, unique) -> Callable[..., Recorder]:
    sqs = aws("sqs")
    counter = iter(range(100))

    def make(**variables: str) -> Recorder:
        out = sqs.create_queue(QueueName=f"{unique}-out-{next(counter)}")["QueueUrl"]
        name = make_function(RECORDER, Environment={"Variables": {"OUT": out, **variables}}, Timeout=10)
        return Recorder(name, out, sqs)

    return make


@pytest.fixture
def table(aws, unique) -> tuple[str, str]:
    described = aws("dynamodb").create_table(
        TableName=unique,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    return unique, described["TableDescription"]["LatestStreamArn"]


@pytest.fixture
def stream(aws, unique) -> Callable[..., str]:
    kinesis = aws("kinesis")

    def make(shards: int = 1) -> str:
        name = f"{unique}-{shards}"
        kinesis.create_stream(StreamName=name, ShardCount=shards)
        return kinesis.describe_stream(StreamName=name)["StreamDescription"]["StreamARN"]

    return make


def put_items(aws, table_name: str, *items: dict[str, Any]) -> None:
    ddb = aws("dynamodb")
    for item in items:
        ddb.put_item(TableName=table_name, Item={k: {"S": str(v)} for k, v in item.items()})


def put_records(aws, stream_arn: str, *records: dict[str, Any], key: str | None = None) -> None:
    kinesis = aws("kinesis")
    for record in records:
        kinesis.put_record(
            StreamARN=stream_arn,
            Data=json.dumps(record).encode(),
            PartitionKey=key or str(record.get("key", record.get("id"))),
        )


def map_stream(aws, recorder: Recorder, source_arn: str, **settings: Any) -> str:
    settings.setdefault("StartingPosition", "TRIM_HORIZON")
    return aws("lambda").create_event_source_mapping(
        EventSourceArn=source_arn, FunctionName=recorder.function, **settings
    )["UUID"]


def ids(invocation: dict) -> list[str]:
    return [str(item["id"]) for item in invocation["items"]]


def queue_with_arn(aws, name: str) -> tuple[str, str]:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def failure_records(aws, url: str, expected: int, timeout: float = 15.0) -> list[dict]:
    sqs, found = aws("sqs"), []
    deadline = time.monotonic() + timeout
    while len(found) < expected and time.monotonic() < deadline:
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
            found.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return found


# -- records and order ---------------------------------------------------------------------------------------
def test_dynamodb_records_arrive_in_order_with_awss_record_shape(aws, recorder, table, unique):
    rec = recorder()
    name, stream_arn = table
    map_stream(aws, rec, stream_arn, BatchSize=100)
    put_items(aws, name, *({"id": f"item-{n}"} for n in range(5)))
    aws("dynamodb").delete_item(TableName=name, Key={"id": {"S": "item-0"}})
    invocations = rec.invocations(1)
    records = [r for invocation in invocations for r in invocation["event"]["Records"]]
    assert [r["eventName"] for r in records] == ["INSERT"] * 5 + ["REMOVE"]
    sequences = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert sequences == sorted(sequences) and len(set(sequences)) == 6
    first = records[0]
    assert first["eventVersion"] == "1.1" and first["eventSource"] == "aws:dynamodb"
    assert first["awsRegion"] == "us-east-1" and first["eventSourceARN"] == stream_arn
    assert isinstance(first["dynamodb"]["ApproximateCreationDateTime"], int)
    assert abs(first["dynamodb"]["ApproximateCreationDateTime"] - time.time()) < 60
    assert first["dynamodb"]["Keys"] == {"id": {"S": "item-0"}}
    assert first["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"


def test_dynamodb_stream_still_serves_get_records_after_a_mapping_consumed_it(aws, recorder, table):
    rec = recorder()
    name, stream_arn = table
    map_stream(aws, rec, stream_arn)
    put_items(aws, name, {"id": "kept"})
    rec.invocations(1)
    streams = aws("dynamodbstreams")
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")[
        "ShardIterator"
    ]
    records = streams.get_records(ShardIterator=iterator)["Records"]
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in records] == ["kept"]


def test_kinesis_records_carry_awss_shape_and_every_mapping_of_a_stream_gets_them(aws, recorder, stream):
    arn = stream()
    first, second = recorder(), recorder()
    map_stream(aws, first, arn)
    map_stream(aws, second, arn)
    put_records(aws, arn, {"id": "a"}, {"id": "b"})
    for rec in (first, second):
        records = [r for invocation in rec.invocations(1) for r in invocation["event"]["Records"]]
        assert [json.loads(base64.b64decode(r["kinesis"]["data"]))["id"] for r in records] == ["a", "b"]
    record = records[0]
    assert record["eventSource"] == "aws:kinesis" and record["eventName"] == "aws:kinesis:record"
    assert record["eventSourceARN"] == arn and record["awsRegion"] == "us-east-1"
    assert record["kinesis"]["partitionKey"] == "a" and record["kinesis"]["kinesisSchemaVersion"] == "1.0"
    assert len(record["kinesis"]["sequenceNumber"]) == 56
    assert record["eventID"] == f"shardId-000000000000:{record['kinesis']['sequenceNumber']}"
    assert record["invokeIdentityArn"].startswith("arn:aws:iam::")
    assert isinstance(record["kinesis"]["approximateArrivalTimestamp"], float)


def test_each_shard_is_delivered_in_order_across_batches(aws, recorder, stream):
    arn = stream(shards=2)
    rec = recorder()
    map_stream(aws, rec, arn, BatchSize=3)
    for key in ("left", "right"):
        put_records(aws, arn, *({"id": f"{key}-{n}"} for n in range(7)), key=key)
    invocations = rec.invocations(6)
    assert all(len(invocation["items"]) <= 3 for invocation in invocations)
    by_key: dict[str, list[str]] = {}
    for invocation in invocations:
        for item_id in ids(invocation):
            by_key.setdefault(item_id.split("-")[0], []).append(item_id)
    assert by_key == {key: [f"{key}-{n}" for n in range(7)] for key in ("left", "right")}


# -- batching ----------------------------------------------------------------------------------------------
def test_batching_window_gathers_records_written_within_it_into_one_invocation(aws, recorder, stream):
    arn = stream()
    rec = recorder()
    map_stream(aws, rec, arn, BatchSize=50, MaximumBatchingWindowInSeconds=3)
    for n in range(5):
        put_records(aws, arn, {"id": n})
        time.sleep(0.2)
    (invocation,) = rec.invocations(1, settle=2.0)
    assert ids(invocation) == ["0", "1", "2", "3", "4"]


def test_batch_size_caps_each_invocation(aws, recorder, table):
    rec = recorder()
    name, stream_arn = table
    put_items(aws, name, *({"id": f"i{n}"} for n in range(5)))
    map_stream(aws, rec, stream_arn, BatchSize=2)
    invocations = rec.invocations(3)
    assert [len(invocation["items"]) for invocation in invocations] == [2, 2, 1]


# -- starting position -------------------------------------------------------------------------------------
def test_latest_starts_after_the_records_already_in_the_stream(aws, recorder, table):
    rec = recorder()
    name, stream_arn = table
    put_items(aws, name, {"id": "before"})
    map_stream(aws, rec, stream_arn, StartingPosition="LATEST")
    put_items(aws, name, {"id": "after"})
    assert [item_id for invocation in rec.invocations(1) for item_id in ids(invocation)] == ["after"]


def test_trim_horizon_starts_at_the_oldest_record(aws, recorder, table):
    rec = recorder()
    name, stream_arn = table
    put_items(aws, name, {"id": "before"})
    map_stream(aws, rec, stream_arn, StartingPosition="TRIM_HORIZON")
    put_items(aws, name, {"id": "after"})
    delivered = [item_id for invocation in rec.invocations(1) for item_id in ids(invocation)]
    assert delivered == ["before", "after"]


def test_at_timestamp_starts_at_the_first_record_written_at_or_after_it(aws, recorder, stream):
    arn = stream()
    put_records(aws, arn, {"id": "old"})
    time.sleep(1.5)
    boundary = time.time()
    time.sleep(0.2)
    put_records(aws, arn, {"id": "new"})
    rec = recorder()
    map_stream(aws, rec, arn, StartingPosition="AT_TIMESTAMP", StartingPositionTimestamp=boundary)
    assert [item_id for invocation in rec.invocations(1) for item_id in ids(invocation)] == ["new"]


# -- filtering ---------------------------------------------------------------------------------------------
def test_filter_criteria_drop_records_before_batching(aws, recorder, table):
    rec = recorder()
    name, stream_arn = table
    map_stream(
        aws,
        rec,
        stream_arn,
        BatchSize=10,
        FilterCriteria={"Filters": [{"Pattern": json.dumps({"eventName": ["REMOVE"]})}]},
    )
    put_items(aws, name, {"id": "a"}, {"id": "b"})
    aws("dynamodb").delete_item(TableName=name, Key={"id": {"S": "b"}})
    (invocation,) = rec.invocations(1, settle=2.0)
    assert [r["eventName"] for r in invocation["event"]["Records"]] == ["REMOVE"]
    assert ids(invocation) == ["b"]


def test_kinesis_filters_match_the_decoded_data(aws, recorder, stream):
    arn = stream()
    rec = recorder()
    map_stream(
        aws,
        rec,
        arn,
        FilterCriteria={"Filters": [{"Pattern": json.dumps({"data": {"temperature": [{"numeric": [">", 30]}]}})}]},
    )
    put_records(aws, arn, {"id": "cold", "temperature": 12}, {"id": "hot", "temperature": 41})
    kinesis = aws("kinesis")
    kinesis.put_record(StreamARN=arn, Data=b"not json", PartitionKey="raw")
    put_records(aws, arn, {"id": "hotter", "temperature": 45})
    delivered = [item_id for invocation in rec.invocations(1, settle=2.0) for item_id in ids(invocation)]
    assert delivered == ["hot", "hotter"]


def test_an_invalid_filter_pattern_is_refused(aws, recorder, table):
    rec = recorder()
    with pytest.raises(ClientError) as refused:
        map_stream(aws, rec, table[1], FilterCriteria={"Filters": [{"Pattern": "{not json"}]})
    assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert refused.value.response["Error"]["Message"] == "Invalid filter pattern definition."


def test_sqs_messages_no_filter_matches_are_deleted_not_delivered(aws, make_function, recorder, unique):
    sqs = aws("sqs")
    url, arn = queue_with_arn(aws, f"{unique}-in")
    out = sqs.create_queue(QueueName=f"{unique}-sqs-out")["QueueUrl"]
    forwarder = make_function(
        "import json, os, boto3\nsqs = boto3.client('sqs')\n"
        "def handler(event, context):\n"
        "    sqs.send_message(QueueUrl=os.environ['OUT'], MessageBody=json.dumps(event))\n",
        Environment={"Variables": {"OUT": out}},
        Timeout=3,
    )
    aws("lambda").create_event_source_mapping(
        EventSourceArn=arn,
        FunctionName=forwarder,
        FilterCriteria={"Filters": [{"Pattern": json.dumps({"body": {"kind": ["order"]}})}]},
    )
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"kind": "noise"}))
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"kind": "order"}))
    messages = sqs.receive_message(QueueUrl=out, WaitTimeSeconds=10)["Messages"]
    bodies = [json.loads(r["body"]) for r in json.loads(messages[0]["Body"])["Records"]]
    assert bodies == [{"kind": "order"}]
    time.sleep(1)
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "0"
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "0"


# -- failures ----------------------------------------------------------------------------------------------
def test_a_failing_batch_is_retried_then_sent_to_the_on_failure_destination_and_the_shard_moves_on(
    aws, recorder, table, unique
):
    rec = recorder()
    name, stream_arn = table
    url, destination = queue_with_arn(aws, f"{unique}-failed")
    map_stream(
        aws,
        rec,
        stream_arn,
        MaximumRetryAttempts=2,
        BatchSize=10,
        DestinationConfig={"OnFailure": {"Destination": destination}},
    )
    put_items(aws, name, {"id": "poison", "fail": "yes"})
    (record,) = failure_records(aws, url, 1)
    put_items(aws, name, {"id": "next"})
    invocations = rec.invocations(4)
    assert [ids(invocation) for invocation in invocations] == [["poison"]] * 3 + [["next"]]
    assert record["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 3
    assert record["responseContext"]["functionError"] == "Unhandled"
    info = record["DDBStreamBatchInfo"]
    assert info["batchSize"] == 1 and info["streamArn"] == stream_arn
    assert info["startSequenceNumber"] == info["endSequenceNumber"]
    assert info["shardId"].startswith("shardId-")
    assert info["approximateArrivalOfFirstRecord"].endswith("Z")


def test_bisecting_isolates_the_bad_record_and_delivers_the_others(aws, recorder, stream, unique):
    arn = stream()
    rec = recorder()
    url, destination = queue_with_arn(aws, f"{unique}-failed")
    put_records(aws, arn, *({"id": n, "key": "k", **({"fail": True} if n == 2 else {})} for n in range(4)))
    map_stream(
        aws,
        rec,
        arn,
        BatchSize=4,
        MaximumRetryAttempts=0,
        BisectBatchOnFunctionError=True,
        DestinationConfig={"OnFailure": {"Destination": destination}},
    )
    (record,) = failure_records(aws, url, 1)
    invocations = rec.invocations(5)
    assert [ids(invocation) for invocation in invocations] == [
        ["0", "1", "2", "3"],
        ["0", "1"],
        ["2", "3"],
        ["2"],
        ["3"],
    ]
    info = record["KinesisBatchInfo"]
    assert info["batchSize"] == 1
    assert info["startSequenceNumber"] == invocations[3]["event"]["Records"][0]["kinesis"]["sequenceNumber"]


def test_reported_item_failures_checkpoint_before_the_lowest_one_and_retry_from_it(aws, recorder, stream):
    arn = stream()
    rec = recorder(MODE="report")
    put_records(aws, arn, *({"id": n, "key": "k", **({"fail": True} if n == 2 else {})} for n in range(5)))
    map_stream(aws, rec, arn, BatchSize=5, FunctionResponseTypes=["ReportBatchItemFailures"])
    invocations = rec.invocations(2)
    assert [ids(invocation) for invocation in invocations] == [["0", "1", "2", "3", "4"], ["2", "3", "4"]]


def test_records_older_than_the_maximum_age_go_to_the_destination_without_an_invocation(
    aws, recorder, stream, unique, local_cloud
):
    arn = stream()
    rec = recorder()
    url, destination = queue_with_arn(aws, f"{unique}-failed")
    put_records(aws, arn, {"id": "stale"})
    assert age_stream_records(local_cloud, arn, 120) == 1
    put_records(aws, arn, {"id": "fresh"})
    map_stream(
        aws, rec, arn, MaximumRecordAgeInSeconds=60, DestinationConfig={"OnFailure": {"Destination": destination}}
    )
    (record,) = failure_records(aws, url, 1)
    assert record["requestContext"]["condition"] == "RecordAgeExceeded"
    assert record["requestContext"]["approximateInvokeCount"] == 0
    assert record["KinesisBatchInfo"]["batchSize"] == 1
    assert [item_id for invocation in rec.invocations(1) for item_id in ids(invocation)] == ["fresh"]


def test_an_on_failure_destination_the_role_may_not_send_to_is_refused(aws, make_function, table, unique):
    _, destination = queue_with_arn(aws, f"{unique}-failed")
    role = make_role(aws("iam"), f"{unique}-reader", {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"})
    function = make_function("def handler(event, context):\n    return None\n", Role=role)
    with pytest.raises(ClientError) as refused:
        aws("lambda").create_event_source_mapping(
            EventSourceArn=table[1],
            FunctionName=function,
            StartingPosition="LATEST",
            DestinationConfig={"OnFailure": {"Destination": destination}},
        )
    assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert f"SendMessage on {destination}" in refused.value.response["Error"]["Message"]


# -- scaling and windows -----------------------------------------------------------------------------------
def test_parallelization_factor_runs_a_shards_keys_concurrently_each_in_order(aws, recorder, stream):
    arn = stream()
    rec = recorder()
    map_stream(aws, rec, arn, BatchSize=1, ParallelizationFactor=4)
    keys = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]
    for n in range(3):
        for key in keys:
            put_records(aws, arn, {"id": f"{key}-{n}", "key": key, "sleep": 0.3})
    invocations = rec.invocations(18, timeout=30)
    per_key: dict[str, list[str]] = {}
    for invocation in invocations:
        for item_id in ids(invocation):
            per_key.setdefault(item_id.split("-")[0], []).append(item_id)
    assert per_key == {key: [f"{key}-{n}" for n in range(3)] for key in keys}
    overlapping = any(
        a["start"] < b["end"] and b["start"] < a["end"] for i, a in enumerate(invocations) for b in invocations[i + 1 :]
    )
    assert overlapping, "one shard's records were never processed concurrently"


def test_tumbling_window_carries_state_and_closes_with_a_final_invocation(aws, recorder, stream):
    arn = stream()
    rec = recorder()
    map_stream(aws, rec, arn, BatchSize=2, TumblingWindowInSeconds=3)
    put_records(aws, arn, *({"id": n, "key": "k"} for n in range(3)))
    invocations = rec.invocations(3, timeout=20)
    final = [invocation for invocation in invocations if invocation["event"]["isFinalInvokeForWindow"]]
    assert final, "the window was never closed"
    windows = {json.dumps(invocation["event"]["window"]) for invocation in invocations}
    first_window = invocations[0]["event"]["window"]
    assert invocations[0]["event"]["state"] == {}
    assert invocations[0]["event"]["shardId"] == "shardId-000000000000"
    counted = [invocation["event"]["state"].get("count", 0) for invocation in final]
    assert sum(counted) == 3, (counted, windows)
    assert final[0]["event"]["Records"] == [] and final[0]["event"]["window"] == first_window


# Reports each invocation's flags and count; a record {"big": 1} makes the state it returns over 1 MB.
BIG_STATE = """
import base64, json, os, time, boto3
sqs = boto3.client("sqs")
def handler(event, context):
    items = [json.loads(base64.b64decode(r["kinesis"]["data"])) for r in event["Records"]]
    sqs.send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps({
        "event": {k: event[k] for k in ("window", "isFinalInvokeForWindow", "isWindowTerminatedEarly")},
        "count": event["state"].get("count", 0), "records": len(items), "start": time.time()}))
    count = event["state"].get("count", 0) + len(items)
    return {"state": {"count": count, "pad": "x" * 1_100_000 if any(i.get("big") for i in items) else ""}}
"""


def test_a_window_state_past_1_mb_ends_the_window_early_and_it_goes_on_with_a_fresh_state(
    aws, make_function, unique, stream
):
    arn = stream()
    out = aws("sqs").create_queue(QueueName=f"{unique}-big")["QueueUrl"]
    rec = Recorder(make_function(BIG_STATE, Environment={"Variables": {"OUT": out}}, Timeout=10), out, aws("sqs"))
    map_stream(aws, rec, arn, BatchSize=1, TumblingWindowInSeconds=8)
    put_records(aws, arn, {"id": 0, "big": 1}, {"id": 1}, {"id": 2})
    invocations = rec.invocations(5, timeout=30, settle=2.0)
    early = [i for i in invocations if i["event"]["isWindowTerminatedEarly"]]
    assert len(early) == 1 and early[0]["event"]["isFinalInvokeForWindow"], invocations
    assert (early[0]["count"], early[0]["records"]) == (1, 0)
    after = invocations[invocations.index(early[0]) + 1]
    assert after["count"] == 0, "the window went on with the state that was too big"
    finals = [
        i for i in invocations if i["event"]["isFinalInvokeForWindow"] and not i["event"]["isWindowTerminatedEarly"]
    ]
    assert sum(i["count"] for i in finals) == 2


# -- lifecycle and role ------------------------------------------------------------------------------------
def test_disabling_stops_delivery_and_enabling_resumes_from_the_checkpoint(aws, recorder, table):
    rec = recorder()
    name, stream_arn = table
    uuid = map_stream(aws, rec, stream_arn)
    put_items(aws, name, {"id": "first"})
    assert [ids(invocation) for invocation in rec.invocations(1)] == [["first"]]
    aws("lambda").update_event_source_mapping(UUID=uuid, Enabled=False)
    time.sleep(0.6)
    put_items(aws, name, {"id": "while-disabled"})
    assert rec.invocations(0, settle=2.0) == []
    aws("lambda").update_event_source_mapping(UUID=uuid, Enabled=True)
    assert [ids(invocation) for invocation in rec.invocations(1)] == [["while-disabled"]]


def test_a_deleted_mapping_delivers_nothing_more(aws, recorder, table):
    rec = recorder()
    name, stream_arn = table
    uuid = map_stream(aws, rec, stream_arn)
    put_items(aws, name, {"id": "first"})
    rec.invocations(1)
    aws("lambda").delete_event_source_mapping(UUID=uuid)
    time.sleep(0.6)
    put_items(aws, name, {"id": "after-delete"})
    assert rec.invocations(0, settle=3.0) == []


def test_a_role_that_loses_read_access_stops_delivery_and_says_why(aws, make_function, recorder, stream, unique):
    arn = stream()
    out = aws("sqs").create_queue(QueueName=f"{unique}-role-out")["QueueUrl"]
    iam = aws("iam")
    role = make_role(
        iam, f"{unique}-poller", {"Effect": "Allow", "Action": ["kinesis:*", "sqs:SendMessage"], "Resource": "*"}
    )
    function = make_function(RECORDER, Role=role, Environment={"Variables": {"OUT": out}})
    rec = Recorder(function, out, aws("sqs"))
    uuid = map_stream(aws, rec, arn)
    put_records(aws, arn, {"id": "readable"})
    assert [ids(invocation) for invocation in rec.invocations(1)] == [["readable"]]
    iam.put_role_policy(
        RoleName=f"{unique}-poller",
        PolicyName="deny",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Deny", "Action": "kinesis:GetRecords", "Resource": arn}],
            }
        ),
    )
    time.sleep(0.6)
    put_records(aws, arn, {"id": "unreadable"})
    assert rec.invocations(0, settle=2.0) == []
    result = aws("lambda").get_event_source_mapping(UUID=uuid)["LastProcessingResult"]
    assert result.startswith("PROBLEM: Cannot access stream") and arn in result


def test_a_kinesis_mapping_needs_a_role_allowed_to_read_the_stream(aws, make_function, stream, unique):
    arn = stream()
    role = make_role(aws("iam"), f"{unique}-blind", {"Effect": "Allow", "Action": "logs:*", "Resource": "*"})
    function = make_function("def handler(event, context):\n    return None\n", Role=role)
    with pytest.raises(ClientError) as refused:
        aws("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName=function, StartingPosition="LATEST")
    assert refused.value.response["Error"]["Message"] == (
        f"Cannot access stream {arn}. Please ensure the role can perform the GetRecords, GetShardIterator, "
        "DescribeStream, and ListShards Actions on your stream in IAM."
    )
