"""API Gateway (REST, Lambda proxy) handlers, one per operation, each with its own role."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store
from .settings import settings

logger = Logger(service="simple-web-service")
tracer = Tracer(service="simple-web-service")

Handler = Callable[[APIGatewayProxyEvent], dict[str, Any]]


def respond(status: int, body: Any) -> dict[str, Any]:
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def api_handler(operation: Handler) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    """Turn an operation into a Lambda handler: parse the event, map errors to status codes."""

    @wraps(operation)
    @tracer.capture_lambda_handler
    @logger.inject_lambda_context
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        try:
            return operation(APIGatewayProxyEvent(event))
        except logic.BadRequest as exc:
            logger.info("bad request", extra={"reason": str(exc)})
            return respond(400, {"message": str(exc)})
        except logic.NotFound as exc:
            return respond(404, {"message": str(exc)})

    return handler


@api_handler
def create(event: APIGatewayProxyEvent) -> dict[str, Any]:
    item = logic.parse_new_item(event.body)
    store.put_new(item)
    logger.info("item created", extra={"item_id": item.id})
    return respond(201, item.to_dict())


@api_handler
def get(event: APIGatewayProxyEvent) -> dict[str, Any]:
    item_id = logic.parse_item_id(event.path_parameters)
    item = store.get(item_id)
    if item is None:
        raise logic.NotFound(f"no item with id {item_id}")
    return respond(200, item.to_dict())


@api_handler
def list_items(event: APIGatewayProxyEvent) -> dict[str, Any]:
    page = logic.parse_page_request(event.query_string_parameters, settings().max_page_size)
    items, last_key = store.list_page(page)
    return respond(200, {"items": [i.to_dict() for i in items], "cursor": logic.encode_cursor(last_key)})


@api_handler
def delete(event: APIGatewayProxyEvent) -> dict[str, Any]:
    item_id = logic.parse_item_id(event.path_parameters)
    if not store.delete(item_id):
        raise logic.NotFound(f"no item with id {item_id}")
    return {"statusCode": 204, "headers": {}, "body": ""}
