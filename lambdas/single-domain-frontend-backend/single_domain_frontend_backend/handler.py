"""HTTP API (payload 2.0, behind CloudFront's /api/*) -> Powertools' HTTP resolver -> one route per operation.

Each operation is its own function with its own role; the API sends each only its own route. No CORS
headers: the page calling this API is served from the same origin.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store

logger = Logger()
tracer = Tracer()
app = APIGatewayHttpResolver()


def _json(status: int, body: Any) -> Response[Any]:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=body)


@app.exception_handler(logic.BadRequest)
def bad_request(exc: logic.BadRequest) -> Response[Any]:
    logger.info("bad request", extra={"reason": str(exc)})
    return _json(400, {"message": str(exc)})


@app.get("/api/messages")
def list_messages() -> Response[Any]:
    return _json(200, {"messages": [m.to_dict() for m in store.latest()]})


@app.exception_handler(logic.UnsupportedMediaType)
def unsupported_media_type(exc: logic.UnsupportedMediaType) -> Response[Any]:
    return _json(415, {"message": str(exc)})


@app.post("/api/messages")
def post_message() -> Response[Any]:
    logic.require_json(app.current_event.headers.get("content-type"))
    # API Gateway base64-encodes a body it does not take for text; decoded_body reads either.
    message = logic.parse_message(app.current_event.decoded_body, datetime.now(UTC))
    store.post(message)
    logger.info("message posted", extra={"message_id": message.posted})
    return _json(201, message.to_dict())


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
