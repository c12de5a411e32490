"""P01 handlers against an in-process moto DynamoDB table."""

import io
import json

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context, response_json, rest_proxy_event

pytestmark = pytest.mark.unit

TABLE = "items-unit"


@pytest.fixture
def handler(aws_credentials, monkeypatch):
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "items-unit-service")
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        )
        from simple_web_service import handler as module

        cold_start("simple_web_service")
        yield module
        cold_start("simple_web_service")


def call(module, method, resource, path, **kwargs):
    return module.handler(rest_proxy_event(method, resource, path, **kwargs), lambda_context("items-unit"))


def create(handler, body):
    return call(handler, "POST", "/items", "/items", body=body)


def test_created_item_can_be_read_listed_and_deleted(handler):
    created = create(handler, '{"name": "lamp"}')
    assert created["statusCode"] == 201
    item = response_json(created)
    item_id = item["id"]

    got = call(handler, "GET", "/items/{id}", f"/items/{item_id}", path_parameters={"id": item_id})
    assert (got["statusCode"], response_json(got)) == (200, item)

    listed = call(handler, "GET", "/items", "/items")
    assert response_json(listed) == {"items": [item], "cursor": None}

    deleted = call(handler, "DELETE", "/items/{id}", f"/items/{item_id}", path_parameters={"id": item_id})
    assert deleted["statusCode"] == 204
    gone = call(handler, "GET", "/items/{id}", f"/items/{item_id}", path_parameters={"id": item_id})
    assert gone["statusCode"] == 404


def test_malformed_json_gets_400_with_a_message_and_writes_nothing(handler):
    response = create(handler, '{"name": ')
    assert response["statusCode"] == 400
    assert "not valid JSON" in response_json(response)["message"]
    assert boto3.client("dynamodb").scan(TableName=TABLE)["Count"] == 0


def test_unknown_id_gets_404_on_get_and_delete(handler):
    missing = "6f9619ff-8b86-4011-b42d-00c04fc964ff"
    for method in ("GET", "DELETE"):
        response = call(handler, method, "/items/{id}", f"/items/{missing}", path_parameters={"id": missing})
        assert response["statusCode"] == 404, method
        assert missing in response_json(response)["message"]


def test_list_pages_with_a_cursor_until_every_item_is_seen(handler):
    ids = {response_json(create(handler, f'{{"name": "n{i}"}}'))["id"] for i in range(5)}
    seen, cursor = set(), None
    for _ in range(10):
        query = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = response_json(call(handler, "GET", "/items", "/items", query=query))
        seen |= {i["id"] for i in page["items"]}
        cursor = page["cursor"]
        if cursor is None:
            break
    assert seen == ids


def test_bad_limit_gets_400(handler):
    response = call(handler, "GET", "/items", "/items", query={"limit": "1000"})
    assert response["statusCode"] == 400
    assert "'limit'" in response_json(response)["message"]


def test_an_id_already_taken_answers_409_not_a_server_error(handler, monkeypatch):
    first = response_json(create(handler, '{"name": "first"}'))
    monkeypatch.setattr("uuid.uuid4", lambda: __import__("uuid").UUID(first["id"]))
    response = create(handler, '{"name": "second"}')
    assert (response["statusCode"], response_json(response)) == (
        409,
        {"message": f"an item with id {first['id']} already exists"},
    )


def test_logs_carry_the_requests_correlation_id_and_the_service_name(handler, monkeypatch):
    buffer = io.StringIO()  # the logger's handler holds the stdout of its first import
    monkeypatch.setattr(handler.logger.registered_handler, "stream", buffer)
    event = rest_proxy_event("POST", "/items", "/items", body='{"name": "traced"}')
    handler.handler(event, lambda_context("items-unit"))
    lines = [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]
    logged = [line for line in lines if "correlation_id" in line]
    assert logged and {line["correlation_id"] for line in logged} == {event["requestContext"]["requestId"]}
    assert {line["service"] for line in logged} == {"items-unit-service"}


def test_a_created_item_is_counted_in_the_services_metrics(handler, capsys):
    create(handler, '{"name": "counted"}')
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    (emf,) = lines
    (directive,) = emf["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "ServerlessPatterns"
    assert (emf["ItemsCreated"], emf["service"]) == ([1.0], "items-unit-service")
