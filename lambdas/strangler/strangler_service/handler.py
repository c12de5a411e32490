"""The products service behind the facade: it answers only the routes migrated to it.

Every answer says who served it (`x-served-by: products-service`), so a client,
a test or an operator can see which side of the strangler a route is on.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store

logger = Logger()
tracer = Tracer()
app = APIGatewayHttpResolver()
SERVED_BY = {"x-served-by": "products-service"}


def answer(status: int, body: Any) -> Response[str]:
    return Response(status_code=status, content_type="application/json", body=json.dumps(body), headers=SERVED_BY)


@app.get("/products/<product_id>")
def get_product(product_id: str) -> Response[str]:
    if not logic.valid_id(product_id):
        return answer(400, {"message": "product id: 1-64 letters, digits or '-'"})
    item = store.get(product_id)
    return answer(200, logic.shown(item)) if item else answer(404, {"message": f"no product {product_id}"})


@app.get("/products")
def list_products() -> Response[str]:
    return answer(200, {"products": [logic.shown(i) for i in store.first(100)]})


@app.post("/products")
def create_product() -> Response[str]:
    try:
        product = logic.new_product(app.current_event.json_body)
    except (logic.InvalidProduct, ValueError) as exc:
        return answer(400, {"message": str(exc) if isinstance(exc, logic.InvalidProduct) else "body is not JSON"})
    store.put(product)
    return answer(201, logic.shown(product))


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
