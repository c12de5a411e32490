"""P30 regional-api-edge: applied to the local cloud and driven end to end through its distribution."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from harness import (
    Stack,
    api_url,
    applied_stack,
    as_role,
    authorized,
    cognito_tokens,
    http,
    package_zip,
    viewer_request,
)

pytestmark = pytest.mark.integration

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "regional-api-edge",
        local_cloud,
        tmp_path_factory.mktemp("p30"),
        code="p30",
        variables={"package_path": str(package_zip("regional-api-edge"))},
    ) as applied:
        yield applied


@pytest.fixture(scope="module")
def editor(stack) -> dict[str, str]:
    """An invited editor, signed in: the ID token and its subject."""
    outputs = edge(stack)
    tokens = cognito_tokens(
        stack, outputs["user_pool_id"], outputs["user_pool_client_id"], f"{uuid.uuid4().hex[:8]}@example.com"
    )
    idp = stack.client("cognito-idp")
    sub = next(
        a["Value"] for a in idp.get_user(AccessToken=tokens["AccessToken"])["UserAttributes"] if a["Name"] == "sub"
    )
    return {"token": tokens["IdToken"], "sub": sub}


def edge(stack: Stack) -> dict[str, Any]:
    return stack.outputs["regional_api_edge"]  # type: ignore[no-any-return]


def through_edge(stack: Stack, method: str, path: str, body: Any = None, **headers: str) -> Any:
    if body is not None:
        headers["Content-Type"] = "application/json"
    data = json.dumps(body).encode() if body is not None else None
    return viewer_request(stack.cloud, edge(stack)["domain_name"], path, method, headers=headers, body=data)


def invalidate(stack: Stack, path: str) -> None:
    cloudfront, distribution = stack.client("cloudfront"), edge(stack)["distribution_id"]
    made = cloudfront.create_invalidation(
        DistributionId=distribution,
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": [path]}, "CallerReference": uuid.uuid4().hex},
    )["Invalidation"]
    cloudfront.get_waiter("invalidation_completed").wait(
        DistributionId=distribution, Id=made["Id"], WaiterConfig={"Delay": 1, "MaxAttempts": 30}
    )


def test_an_editors_write_reaches_the_api_uncached_with_the_viewers_authorization(stack, editor):
    saved = through_edge(stack, "PUT", "/products/lamp", {"name": "Lamp", "price": 19.9}, Authorization=editor["token"])
    assert saved.status == 200, saved.text
    assert saved.json()["updatedBy"] == editor["sub"]
    assert saved.headers["X-Cache"] == "Miss from cloudfront"
    again = through_edge(stack, "PUT", "/products/lamp", {"name": "Lamp", "price": 21}, Authorization=editor["token"])
    assert (again.status, again.headers["X-Cache"], again.json()["price"]) == (200, "Miss from cloudfront", 21)
    stored = stack.client("dynamodb").get_item(TableName=edge(stack)["table_name"], Key={"id": {"S": "lamp"}})["Item"]
    assert (stored["price"], stored["updatedBy"]) == ({"N": "21"}, {"S": editor["sub"]})


def test_the_public_list_is_kept_at_the_edge_for_the_apis_max_age(stack, editor):
    assert (
        through_edge(
            stack, "PUT", "/products/desk", {"name": "Desk", "price": 250}, Authorization=editor["token"]
        ).status
        == 200
    )
    invalidate(stack, "/products")
    first = through_edge(stack, "GET", "/products")
    assert first.status == 200, first.text
    assert first.headers["X-Cache"] == "Miss from cloudfront"
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert "desk" in [p["id"] for p in first.json()["products"]]
    # A write the list does not show yet: the edge keeps the answer it has until max-age or an invalidation.
    assert (
        through_edge(
            stack, "PUT", "/products/chair", {"name": "Chair", "price": 80}, Authorization=editor["token"]
        ).status
        == 200
    )
    second = through_edge(stack, "GET", "/products")
    assert second.headers["X-Cache"] == "Hit from cloudfront"
    assert second.body == first.body
    # Nothing of the request is in the cache key: a made-up query string is the same hit, not a table scan.
    busted = through_edge(stack, "GET", f"/products?nocache={uuid.uuid4().hex}")
    assert (busted.headers["X-Cache"], busted.body) == ("Hit from cloudfront", first.body)
    assert int(second.headers["Age"]) >= 0
    invalidate(stack, "/products")
    fresh = through_edge(stack, "GET", "/products")
    assert fresh.headers["X-Cache"] == "Miss from cloudfront"
    assert "chair" in [p["id"] for p in fresh.json()["products"]]


def test_every_answer_carries_the_security_headers(stack):
    listed, refused = through_edge(stack, "GET", "/products"), through_edge(stack, "DELETE", "/products/lamp")
    for answer in (listed, refused):
        assert answer.headers["Strict-Transport-Security"] == "max-age=31536000", answer.status
        assert answer.headers["X-Content-Type-Options"] == "nosniff", answer.status
        assert answer.headers["X-Frame-Options"] == "SAMEORIGIN", answer.status


def test_the_distribution_sends_every_path_but_the_list_uncached_to_the_regional_api(stack):
    config = stack.client("cloudfront").get_distribution_config(Id=edge(stack)["distribution_id"])["DistributionConfig"]
    (origin,) = config["Origins"]["Items"]
    assert origin["DomainName"] == f"{edge(stack)['api_id']}.execute-api.us-east-1.amazonaws.com"
    assert origin["OriginPath"] == "/v1"
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert [h["HeaderName"] for h in origin["CustomHeaders"]["Items"]] == ["x-api-key"]
    default = config["DefaultCacheBehavior"]
    assert (default["CachePolicyId"], default["OriginRequestPolicyId"]) == (CACHING_DISABLED, ALL_VIEWER_EXCEPT_HOST)
    assert [b["PathPattern"] for b in config["CacheBehaviors"]["Items"]] == ["/products"]
    # A plain-HTTP client is sent to HTTPS before anything reaches the API.
    plain = viewer_request(stack.cloud, edge(stack)["domain_name"], "/products", https=False)
    assert plain.status == 301
    assert plain.headers["Location"] == f"https://{edge(stack)['domain_name']}/products"


@pytest.mark.failure_mode
def test_a_write_without_an_id_token_is_401_and_changes_nothing(stack):
    refused = through_edge(stack, "PUT", "/products/intruder", {"name": "Intruder", "price": 0})
    assert refused.status == 401, refused.text
    assert refused.json() == {"message": "Unauthorized"}
    forged = through_edge(
        stack, "PUT", "/products/intruder", {"name": "Intruder", "price": 0}, Authorization="not-a-token"
    )
    assert forged.status == 401, forged.text
    item = stack.client("dynamodb").get_item(TableName=edge(stack)["table_name"], Key={"id": {"S": "intruder"}})
    assert "Item" not in item


@pytest.mark.failure_mode
def test_a_request_around_the_edge_is_403_forbidden(stack):
    direct = api_url(stack, edge(stack)["api_id"], edge(stack)["stage_name"], "/products")
    refused = http("GET", direct)
    assert refused.status == 403
    assert refused.json() == {"message": "Forbidden"}
    guessed = http("GET", direct, headers={"x-api-key": uuid.uuid4().hex})
    assert guessed.status == 403
    # A viewer's own x-api-key does not replace the edge's: the origin header wins, the request is served.
    assert through_edge(stack, "GET", "/products", **{"x-api-key": "guess"}).status == 200


def test_each_function_may_make_only_its_own_table_call(stack):
    table, missing = edge(stack)["table_name"], {"id": {"S": f"absent-{uuid.uuid4().hex}"}}
    may = {}
    for operation, role in edge(stack)["role_names"].items():
        dynamodb = as_role(stack, role, "dynamodb")
        calls = {
            "PutItem": (dynamodb.put_item, {"Item": missing, "ConditionExpression": "attribute_exists(id)"}),
            "Scan": (dynamodb.scan, {"Limit": 1}),
            "GetItem": (dynamodb.get_item, {"Key": missing}),
            "DeleteItem": (dynamodb.delete_item, {"Key": missing, "ConditionExpression": "attribute_exists(id)"}),
        }
        may[operation] = {
            action for action, (call, params) in calls.items() if authorized(call, TableName=table, **params)
        }
    assert may == {"list": {"Scan"}, "put": {"PutItem"}}


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
