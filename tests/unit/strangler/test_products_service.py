"""P07's new products service: it answers the routes migrated to it, and says so."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from sample_events import http_api_event, lambda_context

pytestmark = pytest.mark.unit


def http_event(method: str, path: str, body: str | None = None) -> dict:
    one_product = method == "GET" and path.count("/") == 2
    return http_api_event(method, path, route="/products/{id}" if one_product else None, body=body)


@pytest.fixture
def service(aws_credentials, monkeypatch):
    monkeypatch.setenv("PRODUCTS_TABLE", "p07-products")
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName="p07-products",
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        )
        from strangler_service import handler, store

        store._table.cache_clear()
        yield lambda *args: handler.handler(http_event(*args), lambda_context("p07-products"))
        store._table.cache_clear()


def test_a_created_product_is_served_back_and_every_answer_names_the_service(service):
    created = service("POST", "/products", json.dumps({"name": " Lamp ", "price": 19.9}))
    assert created["statusCode"] == 201 and created["headers"]["x-served-by"] == "products-service"
    product = json.loads(created["body"])
    assert (product["name"], product["price"]) == ("Lamp", "19.90")
    fetched = service("GET", f"/products/{product['id']}")
    assert json.loads(fetched["body"]) == product
    assert json.loads(service("GET", "/products")["body"]) == {"products": [product]}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json", "body is not JSON"),
        ('{"price": 1}', "name is required"),
        ('{"name": "x", "price": -1}', "non-negative"),
        ('{"name": "x", "price": 1.234}', "cents"),
        ('{"name": "x", "price": true}', "must be a number"),
    ],
)
def test_a_product_the_service_cannot_keep_is_a_400_with_the_reason(service, body, message):
    answer = service("POST", "/products", body)
    assert answer["statusCode"] == 400 and message in json.loads(answer["body"])["message"]


def test_an_unknown_or_malformed_id_is_a_404_or_400(service):
    assert service("GET", "/products/missing")["statusCode"] == 404
    assert service("GET", "/products/bad id!")["statusCode"] == 400
