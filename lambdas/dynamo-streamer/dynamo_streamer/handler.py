"""Stream consumer: each change of the messages table into the change log; bad records reported."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def record_handler(record: DynamoDBRecord) -> str:
    try:
        change = logic.change_of(record.raw_event)
    except logic.InvalidChange as exc:
        logger.warning(
            "record not recorded",
            extra={"reason": str(exc), "sequence": record.dynamodb.sequence_number if record.dynamodb else None},
        )
        raise
    outcome = store.record(change)
    metrics.add_metric(
        name="ChangesRecorded" if outcome == "recorded" else "DuplicateChanges", unit=MetricUnit.Count, value=1
    )
    return outcome


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
