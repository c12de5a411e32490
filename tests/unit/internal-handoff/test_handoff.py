"""P04: what a valid order is, the caller's answer at once, and the worker's single effect per order id."""

from __future__ import annotations

import json
from decimal import Decimal

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context

pytestmark = pytest.mark.unit

LEDGER, IDEMPOTENCY = "p04-ledger", "p04-idempotency"


def test_a_valid_order_is_normalised_to_cents():
    from internal_handoff import logic

    order = logic.parse_order({"orderId": "o-1", "customer": " acme ", "amount": 19.5})
    assert order == logic.Order("o-1", "acme", Decimal("19.50"))
    assert order.as_event() == {"orderId": "o-1", "customer": "acme", "amount": "19.50"}


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ([], "JSON object"),
        ({"customer": "a", "amount": 1}, "orderId is required"),
        ({"orderId": "has space", "customer": "a", "amount": 1}, "orderId is required"),
        ({"orderId": "o", "amount": 1}, "customer is required"),
        ({"orderId": "o", "customer": "a"}, "number"),
        ({"orderId": "o", "customer": "a", "amount": True}, "number"),
        ({"orderId": "o", "customer": "a", "amount": "x"}, "number"),
        ({"orderId": "o", "customer": "a", "amount": 0}, "positive"),
        ({"orderId": "o", "customer": "a", "amount": "NaN"}, "positive"),
        ({"orderId": "o", "customer": "a", "amount": 0.001}, "cents"),
    ],
)
def test_orders_that_can_never_be_processed_are_refused_with_the_reason(event, reason):
    from internal_handoff import logic

    with pytest.raises(logic.InvalidOrder, match=reason):
        logic.parse_order(event)


class FakeLambda:
    def __init__(self) -> None:
        self.calls: list[dict] = []

    def invoke(self, **kwargs):
        self.calls.append(kwargs)
        return {"StatusCode": 202, "ResponseMetadata": {"RequestId": "req-1"}}


@pytest.fixture
def caller(monkeypatch):
    monkeypatch.setenv("TARGET_FUNCTION", "p04-worker")
    from internal_handoff import handler, store

    cold_start("internal_handoff")
    fake = FakeLambda()
    monkeypatch.setattr(store, "_lambda", lambda: fake)
    yield handler.hand_off, fake
    cold_start("internal_handoff")


def test_the_caller_hands_the_order_off_as_an_event_and_answers_accepted(caller):
    hand_off, fake = caller
    answer = hand_off({"orderId": "o-1", "customer": "acme", "amount": 5}, lambda_context("p04-caller"))
    assert answer == {"status": "accepted", "orderId": "o-1", "handoffRequestId": "req-1"}
    assert [(c["FunctionName"], c["InvocationType"], json.loads(c["Payload"])) for c in fake.calls] == [
        ("p04-worker", "Event", {"orderId": "o-1", "customer": "acme", "amount": "5.00"})
    ]


def test_the_caller_answers_an_invalid_order_with_a_structured_error_and_hands_nothing_off(caller):
    hand_off, fake = caller
    answer = hand_off({"orderId": "o-1", "amount": 5}, lambda_context("p04-caller"))
    assert answer == {
        "status": "rejected",
        "error": {"type": "InvalidOrder", "message": "customer is required: a name of 1-64 characters"},
    }
    assert fake.calls == []


@pytest.fixture
def worker(aws_credentials, monkeypatch):
    monkeypatch.setenv("LEDGER_TABLE", LEDGER)
    monkeypatch.setenv("IDEMPOTENCY_TABLE", IDEMPOTENCY)
    with mock_aws():
        ddb = boto3.client("dynamodb")
        for table, key in ((LEDGER, "customer"), (IDEMPOTENCY, "id")):
            ddb.create_table(
                TableName=table,
                BillingMode="PAY_PER_REQUEST",
                KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            )
        from internal_handoff import handler

        cold_start("internal_handoff")  # the worker's persistence layer binds the table once per cold start
        yield handler.work, ddb
        cold_start("internal_handoff")


def balance(ddb, customer: str) -> tuple[Decimal, int]:
    item = ddb.get_item(TableName=LEDGER, Key={"customer": {"S": customer}})["Item"]
    return Decimal(item["balance"]["N"]), int(item["orders"]["N"])


def test_a_duplicated_event_credits_once_and_gets_the_first_result_back(worker):
    work, ddb = worker
    event = {"orderId": "o-1", "customer": "acme", "amount": "10.00"}
    first = work(event, lambda_context("p04-worker"))
    again = work(dict(event), lambda_context("p04-worker"))
    assert first == again == {"orderId": "o-1", "customer": "acme", "balance": "10.00"}
    assert balance(ddb, "acme") == (Decimal("10"), 1)
    work({"orderId": "o-2", "customer": "acme", "amount": "2.50"}, lambda_context("p04-worker"))
    assert balance(ddb, "acme") == (Decimal("12.5"), 2)


def test_an_order_the_worker_can_never_process_raises_so_lambda_retries_and_dead_letters_it(worker):
    work, ddb = worker
    from internal_handoff import logic

    with pytest.raises(logic.InvalidOrder, match="amount"):
        work({"orderId": "o-3", "customer": "acme", "amount": -1}, lambda_context("p04-worker"))
    assert ddb.scan(TableName=LEDGER)["Items"] == []


def test_a_missing_setting_is_named():
    from internal_handoff import settings

    cold_start("internal_handoff")
    with pytest.raises(RuntimeError, match="TARGET_FUNCTION not set"):
        settings.target_function()
