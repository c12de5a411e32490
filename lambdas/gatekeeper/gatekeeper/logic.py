"""API keys and what they grant: plain logic, no AWS calls.

A key is 32 random bytes (43 URL-safe characters); the service stores only its SHA-256, so a leaked
table holds no usable key. A grant names a principal, its tenant, scopes (read, write) and an expiry;
the policy an authorizer returns allows exactly that tenant's routes for those scopes, on every stage
route it covers, because API Gateway caches the policy per key and applies it to the key's next calls.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

SCOPES = {
    "read": (("GET", "tenants/{tenant}/documents"), ("GET", "tenants/{tenant}/documents/*")),
    "write": (("POST", "tenants/{tenant}/documents"),),
}
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
MAX_TTL_DAYS = 365


class Unauthorized(Exception):
    """No usable key: API Gateway answers 401 for the message 'Unauthorized'."""

    def __init__(self, reason: str) -> None:
        super().__init__("Unauthorized")
        self.reason = reason


class InvalidGrant(ValueError):
    """A key request the service refuses (bad tenant, scope or lifetime)."""


@dataclass(frozen=True)
class Grant:
    principal: str
    tenant: str
    scopes: frozenset[str]
    expires_at: int  # epoch seconds
    revoked: bool = False

    def usable_at(self, now: float) -> bool:
        return not self.revoked and now < self.expires_at


def new_key() -> str:
    return secrets.token_urlsafe(32)


def key_id(key: str) -> str:
    """What the table is keyed by: the key's SHA-256 (hex); also how a key is named to revoke it."""
    return hashlib.sha256(key.encode()).hexdigest()


def token_of(event: dict[str, Any]) -> str:
    """The key from a TOKEN authorizer event (Authorization: Bearer <key>) or a REQUEST one (x-api-key)."""
    if event.get("type") == "TOKEN":
        raw = str(event.get("authorizationToken") or "")
    else:
        headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
        raw = str(headers.get("x-api-key") or headers.get("authorization") or "")
    token = raw[len("Bearer ") :] if raw.startswith("Bearer ") else raw
    if not KEY_PATTERN.match(token):
        raise Unauthorized("no key, or not a key's shape")
    return token


def stage_prefix(method_arn: str) -> str:
    """arn:aws:execute-api:region:account:api/stage of the request being authorized."""
    arn, _, rest = method_arn.partition(":execute-api:")
    parts = rest.split("/")
    if not arn.startswith("arn:") or len(parts) < 2:
        raise ValueError(f"not an API Gateway method ARN: {method_arn!r}")
    return f"{arn}:execute-api:{parts[0]}/{parts[1]}"


def policy_for(grant: Grant, method_arn: str) -> dict[str, Any]:
    prefix = stage_prefix(method_arn)
    resources = sorted(
        f"{prefix}/{method}/{path.format(tenant=grant.tenant)}"
        for scope in sorted(grant.scopes)
        for method, path in SCOPES[scope]
    )
    return {
        "Version": "2012-10-17",
        "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": resources}],
    }


def authorizer_answer(grant: Grant, method_arn: str) -> dict[str, Any]:
    return {
        "principalId": grant.principal,
        "policyDocument": policy_for(grant, method_arn),
        "context": {"tenant": grant.tenant, "scopes": " ".join(sorted(grant.scopes))},
    }


def grant_request(request: dict[str, Any], now: float) -> Grant:
    """A grant from an issue request: {principal, tenant, scopes, ttlDays}."""
    principal, tenant = str(request.get("principal") or ""), str(request.get("tenant") or "")
    if not NAME_PATTERN.match(principal) or not NAME_PATTERN.match(tenant):
        raise InvalidGrant("principal and tenant must be 1-63 lowercase letters, digits or hyphens")
    scopes = request.get("scopes")
    if not isinstance(scopes, list) or not scopes or not set(scopes) <= set(SCOPES):
        raise InvalidGrant(f"scopes must be a non-empty list of {sorted(SCOPES)}")
    days = request.get("ttlDays", 30)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_TTL_DAYS:
        raise InvalidGrant(f"ttlDays must be a whole number from 1 to {MAX_TTL_DAYS}")
    return Grant(principal, tenant, frozenset(scopes), int(now) + days * 86400)
