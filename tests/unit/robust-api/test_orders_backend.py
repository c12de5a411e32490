"""P06's orders backend: create and read orders; bad input is a 400 with the reason."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, http_api_event, lambda_context

pytestmark = pytest.mark.unit


def http_event(method: str, path: str, route: str, body: str | None = None) -> dict:
    return http_api_event(method, path, route=route.split(" ", 1)[1], body=body)


@pytest.fixture
def backend(aws_credentials, monkeypatch):
    monkeypatch.setenv("ORDERS_TABLE", "p06-orders")
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName="p06-orders",
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        )
        from robust_api import handler

        cold_start("robust_api")
        yield lambda *args: handler.handler(http_event(*args), lambda_context("p06-orders"))
        cold_start("robust_api")


def test_an_order_is_created_and_read_back(backend):
    created = backend("POST", "/orders", "POST /orders", json.dumps({"item": "lamp", "quantity": 2}))
    assert created["statusCode"] == 201 and created["headers"]["x-backend"] == "orders-function"
    order = json.loads(created["body"])
    fetched = backend("GET", f"/orders/{order['id']}", "GET /orders/{id}")
    assert json.loads(fetched["body"]) == order == {"id": order["id"], "item": "lamp", "quantity": 2}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("nope", "body is not JSON"),
        ('{"quantity": 1}', "item is required"),
        ('{"item": "x", "quantity": 0}', "quantity"),
        ('{"item": "x", "quantity": true}', "quantity"),
    ],
)
def test_bad_orders_are_a_400_with_the_reason(backend, body, message):
    answer = backend("POST", "/orders", "POST /orders", body)
    assert answer["statusCode"] == 400 and message in json.loads(answer["body"])["message"]


def test_an_unknown_or_malformed_order_id_is_a_404_or_400(backend):
    assert backend("GET", "/orders/00000000-0000-0000-0000-000000000000", "GET /orders/{id}")["statusCode"] == 404
    assert backend("GET", "/orders/x", "GET /orders/{id}")["statusCode"] == 400
