"""The API (HTTP API, Lambda proxy) writing customers to DynamoDB, and the stream consumer copying them
into PostgreSQL."""

from __future__ import annotations

import json
import os
import time
from functools import lru_cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import changes, replica

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayHttpResolver()
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


@lru_cache(maxsize=1)
def _dynamodb() -> Any:
    return boto3.client("dynamodb")


def _table() -> str:
    return os.environ["CUSTOMERS_TABLE"]


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item["id"]["S"],
        "name": item["name"]["S"],
        "email": item["email"]["S"],
        "version": int(item["version"]["N"]),
        "updatedAt": int(item["updatedAt"]["N"]),
    }


@app.exception_handler(changes.InvalidCustomer)
def invalid(error: changes.InvalidCustomer) -> Response:
    return Response(status_code=400, content_type=content_types.APPLICATION_JSON, body={"message": str(error)})


@app.put("/customers/<customer_id>")
def put_customer(customer_id: str) -> dict[str, Any]:
    try:
        body = json.loads(app.current_event.body or "")
    except ValueError:
        body = None
    name, email = changes.parse_customer(customer_id, body)
    # Every write raises the version by one: the order the copy follows, whatever order records arrive in.
    item = _dynamodb().update_item(
        TableName=_table(),
        Key={"id": {"S": customer_id}},
        ReturnValues="ALL_NEW",
        UpdateExpression="SET #name = :name, email = :email, updatedAt = :now, "
        "version = if_not_exists(version, :zero) + :one",
        ExpressionAttributeNames={"#name": "name"},
        ExpressionAttributeValues={
            ":name": {"S": name},
            ":email": {"S": email},
            ":now": {"N": str(int(time.time() * 1000))},
            ":zero": {"N": "0"},
            ":one": {"N": "1"},
        },
    )["Attributes"]
    return _plain(item)


@app.get("/customers/<customer_id>")
def get_customer(customer_id: str) -> Response | dict[str, Any]:
    item = _dynamodb().get_item(TableName=_table(), Key={"id": {"S": customer_id}}, ConsistentRead=True).get("Item")
    if not item:
        return Response(
            status_code=404, content_type=content_types.APPLICATION_JSON, body={"message": f"no customer {customer_id}"}
        )
    return _plain(item)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def api(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)


def replicate(record: DynamoDBRecord) -> bool:
    change = changes.change_of(record.raw_event)
    try:
        applied = replica.apply(change)
    except Exception:
        replica.forget_connection()  # a broken connection: the retry connects again
        raise
    metrics.add_metric(name="ChangesApplied" if applied else "StaleChangesSkipped", unit=MetricUnit.Count, value=1)
    return applied


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def replicator(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=replicate, processor=processor, context=context)
