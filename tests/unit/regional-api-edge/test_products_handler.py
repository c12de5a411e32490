"""P30 handlers against an in-process moto DynamoDB table."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context, response_json, rest_proxy_event

pytestmark = pytest.mark.unit

TABLE = "products-unit"


@pytest.fixture
def handler(aws_credentials, monkeypatch):
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("PUBLIC_MAX_AGE_SECONDS", "120")
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "products-unit")
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        )
        from regional_api_edge import handler as module

        cold_start("regional_api_edge")
        yield module
        cold_start("regional_api_edge")


def put(module, product_id, body, claims):
    event = rest_proxy_event(
        "PUT", "/products/{id}", f"/products/{product_id}", path_parameters={"id": product_id}, body=body
    )
    event["requestContext"]["authorizer"] = {"claims": claims} if claims is not None else None
    return module.handler(event, lambda_context("products-unit"))


def test_an_editors_product_is_listed_publicly_with_the_lists_max_age(handler):
    saved = put(handler, "lamp", '{"name": "Lamp", "price": 19.9}', {"sub": "ed-1"})
    assert saved["statusCode"] == 200
    assert saved["multiValueHeaders"]["Cache-Control"] == ["private, no-store"]
    assert response_json(saved)["updatedBy"] == "ed-1"

    listed = handler.handler(rest_proxy_event("GET", "/products", "/products"), lambda_context("products-unit"))
    assert listed["statusCode"] == 200
    assert listed["multiValueHeaders"]["Cache-Control"] == ["public, max-age=120"]
    assert [(p["id"], p["price"]) for p in response_json(listed)["products"]] == [("lamp", 19.9)]


def test_a_bad_product_is_400_and_not_stored(handler):
    refused = put(handler, "lamp", '{"name": "Lamp"}', {"sub": "ed-1"})
    assert refused["statusCode"] == 400
    assert "'price' must be a number" in response_json(refused)["message"]
    assert boto3.client("dynamodb").scan(TableName=TABLE)["Count"] == 0


def test_a_write_without_an_editors_claims_is_401(handler):
    refused = put(handler, "lamp", '{"name": "Lamp", "price": 1}', None)
    assert refused["statusCode"] == 401
    assert boto3.client("dynamodb").scan(TableName=TABLE)["Count"] == 0
