"""P06 robust API: each route reaches its own kind of backend; an unknown route is the gateway's 404."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from harness import Stack, applied_stack, as_role, authorized, http_api_call, package_zip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory, legacy_server) -> Iterator[Stack]:
    with applied_stack(
        "robust-api",
        local_cloud,
        tmp_path_factory.mktemp("p06"),
        code="p06",
        variables={
            "package_path": str(package_zip("robust-api")),
            "partners_base_url": f"http://127.0.0.1:{legacy_server}/v2",
        },
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict:
    return stack.outputs["robust_api"]


def call(stack: Stack, method: str, path: str, body: str | None = None, signed: bool = True):
    return http_api_call(stack, outputs(stack)["api_id"], method, path, body, signed)


def test_the_orders_routes_reach_the_function(stack):
    created = call(stack, "POST", "orders", json.dumps({"item": "lamp", "quantity": 2}))
    assert created.status == 201, created.text
    assert {k.lower(): v for k, v in created.headers.items()}["x-backend"] == "orders-function"
    order = created.json()
    assert call(stack, "GET", f"orders/{order['id']}").json() == order


def test_the_partners_routes_reach_the_http_backend_with_path_query_and_method(stack):
    answer = call(stack, "PUT", "partners/acme/contracts/7?draft=1", json.dumps({"x": 1}))
    assert answer.status == 200
    echoed = answer.json()
    assert (echoed["method"], echoed["path"], json.loads(echoed["body"])) == (
        "PUT",
        "/v2/acme/contracts/7?draft=1",
        {"x": 1},
    )


def test_the_events_route_reaches_sqs_with_no_function_on_the_path(stack):
    event = {"type": "order.shipped", "orderId": "o-1"}
    answer = call(stack, "POST", "events", json.dumps(event))
    assert answer.status == 200, answer.text
    sqs, deadline, received = stack.client("sqs"), time.monotonic() + 10, []
    while not received and time.monotonic() < deadline:
        received = sqs.receive_message(QueueUrl=outputs(stack)["events_queue_url"], WaitTimeSeconds=1).get(
            "Messages", []
        )
    assert [json.loads(m["Body"]) for m in received] == [event]


@pytest.mark.failure_mode
def test_an_unknown_route_is_the_gateways_404_and_reaches_no_backend(stack):
    for method, path in (("GET", "invoices/1"), ("DELETE", "orders/1"), ("GET", "events")):
        answer = call(stack, method, path)
        assert (answer.status, answer.json()) == (404, {"message": "Not Found"}), (method, path)


@pytest.mark.failure_mode
def test_an_unsigned_request_is_refused_before_any_backend(stack):
    assert call(stack, "POST", "events", json.dumps({"type": "x"}), signed=False).status == 403
    assert call(stack, "GET", "partners/acme", signed=False).status == 403


@pytest.mark.failure_mode
def test_bad_input_is_refused_by_its_backend_with_the_reason(stack):
    answer = call(stack, "POST", "orders", json.dumps({"item": "", "quantity": 1}))
    assert (answer.status, answer.json()) == (400, {"message": "item is required: 1-200 characters"})


@pytest.mark.failure_mode
def test_each_role_may_do_only_its_part(stack):
    out = outputs(stack)
    sqs = as_role(stack, out["api_role_name"], "sqs")
    assert authorized(sqs.send_message, QueueUrl=out["events_queue_url"], MessageBody="{}")
    assert not authorized(sqs.receive_message, QueueUrl=out["events_queue_url"])
    assert not authorized(sqs.send_message, QueueUrl=out["events_dlq_url"], MessageBody="{}")
    ddb = as_role(stack, out["role_name"], "dynamodb")
    assert not authorized(ddb.scan, TableName=out["orders_table_name"], Limit=1)


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
