"""P03 internal API: a function calls the service directly and gets its answer, or a structured error."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from harness import (
    Stack,
    another_table,
    applied_stack,
    as_role,
    authorized,
    client_as_role,
    package_zip,
    role_in_account,
)

pytestmark = pytest.mark.integration

PARTNER, STRANGER = "210987654321", "333333333333"


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    for account in (PARTNER, STRANGER):
        role_in_account(local_cloud, account, "p03-checkout", "lambda:InvokeFunction")
    with applied_stack(
        "internal-api",
        local_cloud,
        tmp_path_factory.mktemp("p03"),
        code="p03",
        variables={"package_path": str(package_zip("internal-api"))},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict:
    return stack.outputs["internal_api"]


def stock(stack: Stack, sku: str, available: int) -> None:
    stack.client("dynamodb").put_item(
        TableName=outputs(stack)["table_name"], Item={"pk": {"S": f"SKU#{sku}"}, "available": {"N": str(available)}}
    )


def available(stack: Stack, sku: str) -> int:
    item = stack.client("dynamodb").get_item(
        TableName=outputs(stack)["table_name"], ConsistentRead=True, Key={"pk": {"S": f"SKU#{sku}"}}
    )["Item"]
    return int(item["available"]["N"])


def checkout(stack: Stack, order: dict) -> dict:
    """The caller function, invoked as a test would; it must never crash, whatever the service does."""
    answer = stack.client("lambda").invoke(
        FunctionName=stack.outputs["checkout_function_name"], Payload=json.dumps(order)
    )
    assert answer.get("FunctionError") is None, answer["Payload"].read()
    return json.loads(answer["Payload"].read())


def test_a_caller_function_gets_the_services_answer(stack):
    stock(stack, "widget", 10)
    answer = checkout(stack, {"orderId": "o-1", "sku": "widget", "quantity": 3})
    assert answer == {
        "status": "reserved",
        "orderId": "o-1",
        "reservation": {"reservationId": "o-1", "sku": "widget", "quantity": 3, "available": 7},
    }
    assert checkout(stack, {"orderId": "o-1", "sku": "widget", "quantity": 3}) == answer, "a retry reserves once"
    assert available(stack, "widget") == 7


@pytest.mark.failure_mode
def test_too_little_stock_reaches_the_caller_as_a_structured_error(stack):
    stock(stack, "gizmo", 1)
    assert checkout(stack, {"orderId": "o-2", "sku": "gizmo", "quantity": 2}) == {
        "status": "failed",
        "orderId": "o-2",
        "error": {"type": "OutOfStock", "message": "gizmo: 1 available, 2 requested", "retryable": False},
    }
    assert available(stack, "gizmo") == 1


@pytest.mark.failure_mode
def test_a_service_failure_reaches_the_caller_as_a_structured_error_not_a_crash(stack):
    """The service's table becomes unreachable (its role denied): the service raises, Lambda answers with a
    function error, and the caller's client turns it into an error the caller handles."""
    stock(stack, "sprocket", 5)
    iam, role = stack.client("iam"), outputs(stack)["role_name"]
    iam.put_role_policy(
        RoleName=role,
        PolicyName="outage",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "dynamodb:*", "Resource": "*"}]}
        ),
    )
    try:
        answer = checkout(stack, {"orderId": "o-3", "sku": "sprocket", "quantity": 1})
    finally:
        iam.delete_role_policy(RoleName=role, PolicyName="outage")
    assert answer["status"] == "failed"
    assert (answer["error"]["type"], answer["error"]["retryable"]) == ("ServiceFailure", True)
    assert "AccessDeniedException" in answer["error"]["message"]
    assert available(stack, "sprocket") == 5
    assert checkout(stack, {"orderId": "o-3", "sku": "sprocket", "quantity": 1})["status"] == "reserved"


@pytest.mark.failure_mode
def test_only_allowed_callers_may_invoke_the_service(stack):
    service = outputs(stack)["function_name"]
    checkout_lambda = as_role(stack, stack.outputs["checkout_role_name"], "lambda")
    assert authorized(checkout_lambda.invoke, FunctionName=service, InvocationType="DryRun")
    assert not authorized(
        checkout_lambda.invoke, FunctionName=stack.outputs["checkout_function_name"], InvocationType="DryRun"
    )
    assert not authorized(
        as_role(stack, stack.outputs["checkout_role_name"], "dynamodb").get_item,
        TableName=outputs(stack)["table_name"],
        Key={"pk": {"S": "SKU#widget"}},
    )
    service_arn = outputs(stack)["function_arn"]
    for account, allowed in ((PARTNER, True), (STRANGER, False)):
        other = client_as_role(
            stack.client("sts"), stack.cloud.endpoint, f"arn:aws:iam::{account}:role/p03-checkout", "lambda"
        )
        assert authorized(other.invoke, FunctionName=service_arn, InvocationType="DryRun") is allowed, account


@pytest.mark.failure_mode
def test_the_service_role_may_use_only_its_own_table(stack):
    ddb = as_role(stack, outputs(stack)["role_name"], "dynamodb")
    table, key = outputs(stack)["table_name"], {"pk": {"S": "SKU#authz-probe"}}
    absent = {"ConditionExpression": "attribute_exists(pk)"}
    assert authorized(ddb.get_item, TableName=table, Key=key)
    assert authorized(ddb.put_item, TableName=table, Item=key, **absent)
    assert not authorized(ddb.delete_item, TableName=table, Key=key, **absent)
    assert not authorized(ddb.scan, TableName=table, Limit=1)
    with another_table(stack, "pk") as other:
        assert not authorized(ddb.get_item, TableName=other, Key=key)
    assert not authorized(
        as_role(stack, outputs(stack)["role_name"], "lambda").invoke,
        FunctionName=stack.outputs["checkout_function_name"],
        InvocationType="DryRun",
    )


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
