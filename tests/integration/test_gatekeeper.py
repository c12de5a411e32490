"""P02 gatekeeper: API keys the service owns, a Lambda authorizer returning a policy for the key's tenant."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from harness import Stack, api_url, applied_stack, as_role, authorized, http, metric_datapoints, package_zip

pytestmark = pytest.mark.integration

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "gatekeeper",
        local_cloud,
        tmp_path_factory.mktemp("p02"),
        code="p02",
        variables={"package_path": str(package_zip("gatekeeper"))},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict:
    return stack.outputs["gatekeeper"]


def issue(stack: Stack, tenant: str, *scopes: str, principal: str = "billing-app") -> dict:
    answer = stack.client("lambda").invoke(
        FunctionName=outputs(stack)["key_admin_function_name"],
        Payload=json.dumps({"action": "issue", "principal": principal, "tenant": tenant, "scopes": list(scopes)}),
    )
    issued = json.loads(answer["Payload"].read())
    assert issued["ok"], issued
    return issued


def call(
    stack: Stack,
    method: str,
    path: str,
    key: str | None = None,
    body: object | None = None,
    authorization: str | None = None,
):
    headers = dict(JSON)
    if authorization is not None or key is not None:
        headers["Authorization"] = authorization if authorization is not None else f"Bearer {key}"
    return http(
        method,
        api_url(stack, outputs(stack)["api_id"], outputs(stack)["stage_name"], path),
        json.dumps(body) if body is not None else None,
        headers,
    )


def service_invocations(stack: Stack) -> float:
    return sum(
        metric_datapoints(
            stack.client("cloudwatch"),
            "AWS/Lambda",
            "Invocations",
            {"FunctionName": outputs(stack)["service_function_name"]},
        )
    )


def authorizer_decisions(stack: Stack, principal: str) -> int:
    events = stack.client("logs").filter_log_events(
        logGroupName=f"/aws/lambda/{outputs(stack)['authorizer_function_name']}", filterPattern=f'"{principal}"'
    )
    return len([e for e in events["events"] if '"authorized"' in e["message"]])


def test_a_key_reads_and_writes_its_own_tenants_documents(stack):
    key = issue(stack, "acme", "read", "write")["key"]
    created = call(stack, "POST", "tenants/acme/documents", key, {"title": "Q3 plan", "body": "grow"})
    assert created.status == 201, created.body
    document = created.json()
    assert (document["tenant"], document["author"]) == ("acme", "billing-app")
    listed = call(stack, "GET", "tenants/acme/documents", key)
    assert listed.status == 200 and document["id"] in [d["id"] for d in listed.json()["documents"]]
    fetched = call(stack, "GET", f"tenants/acme/documents/{document['id']}", key)
    assert (fetched.status, fetched.json()["title"]) == (200, "Q3 plan")


@pytest.mark.failure_mode
def test_a_key_is_refused_another_tenants_documents_by_the_gateway_without_reaching_the_service(stack):
    key = issue(stack, "acme", "read", "write")["key"]
    assert call(stack, "GET", "tenants/acme/documents", key).status == 200
    before = service_invocations(stack)
    for method, path in (
        ("GET", "tenants/globex/documents"),
        ("GET", "tenants/globex/documents/x"),
        ("POST", "tenants/globex/documents"),
    ):
        answer = call(stack, method, path, key, {"title": "x"} if method == "POST" else None)
        assert answer.status == 403, (method, path, answer.body)
        assert answer.json() == {"Message": "User is not authorized to access this resource"}
    assert service_invocations(stack) == before


@pytest.mark.failure_mode
def test_a_document_outside_the_model_is_rejected_by_the_gateway(stack):
    key = issue(stack, "acme", "read", "write")["key"]
    for body in ({}, {"title": ""}, {"title": "ok", "owner": "someone-else"}):
        answer = call(stack, "POST", "tenants/acme/documents", key, body)
        assert (answer.status, answer.json()) == (400, {"message": "Invalid request body"}), body


@pytest.mark.failure_mode
def test_a_read_only_key_may_not_write(stack):
    key = issue(stack, "acme", "read")["key"]
    assert call(stack, "GET", "tenants/acme/documents", key).status == 200
    assert call(stack, "POST", "tenants/acme/documents", key, {"title": "nope"}).status == 403


@pytest.mark.failure_mode
def test_missing_malformed_unknown_revoked_and_expired_keys_are_401_and_never_reach_the_service(stack):
    from gatekeeper import logic as grants

    revoked = issue(stack, "acme", "read")
    stack.client("lambda").invoke(
        FunctionName=outputs(stack)["key_admin_function_name"],
        Payload=json.dumps({"action": "revoke", "keyId": revoked["keyId"]}),
    )
    expired = grants.new_key()
    stack.client("dynamodb").put_item(
        TableName=outputs(stack)["keys_table_name"],
        Item={
            "keyId": {"S": grants.key_id(expired)},
            "principal": {"S": "old-app"},
            "tenant": {"S": "acme"},
            "scopes": {"SS": ["read"]},
            "expiresAt": {"N": str(int(time.time()) - 60)},
            "revoked": {"BOOL": False},
        },
    )
    before = service_invocations(stack)
    for authorization in (
        None,
        "Bearer short",
        "Basic dXNlcjpwYXNz",
        f"Bearer {grants.new_key()}",
        f"Bearer {revoked['key']}",
        f"Bearer {expired}",
    ):
        answer = call(stack, "GET", "tenants/acme/documents", authorization=authorization)
        assert (answer.status, answer.json()) == (401, {"message": "Unauthorized"}), authorization
    assert service_invocations(stack) == before


def test_the_decision_is_cached_so_a_keys_second_call_does_not_invoke_the_authorizer(stack):
    principal = f"cache-probe-{int(time.time())}"
    key = issue(stack, "acme", "read", principal=principal)["key"]
    assert call(stack, "GET", "tenants/acme/documents", key).status == 200
    assert call(stack, "GET", "tenants/acme/documents/missing", key).status == 404  # another route, same policy
    assert call(stack, "GET", "tenants/acme/documents", key).status == 200
    assert authorizer_decisions(stack, principal) == 1


@pytest.mark.failure_mode
def test_roles_are_least_privilege(stack):
    out = outputs(stack)
    authorizer = as_role(stack, out["authorizer_role_name"], "dynamodb")
    key = {"keyId": {"S": "probe"}}
    assert authorized(authorizer.get_item, TableName=out["keys_table_name"], Key=key)
    assert not authorized(authorizer.put_item, TableName=out["keys_table_name"], Item=key)
    assert not authorized(
        authorizer.get_item, TableName=out["documents_table_name"], Key={"tenant": {"S": "acme"}, "id": {"S": "x"}}
    )
    service = as_role(stack, out["service_role_name"], "dynamodb")
    assert not authorized(service.get_item, TableName=out["keys_table_name"], Key=key)
    assert not authorized(service.scan, TableName=out["documents_table_name"], Limit=1)
    # The key admin issues and revokes keys; it never reads a key's hash back, nor any tenant's documents.
    config = stack.client("lambda").get_function_configuration(FunctionName=out["key_admin_function_name"])
    admin = as_role(stack, config["Role"].rsplit("/", 1)[1], "dynamodb")
    exists = {"ConditionExpression": "attribute_exists(keyId)"}
    assert authorized(admin.put_item, TableName=out["keys_table_name"], Item=key, **exists)
    assert not authorized(admin.get_item, TableName=out["keys_table_name"], Key=key)
    assert not authorized(admin.delete_item, TableName=out["keys_table_name"], Key=key)
    assert not authorized(admin.scan, TableName=out["keys_table_name"], Limit=1)
    assert not authorized(admin.scan, TableName=out["documents_table_name"], Limit=1)


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
