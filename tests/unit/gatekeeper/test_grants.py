"""P02 gatekeeper: keys, grants and the least-privilege policy an authorizer returns (plain logic)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.unit

METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/v1/GET/tenants/acme/documents"


def grant(**overrides):
    from gatekeeper import logic as grants

    values = {"principal": "billing-app", "tenant": "acme", "scopes": frozenset({"read"}), "expires_at": 2_000_000_000}
    return grants.Grant(**{**values, **overrides})


def test_a_read_grant_allows_exactly_its_tenants_read_routes_on_the_stage():
    from gatekeeper import logic as grants

    policy = grants.policy_for(grant(), METHOD_ARN)
    prefix = "arn:aws:execute-api:us-east-1:123456789012:abc123/v1"
    assert policy["Statement"] == [
        {
            "Action": "execute-api:Invoke",
            "Effect": "Allow",
            "Resource": [f"{prefix}/GET/tenants/acme/documents", f"{prefix}/GET/tenants/acme/documents/*"],
        }
    ]


def test_a_write_scope_adds_only_the_post_route():
    from gatekeeper import logic as grants

    resources = grants.policy_for(grant(scopes=frozenset({"read", "write"})), METHOD_ARN)["Statement"][0]["Resource"]
    assert [r.split("/v1/")[1] for r in resources] == [
        "GET/tenants/acme/documents",
        "GET/tenants/acme/documents/*",
        "POST/tenants/acme/documents",
    ]


def test_the_answer_carries_the_principal_and_tenant_for_the_backend():
    from gatekeeper import logic as grants

    answer = grants.authorizer_answer(grant(), METHOD_ARN)
    assert answer["principalId"] == "billing-app"
    assert answer["context"] == {"tenant": "acme", "scopes": "read"}


def test_keys_are_stored_only_as_their_hash():
    from gatekeeper import logic as grants

    key = grants.new_key()
    assert grants.KEY_PATTERN.match(key)
    assert grants.key_id(key) != key and len(grants.key_id(key)) == 64
    assert grants.key_id(key) == grants.key_id(key)


@pytest.mark.parametrize(
    "event",
    [
        {"type": "TOKEN", "authorizationToken": "Bearer " + "a" * 43},
        {"type": "TOKEN", "authorizationToken": "a" * 43},
        {"type": "REQUEST", "headers": {"X-Api-Key": "a" * 43}},
    ],
)
def test_the_key_is_read_from_token_and_request_events(event):
    from gatekeeper import logic as grants

    assert grants.token_of(event) == "a" * 43


@pytest.mark.parametrize(
    "event",
    [
        {"type": "TOKEN", "authorizationToken": ""},
        {"type": "REQUEST", "headers": {}},
        {"type": "TOKEN", "authorizationToken": "Bearer short"},
        {"type": "REQUEST", "headers": None},
    ],
)
def test_a_missing_or_misshapen_key_is_unauthorized(event):
    from gatekeeper import logic as grants

    with pytest.raises(grants.Unauthorized) as refused:
        grants.token_of(event)
    assert str(refused.value) == "Unauthorized"  # the message API Gateway turns into a 401


def test_expired_and_revoked_grants_are_not_usable():
    assert grant().usable_at(1_999_999_999)
    assert not grant().usable_at(2_000_000_000)
    assert not grant(revoked=True).usable_at(0)


@pytest.mark.parametrize(
    ("request_", "reason"),
    [
        ({"principal": "Bad Name", "tenant": "acme", "scopes": ["read"]}, "lowercase"),
        ({"principal": "app", "tenant": "", "scopes": ["read"]}, "lowercase"),
        ({"principal": "app", "tenant": "acme", "scopes": ["admin"]}, "scopes"),
        ({"principal": "app", "tenant": "acme", "scopes": []}, "scopes"),
        ({"principal": "app", "tenant": "acme", "scopes": ["read"], "ttlDays": 0}, "ttlDays"),
        ({"principal": "app", "tenant": "acme", "scopes": ["read"], "ttlDays": 366}, "ttlDays"),
        ({"principal": "app", "tenant": "acme", "scopes": ["read"], "ttlDays": True}, "ttlDays"),
    ],
)
def test_bad_issue_requests_are_refused_with_the_reason(request_, reason):
    from gatekeeper import logic as grants

    with pytest.raises(grants.InvalidGrant, match=reason):
        grants.grant_request(request_, 0)


def test_an_issue_request_expires_after_its_days():
    from gatekeeper import logic as grants

    issued = grants.grant_request({"principal": "app", "tenant": "acme", "scopes": ["read"], "ttlDays": 2}, 1000)
    assert issued.expires_at == 1000 + 2 * 86400 and issued.scopes == frozenset({"read"})
