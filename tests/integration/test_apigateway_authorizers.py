"""REST API authorizers on the local front door: Lambda TOKEN and REQUEST (allow, deny, cached), Cognito."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness import STACKS, Stack, api_url, applied_stack, cognito_tokens, http
from tooling.build import write_zip

pytestmark = pytest.mark.integration

FIXTURE = STACKS / "apigw-authorizers"


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    work = tmp_path_factory.mktemp("authorizers")
    write_zip(work / "fixture.zip", [FIXTURE / "src"], FIXTURE / "src")
    with applied_stack(
        "apigw-authorizers", local_cloud, work, code="au", variables={"package_path": str(work / "fixture.zip")}
    ) as s:
        yield s


def get(stack: Stack, path: str, **headers: str):
    return http("GET", api_url(stack, stack.outputs["api_id"], "test", path), headers=headers)


def authorizer_calls(stack: Stack, function: str, marker: str) -> int:
    group = f"/aws/lambda/{stack.outputs[function]}"
    events = stack.client("logs").filter_log_events(logGroupName=group)["events"]
    return len([e for e in events if e["message"].startswith("authorizing") and marker in e["message"]])


def test_token_authorizer_allows_and_passes_its_context_to_the_integration(stack):
    answer = get(stack, "me", Authorization="allow-ada")
    assert (answer.status, answer.json()) == (200, {"principal": "ada", "user": "ada", "tier": "gold"})


def test_token_authorizer_context_reaches_a_lambda_proxy_integration(stack):
    answer = get(stack, "proxied", Authorization="allow-bob")
    assert answer.status == 200, answer.body
    authorizer = answer.json()["authorizer"]
    assert (authorizer["principalId"], authorizer["user"], authorizer["tier"]) == ("bob", "bob", "gold")


def test_explicit_deny_is_403_with_api_gateways_message(stack):
    answer = get(stack, "me", Authorization="deny")
    assert (answer.status, answer.json()) == (
        403,
        {"Message": "User is not authorized to access this resource with an explicit deny"},
    )


def test_policy_that_does_not_name_the_resource_is_403(stack):
    answer = get(stack, "admin", Authorization="allow-eve")
    assert (answer.status, answer.json()) == (403, {"Message": "User is not authorized to access this resource"})


def test_missing_or_rejected_token_is_401_without_reaching_the_backend(stack):
    assert (get(stack, "me").status, get(stack, "me").json()) == (401, {"message": "Unauthorized"})
    rejected = get(stack, "me", Authorization="stranger")
    assert (rejected.status, rejected.json()) == (401, {"message": "Unauthorized"})
    invalid = get(stack, "me", Authorization="Not A Valid Token!")
    assert invalid.status == 401, "the identity validation expression rejects it before the Lambda"
    assert authorizer_calls(stack, "token_function", "Not A Valid Token") == 0


def test_authorizer_returning_no_policy_is_a_500(stack):
    assert get(stack, "me", Authorization="broken").status == 500


def test_token_decision_is_cached_per_token_and_the_cached_policy_still_applies(stack):
    first = get(stack, "me", Authorization="allow-cache")
    second = get(stack, "me", Authorization="allow-cache")
    elsewhere = get(stack, "admin", Authorization="allow-cache")
    assert (first.status, second.status, elsewhere.status) == (200, 200, 403)
    assert authorizer_calls(stack, "token_function", "allow-cache") == 1, "the TTL is 300 s: one call"


def test_request_authorizer_reads_header_and_query_and_is_not_cached_with_ttl_zero(stack):
    for _ in range(2):
        answer = get(stack, "tenant?tenant=acme", **{"X-Client": "trusted"})
        assert (answer.status, answer.json()) == (200, {"tenant": "acme", "principal": "tenant-acme"})
    assert authorizer_calls(stack, "request_function", "acme") == 2
    assert get(stack, "tenant?tenant=acme", **{"X-Client": "shady"}).status == 401
    assert get(stack, "tenant", **{"X-Client": "trusted"}).status == 401, "a missing identity source is 401"


def test_cognito_authorizer_accepts_the_pools_id_token_and_exposes_its_claims(stack):
    tokens = cognito_tokens(stack, stack.outputs["user_pool_id"], stack.outputs["client_id"], "ada@example.com")
    id_token = tokens["IdToken"]
    answer = get(stack, "profile", Authorization=id_token)
    assert answer.status == 200, answer.body
    assert answer.json()["email"] == "ada@example.com"
    assert get(stack, "profile", Authorization=f"Bearer {id_token}").status == 200


def test_cognito_authorizer_refuses_forged_missing_and_access_tokens(stack):
    assert get(stack, "profile").status == 401
    header, payload, signature = "eyJhbGciOiJSUzI1NiJ9", "eyJzdWIiOiJ4In0", "c2lnbmF0dXJl"
    assert get(stack, "profile", Authorization=f"{header}.{payload}.{signature}").status == 401
    tokens = cognito_tokens(stack, stack.outputs["user_pool_id"], stack.outputs["client_id"], "bob@example.com")
    access = tokens["AccessToken"]
    assert get(stack, "profile", Authorization=access).status == 401, "no OAuth scopes: only ID tokens pass"


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
