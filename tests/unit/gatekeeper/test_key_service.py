"""P02 gatekeeper: issuing, authorizing and revoking keys against the key table (moto in-process)."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context

pytestmark = pytest.mark.unit

KEYS = "p02-keys"
METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/v1/GET/tenants/acme/documents"


@pytest.fixture
def service(aws_credentials, monkeypatch):
    monkeypatch.setenv("KEYS_TABLE", KEYS)
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName=KEYS,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "keyId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "keyId", "AttributeType": "S"}],
        )
        from gatekeeper import handler

        cold_start("gatekeeper")
        yield handler
        cold_start("gatekeeper")


def token_event(key: str) -> dict:
    return {"type": "TOKEN", "authorizationToken": f"Bearer {key}", "methodArn": METHOD_ARN}


def test_an_issued_key_authorizes_its_tenant_and_the_table_never_holds_it(service):
    handler = service
    issued = handler.administer_keys(
        {"action": "issue", "principal": "app", "tenant": "acme", "scopes": ["read"]}, lambda_context("p02-keys")
    )
    assert issued["ok"] and issued["keyId"] != issued["key"]
    answer = handler.authorize(token_event(issued["key"]), lambda_context("p02-authorizer"))
    assert answer["principalId"] == "app" and answer["context"]["tenant"] == "acme"
    stored = boto3.client("dynamodb").scan(TableName=KEYS)["Items"]
    assert issued["key"] not in str(stored)


def test_unknown_revoked_and_expired_keys_are_unauthorized(service, monkeypatch):
    handler = service
    from gatekeeper import logic as grants

    with pytest.raises(grants.Unauthorized):
        handler.authorize(token_event(grants.new_key()), lambda_context("p02-authorizer"))
    issued = handler.administer_keys(
        {"action": "issue", "principal": "app", "tenant": "acme", "scopes": ["read"]}, lambda_context("p02-keys")
    )
    assert handler.administer_keys({"action": "revoke", "keyId": issued["keyId"]}, lambda_context("p02-keys"))[
        "revoked"
    ]
    with pytest.raises(grants.Unauthorized):
        handler.authorize(token_event(issued["key"]), lambda_context("p02-authorizer"))
    fresh = handler.administer_keys(
        {"action": "issue", "principal": "app", "tenant": "acme", "scopes": ["read"], "ttlDays": 1},
        lambda_context("p02-keys"),
    )
    with pytest.raises(grants.Unauthorized) as refused:
        handler.decide(token_event(fresh["key"]), 10**10)
    assert refused.value.reason == "expired key"


def test_bad_requests_and_unknown_keys_get_a_structured_answer(service):
    handler = service
    assert (
        handler.administer_keys({"action": "issue", "tenant": "acme"}, lambda_context("p02-keys"))["error"]
        == "InvalidRequest"
    )
    assert (
        handler.administer_keys({"action": "revoke", "keyId": "nope"}, lambda_context("p02-keys"))["error"]
        == "UnknownKey"
    )
    assert handler.administer_keys({"action": "delete"}, lambda_context("p02-keys"))["error"] == "InvalidRequest"
