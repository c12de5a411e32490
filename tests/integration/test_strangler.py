"""P07 strangler: migrated routes reach the new service, the rest the legacy application; flipping is one variable."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from harness import Stack, another_table, applied_stack, as_role, authorized, http_api_call, package_zip

pytestmark = pytest.mark.integration

MIGRATED = ["GET /products/{id}", "POST /products"]


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory, legacy_server) -> Iterator[Stack]:
    with applied_stack(
        "strangler",
        local_cloud,
        tmp_path_factory.mktemp("p07"),
        code="p07",
        variables={
            "package_path": str(package_zip("strangler")),
            "migrated_routes": MIGRATED,
            "legacy_base_url": f"http://127.0.0.1:{legacy_server}/shop",
        },
    ) as applied:
        yield applied


def call(stack: Stack, method: str, path: str, body: str | None = None, signed: bool = True):
    return http_api_call(stack, stack.outputs["strangler"]["api_id"], method, path, body, signed)


def served_by(answer) -> str:
    return {k.lower(): v for k, v in answer.headers.items()}.get("x-served-by", "")


def test_a_migrated_route_is_answered_by_the_new_service_and_the_rest_by_the_legacy_application(stack):
    created = call(stack, "POST", "products", json.dumps({"name": "Lamp", "price": 19.9}))
    assert (created.status, served_by(created)) == (201, "products-service"), created.text
    product = created.json()
    fetched = call(stack, "GET", f"products/{product['id']}")
    assert (fetched.status, served_by(fetched), fetched.json()) == (200, "products-service", product)
    listed = call(stack, "GET", "products?page=2")  # not migrated yet
    assert (listed.status, served_by(listed)) == (200, "legacy")
    assert listed.json()["path"] == "/shop/products?page=2"
    assert served_by(call(stack, "GET", "")) == "legacy"


@pytest.mark.failure_mode
def test_flipping_a_route_back_is_a_change_of_that_variable_alone(stack):
    root = stack.root
    root.variables["migrated_routes"] = ["POST /products"]
    try:
        changes = [c for c in root.plan().json["resource_changes"] if c["change"]["actions"] != ["no-op"]]
        assert [(c["address"], c["change"]["actions"]) for c in changes] == [
            ('module.strangler.module.api.aws_apigatewayv2_route.this["GET /products/{id}"]', ["delete"])
        ]
        root.apply()
        answer = call(stack, "GET", "products/anything")
        assert (answer.status, served_by(answer)) == (200, "legacy")
        assert (
            served_by(call(stack, "POST", "products", json.dumps({"name": "Desk", "price": 99}))) == "products-service"
        )
    finally:
        root.variables["migrated_routes"] = MIGRATED
        root.apply()
    assert served_by(call(stack, "GET", "products/anything")) == "products-service"


@pytest.mark.failure_mode
def test_a_route_the_service_does_not_implement_is_refused_at_plan(stack):
    root = stack.root
    root.variables["migrated_routes"] = ["DELETE /products/{id}"]
    try:
        with pytest.raises(Exception, match="may hold only routes the products service implements"):
            root.plan()
    finally:
        root.variables["migrated_routes"] = MIGRATED


@pytest.mark.failure_mode
def test_an_unsigned_request_is_refused_before_either_side(stack):
    assert call(stack, "GET", "products/x", signed=False).status == 403
    assert call(stack, "GET", "products", signed=False).status == 403


@pytest.mark.failure_mode
def test_bad_input_to_the_new_service_is_a_400_with_a_message(stack):
    answer = call(stack, "POST", "products", json.dumps({"name": "", "price": 1}))
    assert (answer.status, answer.json()) == (400, {"message": "name is required: 1-200 characters"})
    assert call(stack, "GET", "products/not-there").status == 404


@pytest.mark.failure_mode
def test_the_service_role_may_only_use_its_table(stack):
    out = stack.outputs["strangler"]
    ddb = as_role(stack, out["role_name"], "dynamodb")
    key, absent = {"id": {"S": "probe"}}, {"ConditionExpression": "attribute_exists(id)"}
    assert authorized(ddb.get_item, TableName=out["table_name"], Key=key)
    with another_table(stack, "id") as other:
        assert not authorized(ddb.get_item, TableName=other, Key=key)
    assert not authorized(ddb.delete_item, TableName=out["table_name"], Key=key, **absent)
    assert not authorized(
        ddb.update_item,
        TableName=out["table_name"],
        Key=key,
        UpdateExpression="SET v = :v",
        ExpressionAttributeValues={":v": {"N": "1"}},
        **absent,
    )


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
