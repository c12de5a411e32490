"""P01 simple-web-service applied on the local cloud and driven through its deployed functions.

Requests are API Gateway REST proxy events sent to the deployed functions with
Invoke, exactly what API Gateway sends; the HTTP front door comes with issue 3.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import package_zip
from harness import Stack, applied_stack
from sample_events import rest_proxy_event

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack("simple-web-service", local_cloud, tmp_path_factory.mktemp("p01"), code="p01",
                       variables={"package_path": str(package_zip("simple-web-service"))}) as applied:
        yield applied


def invoke(stack: Stack, operation: str, event: dict[str, Any]) -> dict[str, Any]:
    function = stack.outputs["service"]["function_names"][operation]
    response = stack.client("lambda").invoke(FunctionName=function, Payload=json.dumps(event))
    payload = json.loads(response["Payload"].read())
    assert "FunctionError" not in response, f"{operation} raised: {payload}"
    return payload


def body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"]) if response["body"] else None


def item_event(method: str, item_id: str) -> dict[str, Any]:
    return rest_proxy_event(method, "/items/{id}", f"/items/{item_id}", path_parameters={"id": item_id})


def test_create_get_list_delete_round_trip_reaches_the_table(stack):
    table = stack.outputs["service"]["table_name"]
    dynamodb = stack.client("dynamodb")

    created = invoke(stack, "create", rest_proxy_event("POST", "/items", "/items", body='{"name": "lamp"}'))
    assert created["statusCode"] == 201
    item = body(created)
    stored = dynamodb.get_item(TableName=table, Key={"id": {"S": item["id"]}})["Item"]
    assert stored["name"] == {"S": "lamp"}

    got = invoke(stack, "get", item_event("GET", item["id"]))
    assert (got["statusCode"], body(got)) == (200, item)

    listed = invoke(stack, "list", rest_proxy_event("GET", "/items", "/items"))
    assert item in body(listed)["items"]

    deleted = invoke(stack, "delete", item_event("DELETE", item["id"]))
    assert deleted["statusCode"] == 204
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"id": {"S": item["id"]}})


def test_malformed_json_gets_400_with_a_message(stack):
    response = invoke(stack, "create", rest_proxy_event("POST", "/items", "/items", body="{not json"))
    assert response["statusCode"] == 400
    assert "not valid JSON" in body(response)["message"]


def test_unknown_id_gets_404(stack):
    missing = "6f9619ff-8b86-4011-b42d-00c04fc964ff"
    response = invoke(stack, "get", item_event("GET", missing))
    assert response["statusCode"] == 404
    assert missing in body(response)["message"]


def test_each_function_role_allows_only_its_own_table_actions(stack):
    """The reader cannot write: its role grants GetItem and nothing else on the table."""
    iam = stack.client("iam")
    granted = {}
    for operation, role in stack.outputs["service"]["role_names"].items():
        document = iam.get_role_policy(RoleName=role, PolicyName="least-privilege")["PolicyDocument"]
        if isinstance(document, str):
            document = json.loads(document)
        actions = set()
        for statement in document["Statement"]:
            listed = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            actions |= {a for a in listed if a.startswith("dynamodb:")}
        granted[operation] = actions
    assert granted == {
        "create": {"dynamodb:PutItem"},
        "get": {"dynamodb:GetItem"},
        "list": {"dynamodb:Scan"},
        "delete": {"dynamodb:DeleteItem"},
    }


def test_stage_has_throttling_tracing_and_access_logs(stack):
    outputs = stack.outputs["service"]
    stage = stack.client("apigateway").get_stage(restApiId=outputs["api_id"], stageName=outputs["stage_name"])
    assert stage["tracingEnabled"] is True
    assert stage["accessLogSettings"]["destinationArn"].endswith(f"/aws/apigateway/{stack.prefix}/access")
    settings = stage["methodSettings"]["*/*"]
    assert (settings["throttlingRateLimit"], settings["throttlingBurstLimit"]) == (10.0, 20)


def test_handler_logs_reach_the_functions_log_group(stack):
    invoke(stack, "list", rest_proxy_event("GET", "/items", "/items"))
    group = f"/aws/lambda/{stack.outputs['service']['function_names']['list']}"
    events = stack.client("logs").filter_log_events(logGroupName=group)["events"]
    messages = [e["message"] for e in events]
    assert any(m.startswith("REPORT RequestId:") for m in messages), messages[-5:]


def test_second_plan_shows_no_changes(stack):
    assert stack.second_plan_changes() is None
