"""P12 consumer: events parsed from body and attributes, recorded once per subscriber, poison refused."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context

pytestmark = pytest.mark.unit

TABLE = "p12-deliveries"


def attributes(event_id: str | None = "e1", event_type: str | None = "payment") -> dict:
    found = {}
    if event_id:
        found["eventId"] = {"stringValue": event_id, "dataType": "String"}
    if event_type:
        found["eventType"] = {"stringValue": event_type, "dataType": "String"}
    return found


def test_event_takes_its_id_and_type_from_the_attributes_the_api_set():
    from big_fan import logic

    event = logic.parse_event('{"type": "payment", "detail": {"amount": 5}}', attributes())
    assert event == logic.FannedEvent("e1", "payment", {"amount": 5})


@pytest.mark.parametrize(
    ("body", "attrs", "reason"),
    [
        ('{"type": "payment"}', attributes(event_id=None), "eventId is missing"),
        ('{"type": "payment"}', attributes(event_type=None), "eventType is missing"),
        ("nope", attributes(), "not JSON"),
        ('{"type": "payment", "detail": [1]}', attributes(), "detail is an object"),
        ('{"type": "refund"}', attributes(), "differs from attribute"),
    ],
)
def test_messages_not_published_through_the_api_are_poison(body, attrs, reason):
    from big_fan import logic

    with pytest.raises(logic.PoisonMessage, match=reason):
        logic.parse_event(body, attrs)


def sqs_event(*messages: tuple[str, str, dict]) -> dict:
    return {
        "Records": [
            {
                "messageId": message_id,
                "receiptHandle": "rh",
                "body": body,
                "messageAttributes": attrs,
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1",
                    "SenderId": "x",
                    "ApproximateFirstReceiveTimestamp": "1",
                },
                "md5OfBody": "x",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
                "awsRegion": "us-east-1",
            }
            for message_id, body, attrs in messages
        ]
    }


@pytest.fixture
def consumer(aws_credentials, monkeypatch):
    monkeypatch.setenv("SUBSCRIBER", "payments")
    monkeypatch.setenv("DELIVERIES_TABLE", TABLE)
    with mock_aws():
        ddb = boto3.client("dynamodb")
        ddb.create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[
                {"AttributeName": "eventId", "KeyType": "HASH"},
                {"AttributeName": "subscriber", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "eventId", "AttributeType": "S"},
                {"AttributeName": "subscriber", "AttributeType": "S"},
            ],
        )
        from big_fan import handler

        cold_start("big_fan")
        yield handler, ddb
        cold_start("big_fan")


def test_batch_records_good_events_and_reports_only_the_poison_one(consumer):
    handler, ddb = consumer
    body = json.dumps({"type": "payment", "detail": {"amount": 5}})
    response = handler.handler(
        sqs_event(("m1", body, attributes("e1")), ("m2", "nope", attributes("e2")), ("m3", body, attributes("e3"))),
        lambda_context("p12-payments"),
    )
    assert response == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    items = ddb.scan(TableName=TABLE)["Items"]
    assert sorted((i["eventId"]["S"], i["subscriber"]["S"]) for i in items) == [("e1", "payments"), ("e3", "payments")]
    assert json.loads(items[0]["detail"]["S"]) == {"amount": 5}


def test_a_redelivered_event_is_not_recorded_twice(consumer):
    handler, ddb = consumer
    body = json.dumps({"type": "payment"})
    handler.handler(sqs_event(("m1", body, attributes("e1"))), lambda_context("p12-payments"))
    first = ddb.scan(TableName=TABLE)["Items"][0]["receivedAt"]
    response = handler.handler(sqs_event(("m1-again", body, attributes("e1"))), lambda_context("p12-payments"))
    assert response == {"batchItemFailures": []}
    items = ddb.scan(TableName=TABLE)["Items"]
    assert len(items) == 1 and items[0]["receivedAt"] == first and items[0]["messageId"]["S"] == "m1"
