"""P31 handlers against an in-process moto DynamoDB table."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, http_api_event, lambda_context, response_json

pytestmark = pytest.mark.unit

TABLE = "board-unit"


@pytest.fixture
def handler(aws_credentials, monkeypatch):
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "board-unit")
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "board", "KeyType": "HASH"}, {"AttributeName": "posted", "KeyType": "RANGE"}],
            AttributeDefinitions=[
                {"AttributeName": "board", "AttributeType": "S"},
                {"AttributeName": "posted", "AttributeType": "S"},
            ],
        )
        from single_domain_frontend_backend import handler as module

        cold_start("single_domain_frontend_backend")
        yield module
        cold_start("single_domain_frontend_backend")


def call(module, method, body=None):
    return module.handler(http_api_event(method, "/api/messages", body=body), lambda_context("board-unit"))


def test_posted_messages_are_listed_newest_first_without_cors_headers(handler):
    first = call(handler, "POST", '{"author": "Ada", "text": "first"}')
    second = call(handler, "POST", '{"author": "Bob", "text": "second"}')
    assert (first["statusCode"], second["statusCode"]) == (201, 201)
    listed = call(handler, "GET")
    assert listed["statusCode"] == 200
    assert [m["text"] for m in response_json(listed)["messages"]] == ["second", "first"]
    assert not any(name.lower().startswith("access-control-") for name in listed.get("headers", {}))


def test_a_bad_message_is_400_and_not_stored(handler):
    refused = call(handler, "POST", '{"author": "Ada"}')
    assert refused["statusCode"] == 400
    assert "'text' must be" in response_json(refused)["message"]
    assert boto3.client("dynamodb").scan(TableName=TABLE)["Count"] == 0


def test_a_form_post_is_415_and_not_stored(handler):
    event = http_api_event("POST", "/api/messages", body='{"author": "a", "text": "b=c"}')
    event["headers"]["content-type"] = "text/plain"
    refused = handler.handler(event, lambda_context("board-unit"))
    assert refused["statusCode"] == 415
    assert boto3.client("dynamodb").scan(TableName=TABLE)["Count"] == 0


def test_a_base64_encoded_json_body_is_read(handler):
    import base64

    event = http_api_event("POST", "/api/messages", body=base64.b64encode(b'{"author": "Ada", "text": "hi"}').decode())
    event["isBase64Encoded"] = True
    assert handler.handler(event, lambda_context("board-unit"))["statusCode"] == 201
