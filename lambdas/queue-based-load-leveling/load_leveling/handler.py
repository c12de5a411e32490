"""SQS consumer: partial batch failures, idempotent per message (delivery is at least once)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, settings, store

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS)
idempotency = IdempotencyConfig(event_key_jmespath="messageId", expires_after_seconds=24 * 3600)
persistence = DynamoDBPersistenceLayer(table_name=settings.idempotency_table())


@idempotent_function(data_keyword_argument="record", config=idempotency, persistence_store=persistence)
def process(record: dict[str, Any]) -> dict[str, Any]:
    request = logic.parse_request(record["messageId"], record["body"])
    result = logic.result_of(request)
    store.save_result(request.transaction_id, result)
    metrics.add_metric(name="RequestsProcessed", unit=MetricUnit.Count, value=1)
    return result


def record_handler(record: SQSRecord) -> dict[str, Any]:
    try:
        result: dict[str, Any] = process(record=record.raw_event)
        return result
    except logic.PoisonMessage as exc:
        logger.warning(
            "poison message", extra={"reason": str(exc), "receive_count": record.attributes.approximate_receive_count}
        )
        raise


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    idempotency.register_lambda_context(context)
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
