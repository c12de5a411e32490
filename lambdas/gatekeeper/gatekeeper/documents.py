"""The guarded API: a tenant's documents. The gateway already refused callers without a grant for the
path's tenant; the function checks the caller's tenant again, so a misconfigured authorizer cannot
open one tenant's documents to another."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import store

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayRestResolver()


def _error(status: int, message: str) -> Response:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body={"message": message})


def caller() -> tuple[str | None, str]:
    """The caller's tenant and name: a Lambda authorizer's context, or a Cognito user's claims."""
    authorizer = app.current_event.request_context.authorizer.raw_event or {}
    claims = authorizer.get("claims") or {}
    if claims:
        return claims.get("custom:tenant"), str(claims.get("email") or claims.get("sub") or "")
    return authorizer.get("tenant"), str(authorizer.get("principalId") or "")


def _own(tenant: str) -> Response | None:
    mine, _ = caller()
    if mine != tenant:
        logger.warning("tenant mismatch", extra={"caller_tenant": mine, "path_tenant": tenant})
        return _error(403, f"not a member of tenant {tenant}")
    return None


@app.get("/tenants/<tenant>/documents")
def list_documents(tenant: str) -> Response | dict[str, Any]:
    return _own(tenant) or {"documents": store.documents(tenant)}


@app.get("/tenants/<tenant>/documents/<document_id>")
def get_document(tenant: str, document_id: str) -> Response | dict[str, Any]:
    refused = _own(tenant)
    if refused:
        return refused
    found = store.document(tenant, document_id)
    return found if found else _error(404, f"no document {document_id}")


@app.post("/tenants/<tenant>/documents")
def add_document(tenant: str) -> Response:
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
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
