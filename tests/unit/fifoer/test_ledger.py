"""P13 consumer: parsing, balances, order per message group, and exactly one effect per deduplication id."""

from __future__ import annotations

import json
from decimal import Decimal

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context

pytestmark = pytest.mark.unit

TABLE = "p13-ledger"


def test_a_withdrawal_beyond_the_balance_is_rejected_whole():
    from fifoer import logic

    event = logic.LedgerEvent("acme", "withdrawal", Decimal("30"), "w1")
    assert logic.apply(Decimal("20"), event) == logic.Outcome(
        "REJECTED", Decimal("20"), "insufficient funds: balance 20, withdrawal 30"
    )
    assert logic.apply(Decimal("30"), event) == logic.Outcome("APPLIED", Decimal("0"))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("nope", "not JSON"),
        ("[]", "JSON object"),
        ('{"account": "other", "kind": "deposit", "amount": 1, "reference": "r"}', "does not match message group"),
        ('{"account": "acme", "kind": "refund", "amount": 1, "reference": "r"}', "kind must be one of"),
        ('{"account": "acme", "kind": "deposit", "amount": "x", "reference": "r"}', "must be a number"),
        ('{"account": "acme", "kind": "deposit", "amount": 0, "reference": "r"}', "positive"),
        ('{"account": "acme", "kind": "deposit", "amount": 0.001, "reference": "r"}', "cents"),
        ('{"account": "acme", "kind": "deposit", "amount": 1}', "reference is required"),
    ],
)
def test_events_that_can_never_be_applied_are_poison(body, reason):
    from fifoer import logic

    with pytest.raises(logic.PoisonMessage, match=reason):
        logic.parse_event(body, "acme")


def fifo_event(*messages: tuple[str, str, dict | str]) -> dict:
    """(group, deduplication id, body) per record, sequence numbers growing in the given order."""
    return {
        "Records": [
            {
                "messageId": f"m-{dedup}",
                "receiptHandle": "rh",
                "body": body if isinstance(body, str) else json.dumps(body),
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1",
                    "SenderId": "x",
                    "ApproximateFirstReceiveTimestamp": "1",
                    "MessageGroupId": group,
                    "MessageDeduplicationId": dedup,
                    "SequenceNumber": str(18000000000000000000 + n),
                },
                "messageAttributes": {},
                "md5OfBody": "x",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q.fifo",
                "awsRegion": "us-east-1",
            }
            for n, (group, dedup, body) in enumerate(messages)
        ]
    }


def event(account: str, kind: str, amount: int, reference: str) -> dict:
    return {"account": account, "kind": kind, "amount": amount, "reference": reference}


@pytest.fixture
def ledger(aws_credentials, monkeypatch):
    monkeypatch.setenv("LEDGER_TABLE", TABLE)
    with mock_aws():
        ddb = boto3.client("dynamodb")
        ddb.create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
        )
        from fifoer import handler

        cold_start("fifoer")
        yield handler, ddb
        cold_start("fifoer")


def balance(ddb, account: str) -> str:
    return ddb.get_item(TableName=TABLE, Key={"pk": {"S": account}, "sk": {"S": "ACCOUNT"}})["Item"]["balance"]["N"]


def entries(ddb, account: str) -> list[dict]:
    items = ddb.query(
        TableName=TABLE,
        KeyConditionExpression="pk = :a AND begins_with(sk, :e)",
        ExpressionAttributeValues={":a": {"S": account}, ":e": {"S": "ENTRY#"}},
    )["Items"]
    return [
        {"reference": i["reference"]["S"], "status": i["status"]["S"], "balanceAfter": i["balanceAfter"]["N"]}
        for i in items
    ]


def test_events_of_an_account_are_applied_in_order_with_running_balances(ledger):
    handler, ddb = ledger
    response = handler.handler(
        fifo_event(
            ("acme", "d1", event("acme", "deposit", 100, "r1")),
            ("acme", "d2", event("acme", "withdrawal", 60, "r2")),
            ("acme", "d3", event("acme", "withdrawal", 60, "r3")),
            ("acme", "d4", event("acme", "deposit", 20, "r4")),
        ),
        lambda_context("p13-consumer"),
    )
    assert response == {"batchItemFailures": []}
    assert entries(ddb, "acme") == [
        {"reference": "r1", "status": "APPLIED", "balanceAfter": "100"},
        {"reference": "r2", "status": "APPLIED", "balanceAfter": "40"},
        {"reference": "r3", "status": "REJECTED", "balanceAfter": "40"},
        {"reference": "r4", "status": "APPLIED", "balanceAfter": "60"},
    ]
    assert balance(ddb, "acme") == "60"


def test_a_redelivered_deduplication_id_has_no_second_effect(ledger):
    handler, ddb = ledger
    deposit = ("acme", "d1", event("acme", "deposit", 100, "r1"))
    handler.handler(fifo_event(deposit), lambda_context("p13-consumer"))
    # a producer retry past SQS's five-minute window arrives as a new message with the same id
    response = handler.handler(fifo_event(deposit), lambda_context("p13-consumer"))
    assert response == {"batchItemFailures": []}
    assert balance(ddb, "acme") == "100"
    assert len(entries(ddb, "acme")) == 1


def test_a_poison_message_fails_the_rest_of_its_group_only(ledger):
    handler, ddb = ledger
    response = handler.handler(
        fifo_event(
            ("acme", "a1", event("acme", "deposit", 10, "a1")),
            ("acme", "a2", "not json"),
            ("beta", "b1", event("beta", "deposit", 5, "b1")),
            ("acme", "a3", event("acme", "deposit", 10, "a3")),
            ("beta", "b2", event("beta", "deposit", 5, "b2")),
        ),
        lambda_context("p13-consumer"),
    )
    # a3 waits behind the poison message so that acme's order is kept; beta carries on
    assert response == {"batchItemFailures": [{"itemIdentifier": "m-a2"}, {"itemIdentifier": "m-a3"}]}
    assert balance(ddb, "acme") == "10"
    assert balance(ddb, "beta") == "10"


def test_missing_table_setting_is_a_clear_error(monkeypatch):
    from fifoer import settings

    monkeypatch.delenv("LEDGER_TABLE", raising=False)
    cold_start("fifoer")
    with pytest.raises(RuntimeError, match="LEDGER_TABLE not set"):
        settings.ledger_table()
    cold_start("fifoer")
