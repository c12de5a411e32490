"""P02 gatekeeper, Cognito variant: the pool's ID tokens, the tenant an administrator set on the user."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from harness import Stack, api_url, applied_stack, cognito_tokens, http, package_zip

pytestmark = pytest.mark.integration

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "gatekeeper",
        local_cloud,
        tmp_path_factory.mktemp("p02c"),
        code="p02c",
        variables={"package_path": str(package_zip("gatekeeper")), "identity": "cognito"},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict:
    return stack.outputs["gatekeeper"]


def id_token(stack: Stack, email: str, tenant: str) -> str:
    return cognito_tokens(
        stack,
        outputs(stack)["user_pool_id"],
        outputs(stack)["user_pool_client_id"],
        email,
        attributes={"custom:tenant": tenant},
    )["IdToken"]


def call(stack: Stack, method: str, path: str, token: str | None, body: object | None = None):
    headers = dict(JSON, **({"Authorization": token} if token else {}))
    return http(
        method,
        api_url(stack, outputs(stack)["api_id"], outputs(stack)["stage_name"], path),
        json.dumps(body) if body is not None else None,
        headers,
    )


def test_a_user_reads_and_writes_the_documents_of_the_tenant_an_administrator_gave_them(stack):
    token = id_token(stack, "ada@acme.example", "acme")
    created = call(stack, "POST", "tenants/acme/documents", token, {"title": "roadmap"})
    assert created.status == 201, created.body
    assert created.json()["author"] == "ada@acme.example"
    assert call(stack, "GET", "tenants/acme/documents", token).json()["documents"][0]["title"] == "roadmap"


@pytest.mark.failure_mode
def test_another_tenants_documents_are_refused(stack):
    token = id_token(stack, "eve@globex.example", "globex")
    answer = call(stack, "GET", "tenants/acme/documents", token)
    assert (answer.status, answer.json()) == (403, {"message": "not a member of tenant acme"})


@pytest.mark.failure_mode
def test_missing_and_forged_tokens_are_401(stack):
    assert call(stack, "GET", "tenants/acme/documents", None).status == 401
    forged = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4IiwiY3VzdG9tOnRlbmFudCI6ImFjbWUifQ.c2lnbmF0dXJl"
    assert call(stack, "GET", "tenants/acme/documents", forged).status == 401


@pytest.mark.failure_mode
def test_a_stranger_cannot_sign_up_and_a_user_cannot_choose_their_tenant(stack):
    idp, client_id = stack.client("cognito-idp"), outputs(stack)["user_pool_client_id"]
    with pytest.raises(ClientError) as refused:
        idp.sign_up(ClientId=client_id, Username="mallory@evil.example", Password="Corr3ct-Horse!")
    assert refused.value.response["Error"]["Message"] == "SignUp is not permitted for this user pool"
    email, password = "mallory@globex.example", "Corr3ct-Horse!"
    access = cognito_tokens(
        stack, outputs(stack)["user_pool_id"], client_id, email, password, attributes={"custom:tenant": "globex"}
    )["AccessToken"]
    with pytest.raises(ClientError) as refused:
        idp.update_user_attributes(AccessToken=access, UserAttributes=[{"Name": "custom:tenant", "Value": "acme"}])
    assert refused.value.response["Error"]["Message"] == "A client attempted to write unauthorized attribute"
    # Signed in again, the user's token still names the tenant an administrator gave them.
    fresh = idp.admin_initiate_auth(
        UserPoolId=outputs(stack)["user_pool_id"],
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )["AuthenticationResult"]["IdToken"]
    assert call(stack, "GET", "tenants/acme/documents", fresh).status == 403


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
