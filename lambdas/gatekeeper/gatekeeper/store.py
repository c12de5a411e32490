"""The key table (owned by the authorization service) and the documents table (owned by the API)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

from . import settings
from .logic import Grant


@lru_cache(maxsize=1)
def _dynamodb() -> Any:
    return boto3.client("dynamodb")


class UnknownKey(LookupError):
    """No key with that id."""


def grant_of(key_id: str) -> Grant | None:
    item = (
        _dynamodb()
        .get_item(TableName=settings.keys_table(), Key={"keyId": {"S": key_id}}, ConsistentRead=True)
        .get("Item")
    )
    if item is None:
        return None
    return Grant(
        principal=item["principal"]["S"],
        tenant=item["tenant"]["S"],
        scopes=frozenset(item["scopes"]["SS"]),
        expires_at=int(item["expiresAt"]["N"]),
        revoked=item.get("revoked", {}).get("BOOL", False),
    )


def save_grant(key_id: str, grant: Grant) -> None:
    _dynamodb().put_item(
        TableName=settings.keys_table(),
        ConditionExpression="attribute_not_exists(keyId)",
        Item={
            "keyId": {"S": key_id},
            "principal": {"S": grant.principal},
            "tenant": {"S": grant.tenant},
            "scopes": {"SS": sorted(grant.scopes)},
            "expiresAt": {"N": str(grant.expires_at)},
            "revoked": {"BOOL": False},
            "issuedAt": {"S": datetime.now(UTC).isoformat(timespec="seconds")},
        },
    )


def revoke(key_id: str) -> None:
    try:
        _dynamodb().update_item(
            TableName=settings.keys_table(),
            Key={"keyId": {"S": key_id}},
            UpdateExpression="SET revoked = :yes",
            ConditionExpression="attribute_exists(keyId)",
            ExpressionAttributeValues={":yes": {"BOOL": True}},
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            raise UnknownKey(key_id) from error
        raise


def add_document(tenant: str, title: str, body: str, author: str) -> dict[str, str]:
    document = {
        "tenant": tenant,
        "id": str(uuid.uuid4()),
        "title": title,
        "body": body,
        "author": author,
        "createdAt": datetime.now(UTC).isoformat(timespec="milliseconds"),
    }
    _dynamodb().put_item(
        TableName=settings.documents_table(),
        Item={k: {"S": v} for k, v in document.items()},
        ConditionExpression="attribute_not_exists(id)",
    )
    return document


def _plain(item: dict[str, Any]) -> dict[str, str]:
    return {k: v["S"] for k, v in item.items()}


def document(tenant: str, document_id: str) -> dict[str, str] | None:
    item = (
        _dynamodb()
        .get_item(TableName=settings.documents_table(), Key={"tenant": {"S": tenant}, "id": {"S": document_id}})
        .get("Item")
    )
    return _plain(item) if item else None


def documents(tenant: str, limit: int = 100) -> list[dict[str, str]]:
    items = _dynamodb().query(
        TableName=settings.documents_table(),
        KeyConditionExpression="tenant = :t",
        ExpressionAttributeValues={":t": {"S": tenant}},
        Limit=limit,
    )["Items"]
    return [_plain(item) for item in items]
