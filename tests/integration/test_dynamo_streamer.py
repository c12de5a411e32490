"""P09 dynamo streamer: API Gateway writes DynamoDB itself; the table's stream feeds the change log."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from harness import Stack, api_url, applied_stack, as_role, authorized, http, package_zip

pytestmark = pytest.mark.integration

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "dynamo-streamer",
        local_cloud,
        tmp_path_factory.mktemp("p09"),
        code="p09",
        variables={"package_path": str(package_zip("dynamo-streamer"))},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict:
    return stack.outputs["streamer"]


def post(stack: Stack, body: object) -> object:
    return http(
        "POST",
        api_url(stack, outputs(stack)["api_id"], outputs(stack)["stage_name"], "messages"),
        json.dumps(body),
        JSON,
    )


def changes_of(stack: Stack, message_id: str, expected: int, timeout: float = 20.0) -> list[dict]:
    ddb, items = stack.client("dynamodb"), []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = ddb.query(
            TableName=outputs(stack)["changes_table_name"],
            KeyConditionExpression="id = :id",
            ExpressionAttributeValues={":id": {"S": message_id}},
            ConsistentRead=True,
        )["Items"]
        if len(items) >= expected:
            break
        time.sleep(0.3)
    return items


def test_a_post_writes_the_item_and_the_stream_consumer_records_the_change(stack):
    answer = post(stack, {"message": "hello, stream", "author": "ada"})
    assert answer.status == 201, answer.body
    message_id = answer.json()["id"]
    item = stack.client("dynamodb").get_item(
        TableName=outputs(stack)["messages_table_name"], Key={"id": {"S": message_id}}
    )["Item"]
    assert (item["message"]["S"], item["author"]["S"]) == ("hello, stream", "ada")
    (change,) = changes_of(stack, message_id, 1)
    assert (change["kind"]["S"], change["message"]["S"], change["author"]["S"]) == ("INSERT", "hello, stream", "ada")
    assert abs(int(change["changedAt"]["N"]) - time.time()) < 120


@pytest.mark.parametrize(
    "text",
    ["it's Ada's", 'she said "hi"', "a \\ backslash and a / slash", "two\nlines\tand a tab", "Olá, 東京 🚀"],
    ids=["apostrophes", "quotes", "backslash", "control-characters", "non-ascii"],
)
def test_any_text_is_stored_exactly_as_written(stack, text):
    # The template must build valid JSON for every string the schema admits: escapeJavaScript
    # turns ' into \', which is not JSON, and every message with an apostrophe was a 500.
    answer = post(stack, {"message": text, "author": text})
    assert answer.status == 201, answer.body
    item = stack.client("dynamodb").get_item(
        TableName=outputs(stack)["messages_table_name"], Key={"id": {"S": answer.json()["id"]}}
    )["Item"]
    assert (item["message"]["S"], item["author"]["S"]) == (text, text)


def test_edits_and_deletes_reach_the_change_log_in_order(stack):
    message_id = post(stack, {"message": "first", "author": "ada"}).json()["id"]
    ddb, table = stack.client("dynamodb"), outputs(stack)["messages_table_name"]
    ddb.update_item(
        TableName=table,
        Key={"id": {"S": message_id}},
        UpdateExpression="SET message = :m",
        ExpressionAttributeValues={":m": {"S": "second"}},
    )
    ddb.delete_item(TableName=table, Key={"id": {"S": message_id}})
    changes = changes_of(stack, message_id, 3)
    assert [(c["kind"]["S"], c.get("message", {}).get("S")) for c in changes] == [
        ("INSERT", "first"),
        ("MODIFY", "second"),
        ("REMOVE", None),
    ]


@pytest.mark.failure_mode
@pytest.mark.parametrize(
    "body",
    [
        {"author": "ada"},
        {"message": "", "author": "ada"},
        {"message": "hi", "author": "ada", "admin": True},
        ["not", "an", "object"],
    ],
)
def test_a_malformed_body_is_rejected_by_the_gateway_and_never_written(stack, body):
    before = stack.client("dynamodb").scan(TableName=outputs(stack)["messages_table_name"], Select="COUNT")["Count"]
    answer = post(stack, body)
    assert (answer.status, answer.json()) == (400, {"message": "Invalid request body"})
    after = stack.client("dynamodb").scan(TableName=outputs(stack)["messages_table_name"], Select="COUNT")["Count"]
    assert after == before


@pytest.mark.failure_mode
def test_a_record_the_consumer_cannot_hold_is_bisected_out_and_sent_to_the_on_failure_queue(stack):
    # GIVEN an item written around the API (no text), between two good ones, in one batch
    ddb, table = stack.client("dynamodb"), outputs(stack)["messages_table_name"]
    ddb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": table, "Item": {"id": {"S": "bisect-good-1"}, "message": {"S": "ok"}}}},
            {"Put": {"TableName": table, "Item": {"id": {"S": "bisect-bad"}, "author": {"S": "someone"}}}},
            {"Put": {"TableName": table, "Item": {"id": {"S": "bisect-good-2"}, "message": {"S": "ok"}}}},
        ]
    )
    # THEN the good ones are recorded
    assert len(changes_of(stack, "bisect-good-1", 1)) == 1
    assert len(changes_of(stack, "bisect-good-2", 1)) == 1
    # AND the bad one, after its retry, is named in the on-failure queue with AWS's record, alone
    sqs = stack.client("sqs")
    messages = []
    deadline = time.monotonic() + 30
    while not messages and time.monotonic() < deadline:
        messages = sqs.receive_message(
            QueueUrl=outputs(stack)["dlq_url"], WaitTimeSeconds=2, MaxNumberOfMessages=10
        ).get("Messages", [])
    assert messages, "the bad record never reached the on-failure queue"
    record = json.loads(messages[0]["Body"])
    info = record["DDBStreamBatchInfo"]
    assert record["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert info["batchSize"] == 1 and info["streamArn"] == outputs(stack)["messages_stream_arn"]
    streams = stack.client("dynamodbstreams")
    shard = streams.describe_stream(StreamArn=info["streamArn"])["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(
        StreamArn=info["streamArn"],
        ShardId=shard,
        ShardIteratorType="AT_SEQUENCE_NUMBER",
        SequenceNumber=info["startSequenceNumber"],
    )["ShardIterator"]
    (replayed, *_) = streams.get_records(ShardIterator=iterator, Limit=1)["Records"]
    assert replayed["dynamodb"]["Keys"] == {"id": {"S": "bisect-bad"}}
    assert changes_of(stack, "bisect-bad", 1, timeout=1) == []


@pytest.mark.failure_mode
def test_the_on_failure_queue_has_an_alarm(stack):
    queue = outputs(stack)["dlq_url"].rsplit("/", 1)[1]
    alarms = stack.client("cloudwatch").describe_alarms(AlarmNamePrefix=queue)["MetricAlarms"]
    assert [a["MetricName"] for a in alarms] == ["ApproximateNumberOfMessagesVisible"]


@pytest.mark.failure_mode
def test_the_gateways_role_may_only_put_messages(stack):
    """No function on the write path: the gateway writes as a role that may put items and nothing else."""
    api = as_role(stack, outputs(stack)["api_role_name"], "dynamodb")
    table = outputs(stack)["messages_table_name"]
    key = {"id": {"S": "authz-probe"}}
    assert authorized(api.put_item, TableName=table, Item=key, ConditionExpression="attribute_exists(id)")
    assert not authorized(api.get_item, TableName=table, Key=key)
    assert not authorized(api.delete_item, TableName=table, Key=key)


@pytest.mark.failure_mode
def test_consumer_role_may_read_the_stream_and_append_changes_only(stack):
    out = outputs(stack)
    ddb = as_role(stack, out["consumer_role_name"], "dynamodb")
    key = {"id": {"S": "authz-probe"}, "sequence": {"S": "0"}}
    absent = {"ConditionExpression": "attribute_exists(id)"}
    assert authorized(ddb.put_item, TableName=out["changes_table_name"], Item=key, **absent)
    assert not authorized(ddb.delete_item, TableName=out["changes_table_name"], Key=key)
    assert not authorized(ddb.put_item, TableName=out["messages_table_name"], Item={"id": {"S": "x"}}, **absent)
    assert not authorized(ddb.scan, TableName=out["messages_table_name"], Limit=1)
    streams = as_role(stack, out["consumer_role_name"], "dynamodbstreams")
    assert authorized(streams.describe_stream, StreamArn=out["messages_stream_arn"])


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
