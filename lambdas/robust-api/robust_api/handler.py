"""The orders backend: GET /orders/{id} and POST /orders behind the API's Lambda routes."""

from __future__ import annotations

from decimal import InvalidOperation
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from pattern_helpers import dynamodb_json

from . import logic, store

logger = Logger()
tracer = Tracer()
app = APIGatewayHttpResolver()


def _json(status: int, body: Any) -> Response[str]:
    return Response(
        status_code=status,
        content_type="application/json",
        body=dynamodb_json.dumps(body),
        headers={"x-backend": "orders-function"},
    )


@app.post("/orders")
def create_order() -> Response[str]:
    try:
        order = logic.new_order(app.current_event.json_body)
    except (logic.InvalidOrder, ValueError, InvalidOperation) as exc:
        return _json(400, {"message": str(exc) if isinstance(exc, logic.InvalidOrder) else "body is not JSON"})
    store.put_order(order)
    return _json(201, order)


@app.get("/orders/<order_id>")
def get_order(order_id: str) -> Response[str]:
    if not logic.ORDER_ID.match(order_id):
        return _json(400, {"message": "an order id is a UUID"})
    item = store.order(order_id)
    return _json(200, item) if item else _json(404, {"message": f"no order {order_id}"})


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
