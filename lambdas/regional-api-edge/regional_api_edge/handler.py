"""API Gateway (REST, Lambda proxy, behind CloudFront) -> Powertools' REST resolver -> one route per operation.

Each operation is its own function with its own role; API Gateway sends each only its own method and path.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, settings, store

logger = Logger()
tracer = Tracer()
app = APIGatewayRestResolver()


def _json(status: int, body: Any, cache_control: str) -> Response[Any]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=body,
        headers={"Cache-Control": cache_control},
    )


@app.exception_handler(logic.BadRequest)
def bad_request(exc: logic.BadRequest) -> Response[Any]:
    logger.info("bad request", extra={"reason": str(exc)})
    return _json(400, {"message": str(exc)}, "no-store")


@app.exception_handler(logic.Unauthorized)
def unauthorized(exc: logic.Unauthorized) -> Response[Any]:
    logger.error("a write arrived without an authorizer's claims", extra={"reason": str(exc)})
    return _json(401, {"message": "Unauthorized"}, "no-store")


@app.get("/products")
def list_products() -> Response[Any]:
    products = [p.to_dict() for p in store.list_all()]
    return _json(200, {"products": products}, logic.list_cache_control(settings.public_max_age_seconds()))


@app.put("/products/<product_id>")
def put_product(product_id: str) -> Response[Any]:
    editor = logic.editor_of(app.current_event.request_context.authorizer.claims)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    product = logic.parse_product(product_id, app.current_event.body, editor, now)
    store.put(product)
    logger.info("product saved", extra={"product_id": product.id, "editor": editor})
    # An editor's answer is theirs alone: never kept by the edge or a shared cache.
    return _json(200, product.to_dict(), "private, no-store")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
