"""API Gateway (REST, Lambda proxy) -> Powertools' REST resolver -> one route per operation.

Each operation is its own function with its own role; every function runs this
resolver, and API Gateway sends each only its own method and resource.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, settings, store

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayRestResolver()


def _error(status: int, message: str) -> Response[Any]:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body={"message": message})


@app.exception_handler(logic.BadRequest)
def bad_request(exc: logic.BadRequest) -> Response[Any]:
    logger.info("bad request", extra={"reason": str(exc)})
    return _error(400, str(exc))


@app.exception_handler(logic.NotFound)
def not_found(exc: logic.NotFound) -> Response[Any]:
    return _error(404, str(exc))


@app.exception_handler(store.ItemExists)
def conflict(exc: store.ItemExists) -> Response[Any]:
    logger.warning("item id taken", extra={"item_id": str(exc)})
    return _error(409, f"an item with id {exc} already exists")


@app.post("/items")
def create() -> Response[Any]:
    item = logic.parse_new_item(app.current_event.body)
    store.put_new(item)
    logger.info("item created", extra={"item_id": item.id})
    metrics.add_metric(name="ItemsCreated", unit=MetricUnit.Count, value=1)
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=item.to_dict())


@app.get("/items/<item_id>")
def get(item_id: str) -> dict[str, Any]:
    item_id = logic.parse_item_id({"id": item_id})
    item = store.get(item_id)
    if item is None:
        raise logic.NotFound(f"no item with id {item_id}")
    return item.to_dict()


@app.get("/items")
def list_items() -> dict[str, Any]:
    page = logic.parse_page_request(app.current_event.query_string_parameters, settings.max_page_size())
    items, last_key = store.list_page(page)
    return {"items": [i.to_dict() for i in items], "cursor": logic.encode_cursor(last_key)}


@app.delete("/items/<item_id>")
def delete(item_id: str) -> Response[Any]:
    item_id = logic.parse_item_id({"id": item_id})
    if not store.delete(item_id):
        raise logic.NotFound(f"no item with id {item_id}")
    metrics.add_metric(name="ItemsDeleted", unit=MetricUnit.Count, value=1)
    return Response(status_code=204, body="")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
