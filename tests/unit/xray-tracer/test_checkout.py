"""P28 checkout and fulfil: orders validated, the stock service's answers mapped to the client's, the
order stored and published only when the stock is reserved, fulfilment idempotent."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context, response_json, rest_proxy_event, sqs_event

pytestmark = pytest.mark.unit

TABLE = "p28-orders"


def test_an_order_is_parsed_with_its_id_and_time():
    from xray_tracer import logic

    order = logic.parse_order(
        '{"sku": "KB-1", "quantity": 2}', now=datetime(2026, 12, 7, 12, 0, tzinfo=UTC), new_id="o-1"
    )
    assert order == logic.Order("o-1", "KB-1", 2, "2026-12-07T12:00:00+00:00")
    assert json.loads(order.to_message()) == {"orderId": "o-1", "quantity": 2, "sku": "KB-1"}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (None, "request body is required"),
        ("{", "not valid JSON"),
        ("[1]", "must be a JSON object"),
        ('{"sku": "KB-1", "quantity": 1, "price": 3}', "unknown fields: price"),
        ('{"sku": "K B", "quantity": 1}', "'sku' must be"),
        ('{"sku": "KB-1", "quantity": 0}', "'quantity' must be a whole number from 1 to 100"),
        ('{"sku": "KB-1", "quantity": true}', "'quantity' must be"),
        ('{"sku": "KB-1", "quantity": 1.5}', "'quantity' must be"),
    ],
)
def test_a_malformed_order_is_refused_with_its_reason(body, reason):
    from xray_tracer import logic

    with pytest.raises(logic.BadRequest, match=reason):
        logic.parse_order(body)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(200, None), (204, None), (409, "OutOfStock"), (422, "OutOfStock"), (404, "StockUnavailable"),
     (403, "StockUnavailable"), (429, "StockUnavailable"), (500, "StockUnavailable"), (503, "StockUnavailable"),
     (None, "StockUnavailable")],
)  # fmt: skip
def test_the_stock_services_answer_decides_the_order(status, outcome):
    from xray_tracer import logic

    order = logic.Order("o-1", "KB-1", 2, "t")
    if outcome is None:
        logic.check_stock_answer(status, "", order)
    else:
        with pytest.raises(getattr(logic, outcome)):
            logic.check_stock_answer(status, "connection refused", order)


def test_the_stock_request_names_the_sku_and_quantity_url_encoded():
    from xray_tracer import logic

    url = logic.stock_request_url("https://stock.example.com/items", logic.Order("o", "A-1", 3, "t"))
    assert url == "https://stock.example.com/items?sku=A-1&quantity=3"


class Stock(BaseHTTPRequestHandler):
    answers: dict[str, int] = {}
    asked: list[dict[str, list[str]]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        query = parse_qs(urlsplit(self.path).query)
        Stock.asked.append(query)
        status = Stock.answers.get(query["sku"][0], 200)
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def shop(aws_credentials, monkeypatch) -> Iterator[tuple[Any, Any, Any]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stock)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Stock.answers, Stock.asked = {"GONE": 409, "BROKEN": 503}, []
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("STOCK_SERVICE_URL", f"http://127.0.0.1:{server.server_port}/items")
    monkeypatch.setenv("STOCK_TIMEOUT_MS", "1000")
    with mock_aws():
        ddb = boto3.client("dynamodb")
        ddb.create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        )
        sns, sqs = boto3.client("sns"), boto3.client("sqs")
        topic = sns.create_topic(Name="p28-orders")["TopicArn"]
        queue = sqs.create_queue(QueueName="p28-fulfilment")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
        monkeypatch.setenv("TOPIC_ARN", topic)
        from xray_tracer import handler

        cold_start("xray_tracer")
        yield handler, ddb, (sqs, queue)
        cold_start("xray_tracer")
    server.shutdown()


def place(handler: Any, body: dict[str, Any]) -> dict[str, Any]:
    event = rest_proxy_event("POST", "/orders", "/orders", body=json.dumps(body))
    return handler.checkout(event, lambda_context("p28-checkout"))  # type: ignore[no-any-return]


def test_a_reserved_order_is_stored_placed_and_published(shop):
    handler, ddb, (sqs, queue) = shop
    response = place(handler, {"sku": "KB-1", "quantity": 2})
    assert response["statusCode"] == 201
    answer = response_json(response)
    assert answer == {"orderId": answer["orderId"], "sku": "KB-1", "quantity": 2, "status": "PLACED"}
    assert Stock.asked == [{"sku": ["KB-1"], "quantity": ["2"]}]
    item = ddb.get_item(TableName=TABLE, Key={"id": {"S": answer["orderId"]}})["Item"]
    assert item["status"] == {"S": "PLACED"} and item["quantity"] == {"N": "2"}
    [message] = sqs.receive_message(QueueUrl=queue)["Messages"]
    assert json.loads(message["Body"]) == {"orderId": answer["orderId"], "sku": "KB-1", "quantity": 2}


@pytest.mark.parametrize(("sku", "status"), [("GONE", 409), ("BROKEN", 502)])
def test_an_order_the_stock_service_refuses_or_fails_is_neither_stored_nor_published(shop, sku, status):
    handler, ddb, (sqs, queue) = shop
    response = place(handler, {"sku": sku, "quantity": 1})
    assert response["statusCode"] == status
    assert ddb.scan(TableName=TABLE)["Items"] == []
    assert sqs.receive_message(QueueUrl=queue).get("Messages", []) == []


def test_an_order_the_topic_refuses_is_withdrawn_and_answered_502(shop, monkeypatch):
    handler, ddb, (sqs, queue) = shop
    monkeypatch.setenv("TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:no-such-topic")
    cold_start("xray_tracer")
    response = place(handler, {"sku": "KB-1", "quantity": 1})
    assert response["statusCode"] == 502
    assert response_json(response) == {"message": "the order could not be placed: try again later"}
    assert ddb.scan(TableName=TABLE)["Items"] == [], "nothing would fulfil it: it is taken back"


def test_an_unreachable_stock_service_is_a_502(shop, monkeypatch):
    handler, ddb, _ = shop
    monkeypatch.setenv("STOCK_SERVICE_URL", "http://127.0.0.1:9/items")
    cold_start("xray_tracer")
    response = place(handler, {"sku": "KB-1", "quantity": 1})
    assert response["statusCode"] == 502
    assert response_json(response) == {"message": "the stock service is unavailable: try again later"}


def test_fulfil_marks_orders_fulfilled_once_and_reports_only_what_it_could_not(shop):
    handler, ddb, _ = shop
    order_id = response_json(place(handler, {"sku": "KB-1", "quantity": 1}))["orderId"]
    message = json.dumps({"orderId": order_id, "sku": "KB-1", "quantity": 1})
    unknown = json.dumps({"orderId": "never-placed"})
    response = handler.fulfil(sqs_event(("m1", message), ("m2", unknown), ("m3", "not json")), lambda_context("f"))
    assert response == {"batchItemFailures": [{"itemIdentifier": "m2"}, {"itemIdentifier": "m3"}]}
    first = ddb.get_item(TableName=TABLE, Key={"id": {"S": order_id}})["Item"]
    assert first["status"] == {"S": "FULFILLED"}
    assert handler.fulfil(sqs_event(("m1-again", message)), lambda_context("f")) == {"batchItemFailures": []}
    again = ddb.get_item(TableName=TABLE, Key={"id": {"S": order_id}})["Item"]
    assert again["fulfilled_at"] == first["fulfilled_at"], "a redelivery changes nothing"
    assert ddb.scan(TableName=TABLE, Select="COUNT")["Count"] == 1
