"""REST API authorizers: Lambda TOKEN and REQUEST authorizers, Cognito user pools.

A Lambda authorizer's answer (principal, IAM policy, context) is cached per
identity source for the authorizer's TTL, and the cached policy is evaluated
against each request's method ARN, as API Gateway does; so a policy that names
one resource denies the others until the cache expires.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from moto.cognitoidp.models import cognitoidp_backends

from localcloud.apigateway import integrations
from localcloud.core import policy as policies

DEFAULT_TTL_S = 300


@dataclass
class Decision:
    """Either the request goes on with an authorizer context, or it gets an error answer."""

    allowed: bool
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    authorizer_context: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def deny(cls, status: int, body: dict[str, Any]) -> Decision:
        return cls(False, status, body)


UNAUTHORIZED = Decision.deny(401, {"message": "Unauthorized"})
NOT_AUTHORIZED = Decision.deny(403, {"Message": "User is not authorized to access this resource"})
EXPLICIT_DENY = Decision.deny(403, {"Message": "User is not authorized to access this resource with an explicit deny"})
MISCONFIGURED = Decision.deny(500, {"message": None})


def method_arn(region: str, account_id: str, api_id: str, stage: str, method: str, path: str) -> str:
    return f"arn:aws:execute-api:{region}:{account_id}:{api_id}/{stage}/{method}/{path.lstrip('/')}"


def evaluate(policy: dict[str, Any], arn: str) -> Decision | None:
    """None when the policy allows the ARN, else the decision that refuses it."""
    effect = policies.evaluate(policy, "execute-api:Invoke", arn)
    if effect == "Deny":
        return EXPLICIT_DENY
    return None if effect == "Allow" else NOT_AUTHORIZED


class AnswerCache:
    """Lambda authorizers' answers per authorizer and identity, kept for the authorizer's TTL."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> dict[str, Any] | None:
        with self._lock:
            entry = self._entries.get(key)
        return entry[1] if entry and entry[0] > time.monotonic() else None

    def put(self, key: tuple[str, str], ttl_s: int, answer: dict[str, Any]) -> None:
        if ttl_s > 0:
            with self._lock:
                self._entries[key] = (time.monotonic() + ttl_s, answer)


def cognito_claims(region: str, pool_id: str, token: str, account_id: str | None = None) -> dict[str, Any] | None:
    """The claims of an unexpired token signed by this pool of the local cloud's Cognito, else None."""
    accounts = [account_id] if account_id else list(cognitoidp_backends.keys())
    for account in accounts:
        regions = cognitoidp_backends[account]
        pool = regions[region].user_pools.get(pool_id) if region in regions else None
        if pool is None:
            continue
        try:
            claims = jwt.decode(token, pool.json_web_key).claims
        except (JoseError, ValueError):
            return None
        issuer_ok = claims.get("iss") == f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"
        return claims if issuer_ok and int(claims.get("exp", 0)) >= time.time() else None
    return None


class Authorizers:
    def __init__(self, lambda_service: Any) -> None:
        self.lambda_service = lambda_service
        self._cache = AnswerCache()
        self.invocations = 0  # authorizer Lambda calls, for the cache's tests and benchmarks

    def authorize(self, call: Any) -> Decision:
        method = call.route.method
        authorizer = call.api.authorizers.get(method.authorizer_id) if method.authorizer_id else None
        if authorizer is None:
            return MISCONFIGURED
        if authorizer.type == "COGNITO_USER_POOLS":
            return self._cognito(authorizer, call)
        return self._lambda(authorizer, call)

    # -- Lambda TOKEN / REQUEST ---------------------------------------------------------------

    def _identity(self, authorizer: Any, call: Any) -> list[str] | None:
        sources = [s.strip() for s in (authorizer.identity_source or "method.request.header.Authorization").split(",")]
        values = []
        for source in sources:
            value = integrations._parameter_value(call, source)
            if not value:
                return None
            values.append(value)
        return values

    def _lambda(self, authorizer: Any, call: Any) -> Decision:
        identity = self._identity(authorizer, call)
        if identity is None:
            return UNAUTHORIZED
        if authorizer.type == "TOKEN" and authorizer.identity_validation_expression:
            if not re.fullmatch(authorizer.identity_validation_expression, identity[0]):
                return UNAUTHORIZED
        arn = method_arn(
            call.region, call.account_id, call.api.id, call.context["stage"], call.request.method, call.request.path
        )
        ttl = DEFAULT_TTL_S if authorizer.authorizer_result_ttl is None else int(authorizer.authorizer_result_ttl)
        key = (authorizer.id, "\0".join(identity))
        answer = self._cache.get(key)
        if answer is None:
            answer_or_decision = self._invoke(authorizer, call, identity, arn)
            if isinstance(answer_or_decision, Decision):
                return answer_or_decision
            answer = answer_or_decision
            self._cache.put(key, ttl, answer)
        refused = evaluate(answer.get("policyDocument") or {}, arn)
        if refused is not None:
            return refused
        context = {k: v for k, v in (answer.get("context") or {}).items()}
        context["principalId"] = answer.get("principalId")
        return Decision(True, authorizer_context=context)

    def _invoke(self, authorizer: Any, call: Any, identity: list[str], arn: str) -> dict[str, Any] | Decision:
        fn = integrations._function(authorizer.authorizer_uri)
        if fn is None or not integrations.may_invoke(
            fn, integrations.execute_api_arn(call.region, call.account_id, call.api.id, f"authorizers/{authorizer.id}")
        ):
            return MISCONFIGURED
        if authorizer.type == "TOKEN":
            event: dict[str, Any] = {"type": "TOKEN", "authorizationToken": identity[0], "methodArn": arn}
        else:
            event = {"type": "REQUEST", "methodArn": arn, **integrations.proxy_event(call)}
            event.pop("body", None)
            event.pop("isBase64Encoded", None)
        self.invocations += 1
        invocation = self.lambda_service.run(fn, json.dumps(event))
        if invocation.error_type is not None:
            message = json.loads(invocation.payload).get("errorMessage")
            # An authorizer says "no" by failing with exactly "Unauthorized".
            return UNAUTHORIZED if message == "Unauthorized" else MISCONFIGURED
        try:
            answer = json.loads(invocation.payload)
        except ValueError:
            return MISCONFIGURED
        if not isinstance(answer, dict) or "principalId" not in answer or "policyDocument" not in answer:
            return MISCONFIGURED
        return answer

    # -- Cognito user pools -------------------------------------------------------------------

    def _cognito(self, authorizer: Any, call: Any) -> Decision:
        identity = self._identity(authorizer, call)
        if identity is None:
            return UNAUTHORIZED
        token = identity[0].removeprefix("Bearer ").strip()
        for provider_arn in authorizer.provider_arns or []:
            parts = provider_arn.split(":")
            claims = cognito_claims(parts[3], parts[5].split("/", 1)[-1], token, account_id=parts[4])
            if claims is None:
                continue
            scopes = set(call.route.method.authorization_scopes or [])
            if claims.get("token_use") == "access":
                # Access tokens are accepted only for methods that ask for OAuth scopes they carry.
                if not scopes or not scopes & set(str(claims.get("scope", "")).split()):
                    return UNAUTHORIZED
            elif scopes:
                return UNAUTHORIZED
            return Decision(True, authorizer_context={"claims": {k: str(v) for k, v in claims.items()}})
        return UNAUTHORIZED
