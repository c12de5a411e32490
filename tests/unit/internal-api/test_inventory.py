"""P03: the service's contract, its reservations (once per id), and the client's one kind of error."""

from __future__ import annotations

import io
import json

import boto3
import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from moto import mock_aws

from sample_events import cold_start, lambda_context

pytestmark = pytest.mark.unit

TABLE = "p03-inventory"


@pytest.mark.parametrize(
    ("request_", "reason"),
    [
        ([], "JSON object"),
        ({"action": "delete", "sku": "a"}, "action must be"),
        ({"action": "get"}, "sku is required"),
        ({"action": "get", "sku": "Has Caps"}, "sku is required"),
        ({"action": "reserve", "sku": "a", "quantity": 0, "reservationId": "r"}, "quantity"),
        ({"action": "reserve", "sku": "a", "quantity": True, "reservationId": "r"}, "quantity"),
        ({"action": "reserve", "sku": "a", "quantity": 1}, "reservationId is required"),
    ],
)
def test_requests_outside_the_contract_are_invalid_with_the_reason(request_, reason):
    from internal_api import logic

    with pytest.raises(logic.InvalidRequest, match=reason):
        logic.parse_request(request_)


@pytest.fixture
def service(aws_credentials, monkeypatch):
    monkeypatch.setenv("INVENTORY_TABLE", TABLE)
    with mock_aws():
        ddb = boto3.client("dynamodb")
        ddb.create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        )
        ddb.put_item(TableName=TABLE, Item={"pk": {"S": "SKU#widget"}, "available": {"N": "10"}})
        from internal_api import handler

        cold_start("internal_api")
        yield handler, ddb
        cold_start("internal_api")


def ask(service, request):
    return service[0].serve(request, lambda_context("p03-inventory"))


def test_a_reservation_takes_stock_once_per_reservation_id(service):
    first = ask(service, {"action": "reserve", "sku": "widget", "quantity": 3, "reservationId": "o-1"})
    retried = ask(service, {"action": "reserve", "sku": "widget", "quantity": 3, "reservationId": "o-1"})
    expected = {"reservationId": "o-1", "sku": "widget", "quantity": 3, "available": 7}
    assert first == retried == {"ok": True, "result": expected}
    assert ask(service, {"action": "get", "sku": "widget"}) == {"ok": True, "result": {"sku": "widget", "available": 7}}


@pytest.mark.parametrize(
    ("request_", "error_type", "message"),
    [
        (
            {"action": "reserve", "sku": "widget", "quantity": 11, "reservationId": "o-2"},
            "OutOfStock",
            "widget: 10 available, 11 requested",
        ),
        ({"action": "get", "sku": "gadget"}, "NotFound", "no SKU 'gadget'"),
        ({"action": "restock"}, "InvalidRequest", "action must be 'get' or 'reserve', not 'restock'"),
    ],
)
def test_business_errors_come_back_in_the_envelope_not_as_a_crash(service, request_, error_type, message):
    assert ask(service, request_) == {"ok": False, "error": {"type": error_type, "message": message}}
    assert ask(service, {"action": "get", "sku": "widget"})["result"]["available"] == 10


class FakeLambda:
    def __init__(self, answer=None, function_error=None, raises=None) -> None:
        self.answer, self.function_error, self.raises, self.calls = answer, function_error, raises, []

    def invoke(self, **kwargs):
        self.calls.append(kwargs)
        if self.raises:
            raise self.raises
        response = {"StatusCode": 200, "Payload": io.BytesIO(json.dumps(self.answer).encode())}
        if self.function_error:
            response["FunctionError"] = self.function_error
        return response


def client_with(**fake):
    from internal_api.store import InventoryClient

    return InventoryClient(FakeLambda(**fake), "p03-inventory")


def test_the_client_returns_the_result_of_a_successful_answer():
    client = client_with(answer={"ok": True, "result": {"sku": "widget", "available": 4}})
    assert client.available("widget") == 4
    assert json.loads(client.lambda_client.calls[0]["Payload"]) == {"action": "get", "sku": "widget"}


@pytest.mark.parametrize(
    ("fake", "error_type", "retryable", "message"),
    [
        (
            {"answer": {"ok": False, "error": {"type": "OutOfStock", "message": "widget: 1 available"}}},
            "OutOfStock",
            False,
            "widget: 1 available",
        ),
        (
            {
                "answer": {"errorType": "AccessDeniedException", "errorMessage": "not authorized"},
                "function_error": "Unhandled",
            },
            "ServiceFailure",
            True,
            "AccessDeniedException: not authorized",
        ),
        (
            {"raises": ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "Invoke")},
            "Unavailable",
            False,
            "AccessDeniedException: no",
        ),
        (
            {"raises": ClientError({"Error": {"Code": "TooManyRequestsException", "Message": "slow"}}, "Invoke")},
            "Unavailable",
            True,
            "TooManyRequestsException: slow",
        ),
        ({"raises": ReadTimeoutError(endpoint_url="http://x")}, "Unavailable", True, "Read timeout"),
        ({"answer": "surprise"}, "ServiceFailure", False, "unexpected answer"),
    ],
)
def test_every_failure_reaches_the_caller_as_an_inventory_error(fake, error_type, retryable, message):
    from internal_api.store import InventoryError

    with pytest.raises(InventoryError) as raised:
        client_with(**fake).reserve("widget", 2, "o-9")
    assert (raised.value.type, raised.value.retryable) == (error_type, retryable)
    assert message in str(raised.value)


def test_checkout_answers_a_failed_reservation_as_data(monkeypatch):
    from internal_api import handler as checkout
    from internal_api import store

    failing = client_with(answer={"ok": False, "error": {"type": "OutOfStock", "message": "widget: 0 available"}})
    monkeypatch.setattr(store, "inventory", lambda: failing)
    answer = checkout.checkout({"orderId": "o-7", "sku": "widget", "quantity": 1}, lambda_context("p03-checkout"))
    assert answer == {
        "status": "failed",
        "orderId": "o-7",
        "error": {"type": "OutOfStock", "message": "widget: 0 available", "retryable": False},
    }


def test_checkout_answers_a_reservation_with_what_the_service_reserved(monkeypatch):
    from internal_api import handler as checkout
    from internal_api import store

    reserved = {"reservationId": "o-8", "sku": "widget", "quantity": 1, "available": 3}
    monkeypatch.setattr(store, "inventory", lambda: client_with(answer={"ok": True, "result": reserved}))
    answer = checkout.checkout({"orderId": "o-8", "sku": "widget", "quantity": 1}, lambda_context("p03-checkout"))
    assert answer == {"status": "reserved", "orderId": "o-8", "reservation": reserved}
