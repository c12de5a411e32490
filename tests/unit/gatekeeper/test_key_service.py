"""P02 gatekeeper: issuing, authorizing and revoking keys against the key table (moto in-process)."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from sample_events import lambda_context

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
        from gatekeeper import authorizer, keys, settings, store

        settings.keys_table.cache_clear()
        store._dynamodb.cache_clear()
        yield keys, authorizer
        store._dynamodb.cache_clear()
        settings.keys_table.cache_clear()


def token_event(key: str) -> dict:
    return {"type": "TOKEN", "authorizationToken": f"Bearer {key}", "methodArn": METHOD_ARN}


def test_an_issued_key_authorizes_its_tenant_and_the_table_never_holds_it(service):
    keys, authorizer = service
    issued = keys.handler(
        {"action": "issue", "principal": "app", "tenant": "acme", "scopes": ["read"]}, lambda_context("p02-keys")
    )
    assert issued["ok"] and issued["keyId"] != issued["key"]
    answer = authorizer.handler(token_event(issued["key"]), lambda_context("p02-authorizer"))
    assert answer["principalId"] == "app" and answer["context"]["tenant"] == "acme"
    stored = boto3.client("dynamodb").scan(TableName=KEYS)["Items"]
    assert issued["key"] not in str(stored)


def test_unknown_revoked_and_expired_keys_are_unauthorized(service, monkeypatch):
    keys, authorizer = service
    from gatekeeper import grants

    with pytest.raises(grants.Unauthorized):
        authorizer.handler(token_event(grants.new_key()), lambda_context("p02-authorizer"))
    issued = keys.handler(
        {"action": "issue", "principal": "app", "tenant": "acme", "scopes": ["read"]}, lambda_context("p02-keys")
    )
    assert keys.handler({"action": "revoke", "keyId": issued["keyId"]}, lambda_context("p02-keys"))["revoked"]
    with pytest.raises(grants.Unauthorized):
        authorizer.handler(token_event(issued["key"]), lambda_context("p02-authorizer"))
    fresh = keys.handler(
        {"action": "issue", "principal": "app", "tenant": "acme", "scopes": ["read"], "ttlDays": 1},
        lambda_context("p02-keys"),
    )
    with pytest.raises(grants.Unauthorized) as refused:
        authorizer.decide(token_event(fresh["key"]), 10**10)
    assert refused.value.reason == "expired key"


def test_bad_requests_and_unknown_keys_get_a_structured_answer(service):
    keys, _ = service
    assert keys.handler({"action": "issue", "tenant": "acme"}, lambda_context("p02-keys"))["error"] == "InvalidRequest"
    assert keys.handler({"action": "revoke", "keyId": "nope"}, lambda_context("p02-keys"))["error"] == "UnknownKey"
    assert keys.handler({"action": "delete"}, lambda_context("p02-keys"))["error"] == "InvalidRequest"
