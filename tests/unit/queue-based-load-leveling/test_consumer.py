"""P14 consumer: parsing, the work itself, partial batch failures and idempotency (moto in-process)."""

from __future__ import annotations

import json
from decimal import Decimal

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context, sqs_event

pytestmark = pytest.mark.unit

RESULTS, IDEMPOTENCY = "p14-results", "p14-idempotency"


def test_valid_request_computes_a_fee_rounded_to_cents():
    from load_leveling import logic

    request = logic.parse_request("t1", '{"customer": " acme ", "amount": 19.99}')
    assert request == logic.WorkRequest("t1", "acme", Decimal("19.99"))
    assert logic.result_of(request) == {"customer": "acme", "amount": "19.99", "fee": "0.50"}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("nope", "not JSON"),
        ("[]", "JSON object"),
        ('{"amount": 1}', "customer"),
        ('{"customer": "a", "amount": "x"}', "number"),
        ('{"customer": "a", "amount": -1}', "positive"),
        ('{"customer": "a", "amount": "NaN"}', "positive"),
    ],
)
def test_requests_that_can_never_succeed_are_poison(body, reason):
    from load_leveling import logic

    with pytest.raises(logic.PoisonMessage, match=reason):
        logic.parse_request("t1", body)


@pytest.fixture
def consumer(aws_credentials, monkeypatch):
    monkeypatch.setenv("RESULTS_TABLE", RESULTS)
    monkeypatch.setenv("IDEMPOTENCY_TABLE", IDEMPOTENCY)
    with mock_aws():
        ddb = boto3.client("dynamodb")
        for table, key in ((RESULTS, "transactionId"), (IDEMPOTENCY, "id")):
            ddb.create_table(
                TableName=table,
                BillingMode="PAY_PER_REQUEST",
                KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            )
        import importlib

        cold_start("load_leveling")
        from load_leveling import handler

        handler = importlib.reload(handler)  # its persistence layer binds the table at import
        yield handler, ddb
        cold_start("load_leveling")


def test_batch_reports_only_the_poison_record_as_failed_and_stores_the_rest(consumer):
    handler, ddb = consumer
    good = json.dumps({"customer": "acme", "amount": 10})
    response = handler.handler(
        sqs_event(("m1", good), ("m2", "not json"), ("m3", good)), lambda_context("p14-consumer")
    )
    assert response == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    stored = {i["transactionId"]["S"] for i in ddb.scan(TableName=RESULTS)["Items"]}
    assert stored == {"m1", "m3"}


def test_redelivered_message_has_no_second_effect(consumer):
    handler, ddb = consumer
    body = json.dumps({"customer": "acme", "amount": 10})
    handler.handler(sqs_event(("m1", body)), lambda_context("p14-consumer"))
    first = ddb.get_item(TableName=RESULTS, Key={"transactionId": {"S": "m1"}})["Item"]["processedAt"]
    handler.handler(sqs_event(("m1", body)), lambda_context("p14-consumer"))
    again = ddb.get_item(TableName=RESULTS, Key={"transactionId": {"S": "m1"}})["Item"]["processedAt"]
    assert again == first, "the second delivery must not process the request again"
