"""P28 xray-tracer: one order is one trace with a segment or subsegment for each hop (the traced stage,
Lambda, DynamoDB, the stock service over HTTP, SNS with active tracing, the SQS delivery); a failing hop
shows as a fault where it failed, a refusal as an error; the sampling rule and the faults group decide."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest

from harness import Downstream, Reply, Request, Stack, applied_stack, as_role, authorized, http, package_zip
from localcloud.apigateway.urls import local_url

pytestmark = pytest.mark.integration


class StockService(Downstream):
    """The stock service checkout asks: 503 for a broken SKU, 409 for one out of stock, else reserved."""

    def answer(self, request: Request) -> Reply:
        if "sku=BROKEN" in request.path:
            return Reply(503, {"message": "stock database down"})
        if "sku=GONE" in request.path:
            return Reply(409, {"message": "out of stock"})
        return Reply(200, {"reserved": True})


@pytest.fixture(scope="module")
def stock() -> Iterator[StockService]:
    with StockService() as running:
        yield running


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory, stock) -> Iterator[Stack]:
    with applied_stack(
        "xray-tracer",
        local_cloud,
        tmp_path_factory.mktemp("p28"),
        code="p28",
        variables={"package_path": str(package_zip("xray-tracer")), "stock_service_url": f"{stock.url}/items"},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict[str, Any]:
    return stack.outputs["xray_tracer"]  # type: ignore[no-any-return]


def order(stack: Stack, body: dict[str, Any]) -> tuple[int, dict[str, Any], str]:
    """POST /orders from a client that names the trace (Root only: the stage's sampling rule decides)."""
    root = f"1-{int(time.time()):08x}-{os.urandom(12).hex()}"
    url = local_url(stack.cloud.endpoint, outputs(stack)["api_id"], outputs(stack)["stage_name"], "orders")
    answer = http(
        "POST", url, json.dumps(body), {"Content-Type": "application/json", "X-Amzn-Trace-Id": f"Root={root}"}
    )
    return answer.status, answer.json() or {}, root


def segments_of(stack: Stack, root: str, origins: set[str], timeout: float = 20.0) -> list[dict[str, Any]]:
    """The trace's segment documents once a segment of each origin (and the function's own subsegments) arrived."""
    xray = stack.client("xray")
    deadline = time.monotonic() + timeout
    while True:
        traces = xray.batch_get_traces(TraceIds=[root])["Traces"]
        found = [json.loads(s["Document"]) for t in traces for s in t["Segments"]]
        function = [s for s in found if s.get("origin") == "AWS::Lambda::Function"]
        handler_sent = bool(function) and find(function[0], "## checkout") is not None
        if (origins <= {s.get("origin") for s in found} and handler_sent) or time.monotonic() > deadline:
            return found
        time.sleep(0.25)


def find(entity: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The first subsegment of that name (without case: the Python SDK names AWS calls by endpoint prefix)."""
    for sub in entity.get("subsegments") or []:
        if sub["name"].lower() == name.lower():
            return sub
        nested = find(sub, name)
        if nested is not None:
            return nested
    return None


def remote_calls(entity: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for sub in entity.get("subsegments") or []:
        if sub.get("namespace") == "remote":
            found.append(sub)
        found += remote_calls(sub)
    return found


def stock_call(function: dict[str, Any]) -> dict[str, Any]:
    """The stock request's subsegment: the SDK's http.client patch records the request with its answer (and
    the body's read as a method READ of its own)."""
    answered = [
        c for c in remote_calls(function) if c["http"]["request"]["method"] == "GET" and c["http"].get("response")
    ]
    assert len(answered) == 1, remote_calls(function)
    return answered[0]


def by_origin(segments: list[dict[str, Any]], origin: str) -> dict[str, Any]:
    [segment] = [s for s in segments if s.get("origin") == origin]
    return segment


HOPS = {"AWS::ApiGateway::Stage", "AWS::Lambda", "AWS::Lambda::Function", "AWS::SNS::Topic"}


def test_one_order_is_one_trace_with_a_segment_or_subsegment_for_each_hop(stack, stock):
    status, body, root = order(stack, {"sku": "KB-1", "quantity": 2})
    assert status == 201, body
    segments = segments_of(stack, root, HOPS)
    assert HOPS <= {s.get("origin") for s in segments}
    stage = by_origin(segments, "AWS::ApiGateway::Stage")
    assert stage["name"] == outputs(stack)["traced_service"]
    assert stage["aws"]["xray"]["sampling_rule_name"] == outputs(stack)["sampling_rule_name"]
    function = by_origin(segments, "AWS::Lambda::Function")
    handler = find(function, "## checkout")
    assert handler is not None and handler["annotations"]["order_id"] == body["orderId"]
    call = stock_call(function)
    assert (
        call["name"] == "127.0.0.1" and call["http"]["request"]["url"] == "http://127.0.0.1/items"
    )  # as the SDK records it
    assert call["http"]["response"]["status"] == 200
    # The stock service saw the trace continue: its request carried the header naming that subsegment.
    [asked] = [r for r in stock.requests if "sku=KB-1" in r.path]
    assert asked.headers["x-amzn-trace-id"].startswith(f"Root={root};Parent=")
    table_call = find(function, "DynamoDB")
    assert (
        table_call["aws"]["table_name"] == outputs(stack)["table_name"] and table_call["aws"]["operation"] == "PutItem"
    )
    assert find(function, "SNS")["aws"]["operation"] == "Publish"
    topic = by_origin(segments, "AWS::SNS::Topic")
    assert [d["name"] for d in topic["subsegments"]] == ["SQS"]

    services = stack.client("xray").get_trace_graph(TraceIds=[root])["Services"]
    nodes = {(s.get("Name"), s["Type"]) for s in services}
    queue_name = outputs(stack)["queue_url"].rsplit("/", 1)[1]
    assert {
        (None, "client"),
        (outputs(stack)["traced_service"], "AWS::ApiGateway::Stage"),
        (outputs(stack)["function_names"]["checkout"], "AWS::Lambda"),
        (outputs(stack)["function_names"]["checkout"], "AWS::Lambda::Function"),
        (outputs(stack)["table_name"], "AWS::DynamoDB::Table"),
        ("127.0.0.1", "remote"),
        (outputs(stack)["topic_arn"].rsplit(":", 1)[1], "AWS::SNS::Topic"),
        (queue_name, "AWS::SQS::Queue"),
    } <= nodes

    table = stack.client("dynamodb")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        item = table.get_item(TableName=outputs(stack)["table_name"], Key={"id": {"S": body["orderId"]}})["Item"]
        if item["status"]["S"] == "FULFILLED":
            break
        time.sleep(0.25)
    assert item["status"]["S"] == "FULFILLED", "the queue's consumer fulfilled the order"


@pytest.mark.failure_mode
def test_a_failing_stock_service_shows_as_a_fault_on_its_hop_and_in_the_faults_group(stack):
    started = time.time() - 1
    status, body, root = order(stack, {"sku": "BROKEN", "quantity": 1})
    assert status == 502 and body == {"message": "the stock service is unavailable: try again later"}
    segments = segments_of(stack, root, {"AWS::ApiGateway::Stage", "AWS::Lambda::Function"})
    call = stock_call(by_origin(segments, "AWS::Lambda::Function"))
    assert call["fault"] is True and call["http"]["response"]["status"] == 503
    stage = by_origin(segments, "AWS::ApiGateway::Stage")
    assert stage.get("fault") is True and stage["http"]["response"]["status"] == 502
    assert "AWS::SNS::Topic" not in {s.get("origin") for s in segments}, "a failed order is not published"
    stored = stack.client("dynamodb").scan(TableName=outputs(stack)["table_name"])["Items"]
    assert "BROKEN" not in {item["sku"]["S"] for item in stored}, "a failed order is not stored"

    xray = stack.client("xray")
    group = xray.get_group(GroupName=outputs(stack)["trace_group_name"])["Group"]
    summaries = xray.get_trace_summaries(
        StartTime=started, EndTime=time.time() + 1, FilterExpression=group["FilterExpression"]
    )["TraceSummaries"]
    assert root in {s["Id"] for s in summaries}
    [mine] = [s for s in summaries if s["Id"] == root]
    assert mine["HasFault"] is True and mine["Http"]["HttpStatus"] == 502
    graph = xray.get_service_graph(
        StartTime=started, EndTime=time.time() + 1, GroupName=outputs(stack)["trace_group_name"]
    )["Services"]
    [remote] = [s for s in graph if s["Type"] == "remote"]
    assert remote["SummaryStatistics"]["FaultStatistics"]["TotalCount"] >= 1


def test_an_order_out_of_stock_is_an_error_on_its_hop_not_a_fault(stack):
    status, body, root = order(stack, {"sku": "GONE", "quantity": 1})
    assert status == 409, body
    segments = segments_of(stack, root, {"AWS::ApiGateway::Stage", "AWS::Lambda::Function"})
    call = stock_call(by_origin(segments, "AWS::Lambda::Function"))
    assert call.get("error") is True and not call.get("fault")
    stage = by_origin(segments, "AWS::ApiGateway::Stage")
    assert stage.get("error") is True and not stage.get("fault")


def test_the_sampling_rule_traces_the_apis_requests_as_configured(stack):
    xray = stack.client("xray")
    rules = {r["SamplingRule"]["RuleName"]: r["SamplingRule"] for r in xray.get_sampling_rules()["SamplingRuleRecords"]}
    rule = rules[outputs(stack)["sampling_rule_name"]]
    assert (rule["ServiceName"], rule["ServiceType"], rule["FixedRate"]) == (
        outputs(stack)["traced_service"],
        "AWS::ApiGateway::Stage",
        1.0,
    )
    status, _, root = order(stack, {"sku": "KB-2", "quantity": 1})
    assert status == 201
    assert by_origin(segments_of(stack, root, HOPS), "AWS::ApiGateway::Stage")


def test_each_function_role_may_make_only_its_own_calls(stack):
    table, topic = outputs(stack)["table_name"], outputs(stack)["topic_arn"]
    missing = {"id": {"S": "no-such-order"}}
    absent = {"ConditionExpression": "attribute_exists(id)"}
    may = {}
    for function, role in outputs(stack)["role_names"].items():
        dynamodb, sns = as_role(stack, role, "dynamodb"), as_role(stack, role, "sns")
        calls = {
            "PutItem": (dynamodb.put_item, {"TableName": table, "Item": missing, **absent}),
            "UpdateItem": (dynamodb.update_item, {"TableName": table, "Key": missing, "UpdateExpression": "SET x = :x",
                                                   "ExpressionAttributeValues": {":x": {"S": "x"}}, **absent}),
            "DeleteItem": (dynamodb.delete_item, {"TableName": table, "Key": missing, **absent}),
            "GetItem": (dynamodb.get_item, {"TableName": table, "Key": missing}),
            "Publish": (sns.publish, {"TopicArn": topic, "Message": json.dumps({"orderId": "probe"})}),
        }  # fmt: skip
        may[function] = {action for action, (call, params) in calls.items() if authorized(call, **params)}
    assert may == {"checkout": {"PutItem", "DeleteItem", "Publish"}, "fulfil": {"UpdateItem"}}


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
