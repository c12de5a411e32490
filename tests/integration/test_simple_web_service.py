"""P01 simple-web-service applied on the local cloud and driven with real HTTP requests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from harness import (
    HttpAnswer,
    Stack,
    api_url,
    applied_stack,
    as_role,
    authorized,
    http,
    metric_datapoints,
    package_zip,
    signed_http,
)
from sample_events import load

pytestmark = pytest.mark.integration

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "simple-web-service",
        local_cloud,
        tmp_path_factory.mktemp("p01"),
        code="p01",
        variables={"package_path": str(package_zip("simple-web-service"))},
    ) as applied:
        yield applied


def call(stack: Stack, method: str, url: str, body: str | None = None, headers: dict | None = None) -> HttpAnswer:
    """The module's default authorization is AWS_IAM: every request is signed (SigV4, execute-api)."""
    return signed_http(stack.cloud, method, url, body, headers)


def url(stack: Stack, path: str = "") -> str:
    service = stack.outputs["service"]
    return api_url(stack, service["api_id"], service["stage_name"], path)


def create(stack: Stack, name: str) -> dict[str, Any]:
    answer = call(stack, "POST", url(stack, "items"), json.dumps({"name": name}), JSON)
    assert answer.status == 201, answer.body
    return answer.json()


def test_create_get_list_delete_round_trip_reaches_the_table(stack):
    table = stack.outputs["service"]["table_name"]
    dynamodb = stack.client("dynamodb")

    item = create(stack, "lamp")
    stored = dynamodb.get_item(TableName=table, Key={"id": {"S": item["id"]}})["Item"]
    assert stored["name"] == {"S": "lamp"}

    got = call(stack, "GET", url(stack, f"items/{item['id']}"))
    assert (got.status, got.json()) == (200, item)
    assert got.headers["Content-Type"] == "application/json"

    listed = call(stack, "GET", url(stack, "items?limit=100"))
    assert item in listed.json()["items"]

    deleted = call(stack, "DELETE", url(stack, f"items/{item['id']}"))
    assert deleted.status == 204
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"id": {"S": item["id"]}})


@pytest.mark.failure_mode
def test_malformed_json_is_rejected_by_the_gateway_with_400(stack):
    answer = call(stack, "POST", url(stack, "items"), "{not json", JSON)
    assert (answer.status, answer.json()) == (400, {"message": "Invalid request body"})


@pytest.mark.failure_mode
def test_body_outside_the_model_is_rejected_by_the_gateway_with_400(stack):
    answer = call(stack, "POST", url(stack, "items"), json.dumps({"name": "x", "price": 3}), JSON)
    assert (answer.status, answer.json()) == (400, {"message": "Invalid request body"})


@pytest.mark.failure_mode
def test_unknown_id_gets_404_with_a_message(stack):
    missing = "6f9619ff-8b86-4011-b42d-00c04fc964ff"
    answer = call(stack, "GET", url(stack, f"items/{missing}"))
    assert answer.status == 404
    assert missing in answer.json()["message"]


@pytest.mark.failure_mode
def test_id_that_is_not_a_uuid_gets_400_from_the_handler(stack):
    answer = call(stack, "GET", url(stack, "items/not-a-uuid"))
    assert answer.status == 400
    assert "not a valid item id" in answer.json()["message"]


@pytest.mark.failure_mode
def test_an_unsigned_request_is_refused_by_the_gateway_before_any_function_runs(stack):
    """AWS_IAM, the module's default (dev, staging and prod use it): no SigV4 signature, no call."""
    group = f"/aws/lambda/{stack.outputs['service']['function_names']['create']}"
    logs = stack.client("logs")
    before = len(logs.filter_log_events(logGroupName=group)["events"])
    for method, path, body in (("POST", "items", json.dumps({"name": "unsigned"})), ("GET", "items", None)):
        answer = http(method, url(stack, path), body, JSON)
        assert (answer.status, answer.json()) == (403, {"message": "Missing Authentication Token"}), (method, path)
    assert len(logs.filter_log_events(logGroupName=group)["events"]) == before
    table = stack.outputs["service"]["table_name"]
    names = [i["name"]["S"] for i in stack.client("dynamodb").scan(TableName=table)["Items"]]
    assert "unsigned" not in names


def test_unknown_route_gets_the_gateways_403(stack):
    for method, path in (("GET", "nothing"), ("PUT", "items")):
        answer = call(stack, method, url(stack, path))
        assert (answer.status, answer.json()) == (403, {"message": "Missing Authentication Token"}), (method, path)


def test_handler_receives_api_gateways_proxy_event_shape(stack):
    """The proxy event the deployed handler got (read back from its logs) has AWS's fields."""
    item = create(stack, "shape")
    call(stack, "GET", url(stack, f"items/{item['id']}?probe=1"))
    group = f"/aws/lambda/{stack.outputs['service']['function_names']['get']}"
    messages = [e["message"] for e in stack.client("logs").filter_log_events(logGroupName=group)["events"]]
    records = [json.loads(m) for m in messages if m.startswith("{")]
    events = [r["message"] for r in records if isinstance(r.get("message"), dict) and "httpMethod" in r["message"]]
    assert events, "the handler logged no event"
    event = events[-1]
    sample = load("apigw_rest_proxy")
    assert set(event) == set(sample)
    assert set(sample["requestContext"]) <= set(event["requestContext"])
    assert event["pathParameters"] == {"id": item["id"]}
    assert event["queryStringParameters"] == {"probe": "1"}
    assert event["requestContext"]["resourcePath"] == "/items/{id}"


@pytest.mark.failure_mode
def test_stage_throttling_answers_429_past_the_burst(stack):
    """The test stack allows 10 requests per second with a burst of 20 per method: requests sent faster than
    that are answered 429 once the burst is spent, and no more pass than the bucket allows."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    rate, burst, most = 10, 20, 400
    time.sleep(burst / rate)  # earlier tests' tokens are refilled: the bucket is full
    # A body the method's validator refuses: throttling comes first and no function time slows the
    # requests. They go out in rounds until one is throttled, so a loaded machine, slower to send, only
    # needs more rounds to outpace the refill (a fixed count sometimes never ran the bucket dry).
    statuses: list[int] = []
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        while 429 not in statuses and len(statuses) < most:
            statuses += pool.map(
                lambda _: call(stack, "POST", url(stack, "items"), "{not json", JSON).status, range(32)
            )
    elapsed = time.monotonic() - started
    passed, throttled = statuses.count(400), statuses.count(429)
    assert passed + throttled == len(statuses), statuses
    assert throttled >= 1, f"{len(statuses)} requests in {elapsed:.2f} s, none throttled"
    assert passed >= burst, f"the burst of {burst} must pass, {passed} did"
    assert passed <= burst + rate * elapsed + 1, f"{passed} passed in {elapsed:.2f} s"


@pytest.mark.failure_mode
def test_each_function_role_may_make_only_its_own_table_call(stack):
    """Each operation's role, assumed, is refused every table action but its own (the reader cannot write)."""
    table = stack.outputs["service"]["table_name"]
    missing = {"id": {"S": "00000000-0000-4000-8000-000000000000"}}
    absent = {"ConditionExpression": "attribute_exists(id)"}  # authorized calls fail their condition: no effect
    may = {}
    for operation, role in stack.outputs["service"]["role_names"].items():
        dynamodb = as_role(stack, role, "dynamodb")
        calls = {
            "PutItem": (dynamodb.put_item, {"Item": missing, **absent}),
            "GetItem": (dynamodb.get_item, {"Key": missing}),
            "Scan": (dynamodb.scan, {"Limit": 1}),
            "DeleteItem": (dynamodb.delete_item, {"Key": missing, **absent}),
            "UpdateItem": (
                dynamodb.update_item,
                {
                    "Key": missing,
                    "UpdateExpression": "SET x = :x",
                    "ExpressionAttributeValues": {":x": {"S": "x"}},
                    **absent,
                },
            ),
        }
        may[operation] = {
            action for action, (call, params) in calls.items() if authorized(call, TableName=table, **params)
        }
    assert may == {"create": {"PutItem"}, "get": {"GetItem"}, "list": {"Scan"}, "delete": {"DeleteItem"}}


def test_stage_has_throttling_tracing_and_access_logs(stack):
    outputs = stack.outputs["service"]
    stage = stack.client("apigateway").get_stage(restApiId=outputs["api_id"], stageName=outputs["stage_name"])
    assert stage["tracingEnabled"] is True
    assert stage["accessLogSettings"]["destinationArn"].endswith(f"/aws/apigateway/{stack.prefix}/access")
    settings = stage["methodSettings"]["*/*"]
    assert (settings["throttlingRateLimit"], settings["throttlingBurstLimit"]) == (10.0, 20)


def test_the_stages_execution_logs_go_to_a_group_the_module_owns_with_its_retention(stack):
    # API Gateway would create the group itself, never expiring and on no key: the module creates it first.
    outputs = stack.outputs["service"]
    group = f"API-Gateway-Execution-Logs_{outputs['api_id']}/{outputs['stage_name']}"
    found = stack.client("logs").describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert [(g["logGroupName"], g.get("retentionInDays")) for g in found] == [(group, 1)]


def test_stage_access_log_records_each_request_with_its_status_and_latency(stack):
    call(stack, "GET", url(stack, "items/not-a-uuid"))
    call(stack, "GET", url(stack, "nothing"))
    group = f"/aws/apigateway/{stack.prefix}/access"
    lines = [json.loads(e["message"]) for e in stack.client("logs").filter_log_events(logGroupName=group)["events"]]
    handled = [line for line in lines if line["path"] == "/items/{id}" and line["status"] == "400"]
    assert handled, lines[-3:]
    assert handled[-1]["method"] == "GET" and int(handled[-1]["latencyMs"]) >= 0
    assert handled[-1]["requestId"] not in ("", "-")


def test_handler_logs_reach_the_functions_log_group(stack):
    call(stack, "GET", url(stack, "items"))
    group = f"/aws/lambda/{stack.outputs['service']['function_names']['list']}"
    messages = [e["message"] for e in stack.client("logs").filter_log_events(logGroupName=group)["events"]]
    assert any(m.startswith("REPORT RequestId:") for m in messages), messages[-5:]


def test_created_items_are_counted_in_the_services_cloudwatch_metrics(stack):
    """Powertools Metrics (EMF) in the handler, the service name from the module's environment."""

    def created() -> float:
        return sum(
            metric_datapoints(
                stack.client("cloudwatch"), "ServerlessPatterns", "ItemsCreated", {"service": stack.prefix}
            )
        )

    before = created()
    for name in ("counted-1", "counted-2"):
        create(stack, name)
    assert created() - before == 2


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
