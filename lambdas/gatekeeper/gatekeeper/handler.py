"""The gatekeeper's functions, one handler each:

- `authorize`: Lambda authorizer (TOKEN or REQUEST): the caller's key -> a policy for exactly its tenant's routes.
- `documents`: The guarded API: a tenant's documents. The gateway already refused callers without a grant for the path's tenant; the function checks the caller's tenant again, so a misconfigured authorizer cannot open one tenant's documents to another.
- `administer_keys`: Key administration, invoked directly by the platform team (IAM decides who may): issue and revoke.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store

logger = Logger()
tracer = Tracer()
metrics = Metrics()


def decide(event: dict[str, Any], now: float) -> dict[str, Any]:
    token = logic.token_of(event)
    grant = store.grant_of(logic.key_id(token))
    if grant is None:
        raise logic.Unauthorized("unknown key")
    if not grant.usable_at(now):
        raise logic.Unauthorized("revoked key" if grant.revoked else "expired key")
    return logic.authorizer_answer(grant, event["methodArn"])


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def authorize(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        answer = decide(event, time.time())
    except logic.Unauthorized as refused:
        # Never log the key itself: the reason is enough to investigate.
        logger.info("refused", extra={"reason": refused.reason})
        metrics.add_metric(name="KeysRefused", unit=MetricUnit.Count, value=1)
        raise
    logger.info("authorized", extra={"principal": answer["principalId"], "tenant": answer["context"]["tenant"]})
    metrics.add_metric(name="KeysAuthorized", unit=MetricUnit.Count, value=1)
    return answer


app = APIGatewayRestResolver()


def _error(status: int, message: str) -> Response[Any]:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body={"message": message})


def caller() -> tuple[str | None, str]:
    """The caller's tenant and name: a Lambda authorizer's context, or a Cognito user's claims."""
    authorizer = app.current_event.request_context.authorizer.raw_event or {}
    claims = authorizer.get("claims") or {}
    if claims:
        return claims.get("custom:tenant"), str(claims.get("email") or claims.get("sub") or "")
    return authorizer.get("tenant"), str(authorizer.get("principalId") or "")


def _own(tenant: str) -> Response[Any] | None:
    mine, _ = caller()
    if mine != tenant:
        logger.warning("tenant mismatch", extra={"caller_tenant": mine, "path_tenant": tenant})
        return _error(403, f"not a member of tenant {tenant}")
    return None


@app.get("/tenants/<tenant>/documents")
def list_documents(tenant: str) -> Response[Any] | dict[str, Any]:
    return _own(tenant) or {"documents": store.documents(tenant)}


@app.get("/tenants/<tenant>/documents/<document_id>")
def get_document(tenant: str, document_id: str) -> Response[Any] | dict[str, Any]:
    refused = _own(tenant)
    if refused:
        return refused
    found = store.document(tenant, document_id)
    return found if found else _error(404, f"no document {document_id}")


@app.post("/tenants/<tenant>/documents")
def add_document(tenant: str) -> Response[Any]:
    refused = _own(tenant)
    if refused:
        return refused
    try:
        body = json.loads(app.current_event.body or "")
    except ValueError:
        return _error(400, "the body must be JSON")
    if not isinstance(body, dict) or not isinstance(body.get("title"), str) or not body["title"].strip():
        return _error(400, "a document needs a title")
    document = store.add_document(tenant, body["title"].strip()[:200], str(body.get("body") or "")[:10000], caller()[1])
    metrics.add_metric(name="DocumentsAdded", unit=MetricUnit.Count, value=1)
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=document)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics
def documents(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)


def issue(request: dict[str, Any]) -> dict[str, Any]:
    grant = logic.grant_request(request, time.time())
    key = logic.new_key()
    key_id = logic.key_id(key)
    store.save_grant(key_id, grant)
    logger.info("key issued", extra={"key_id": key_id, "principal": grant.principal, "tenant": grant.tenant})
    # The key is shown once, here; the service keeps only its hash.
    return {
        "key": key,
        "keyId": key_id,
        "principal": grant.principal,
        "tenant": grant.tenant,
        "scopes": sorted(grant.scopes),
        "expiresAt": datetime.fromtimestamp(grant.expires_at, UTC).isoformat(timespec="seconds"),
    }


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def administer_keys(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    action = event.get("action") if isinstance(event, dict) else None
    try:
        if action == "issue":
            return {"ok": True, **issue(event)}
        if action == "revoke":
            store.revoke(str(event.get("keyId") or ""))
            logger.info("key revoked", extra={"key_id": event.get("keyId")})
            return {"ok": True, "keyId": event["keyId"], "revoked": True}
        raise logic.InvalidGrant("action must be issue or revoke")
    except logic.InvalidGrant as refused:
        return {"ok": False, "error": "InvalidRequest", "message": str(refused)}
    except store.UnknownKey as unknown:
        return {"ok": False, "error": "UnknownKey", "message": f"no key with id {unknown}"}
