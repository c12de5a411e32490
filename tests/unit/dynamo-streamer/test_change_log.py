"""P09 stream consumer: what a record means, the change log written once per record, bad records reported."""

from __future__ import annotations

import copy

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context, load

pytestmark = pytest.mark.unit

CHANGES = "p09-changes"


def stream_record(
    kind: str = "INSERT",
    *,
    message_id: str = "m-1",
    sequence: str = "4421584500000000017450439091",
    text: str | None = "hello",
    author: str | None = "ada",
) -> dict:
    record = copy.deepcopy(load("dynamodb_stream_record"))
    image = {"id": {"S": message_id}}
    if text is not None:
        image["message"] = {"S": text}
    if author is not None:
        image["author"] = {"S": author}
    record["eventName"] = kind
    record["dynamodb"].update({"Keys": {"id": {"S": message_id}}, "SequenceNumber": sequence})
    record["dynamodb"].pop("NewImage")
    if kind == "REMOVE":
        record["dynamodb"]["OldImage"] = image
    else:
        record["dynamodb"]["NewImage"] = image
    return record


def test_an_insert_becomes_a_change_ordered_by_its_sequence_number():
    from dynamo_streamer import logic

    change = logic.change_of(stream_record())
    assert change == logic.Change("m-1", "4421584500000000017450439091", "INSERT", "hello", "ada", 1428537600)
    later = logic.change_of(stream_record(sequence="10000000000000000000000000001"))
    assert later.sort_key > change.sort_key  # compares as numbers, though the digits differ in count


def test_a_removal_carries_no_text():
    from dynamo_streamer import logic

    change = logic.change_of(stream_record("REMOVE"))
    assert change.kind == "REMOVE" and change.text is None and change.author is None


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (stream_record(text=None), "has no text"),
        (stream_record(text=""), "has no text"),
        ({**stream_record(), "eventName": "aws:kinesis:record"}, "not a DynamoDB stream record"),
        ({**stream_record(), "dynamodb": {"Keys": {}, "SequenceNumber": "1"}}, "without the message's id"),
    ],
)
def test_records_the_change_log_cannot_hold_are_refused_with_the_reason(record, reason):
    from dynamo_streamer import logic

    with pytest.raises(logic.InvalidChange, match=reason):
        logic.change_of(record)


@pytest.fixture
def consumer(aws_credentials, monkeypatch):
    monkeypatch.setenv("CHANGES_TABLE", CHANGES)
    with mock_aws():
        ddb = boto3.client("dynamodb")
        ddb.create_table(
            TableName=CHANGES,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "sequence", "KeyType": "RANGE"}],
            AttributeDefinitions=[
                {"AttributeName": "id", "AttributeType": "S"},
                {"AttributeName": "sequence", "AttributeType": "S"},
            ],
        )
        from dynamo_streamer import handler

        cold_start("dynamo_streamer")
        yield handler, ddb
        cold_start("dynamo_streamer")


def test_a_batch_reports_only_the_bad_record_and_logs_the_others(consumer):
    handler, ddb = consumer
    event = {
        "Records": [
            stream_record(message_id="a", sequence="100"),
            stream_record(message_id="b", sequence="101", text=None),
            stream_record("MODIFY", message_id="a", sequence="102", text="edited"),
        ]
    }
    response = handler.handler(event, lambda_context("p09-consumer"))
    assert response == {"batchItemFailures": [{"itemIdentifier": "101"}]}
    items = ddb.query(
        TableName=CHANGES, KeyConditionExpression="id = :id", ExpressionAttributeValues={":id": {"S": "a"}}
    )["Items"]
    assert [(i["kind"]["S"], i["message"]["S"]) for i in items] == [("INSERT", "hello"), ("MODIFY", "edited")]


def test_a_redelivered_record_adds_no_second_entry(consumer):
    handler, ddb = consumer
    event = {"Records": [stream_record(message_id="a", sequence="100")]}
    handler.handler(event, lambda_context("p09-consumer"))
    first = ddb.scan(TableName=CHANGES)["Items"]
    assert handler.handler(event, lambda_context("p09-consumer")) == {"batchItemFailures": []}
    assert ddb.scan(TableName=CHANGES)["Items"] == first
