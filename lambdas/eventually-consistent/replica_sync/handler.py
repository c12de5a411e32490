"""The API (HTTP API, Lambda proxy) writing customers to DynamoDB, and the stream consumer copying them
into PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayHttpResolver()
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


@app.exception_handler(logic.InvalidCustomer)
def invalid(error: logic.InvalidCustomer) -> Response[Any]:
    return Response(status_code=400, content_type=content_types.APPLICATION_JSON, body={"message": str(error)})


@app.put("/customers/<customer_id>")
def put_customer(customer_id: str) -> dict[str, Any]:
    try:
        body = json.loads(app.current_event.body or "")
    except ValueError:
        body = None
    name, email = logic.parse_customer(customer_id, body)
    return logic.customer_of(store.put_customer(customer_id, name, email))


@app.get("/customers/<customer_id>")
def get_customer(customer_id: str) -> Response[Any] | dict[str, Any]:
    item = store.customer(customer_id)
    if not item:
        return Response(
            status_code=404, content_type=content_types.APPLICATION_JSON, body={"message": f"no customer {customer_id}"}
        )
    return logic.customer_of(item)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def api(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)


def replicate(record: DynamoDBRecord) -> bool:
    change = logic.change_of(record.raw_event)
    try:
        applied = store.apply(change)
    except Exception:
        store.forget_connection()  # a broken connection: the retry connects again
        raise
    metrics.add_metric(name="ChangesApplied" if applied else "StaleChangesSkipped", unit=MetricUnit.Count, value=1)
    return applied


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def replicator(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=replicate, processor=processor, context=context)


@logger.inject_lambda_context
def migrate(event: dict[str, Any], context: LambdaContext) -> dict[str, list[Any]]:
    """Run by Terraform at apply (aws_lambda_invocation): the schema and the database user up to date."""
    done = store.migrate()
    logger.info("database migrated", extra=done)
    return done
