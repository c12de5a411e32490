"""SQS consumer of one subscriber: partial batch failures, one effect per event."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS)


def record_handler(record: SQSRecord) -> bool:
    try:
        event = logic.parse_event(record.body, record.raw_event.get("messageAttributes", {}))
    except logic.PoisonMessage as exc:
        logger.warning("poison message", extra={"reason": str(exc), "message_id": record.message_id})
        raise
    recorded = store.record_once(event, record.message_id)
    logger.info("event", extra={"event_id": event.event_id, "type": event.event_type, "duplicate": not recorded})
    metrics.add_metric(name="EventsRecorded" if recorded else "DuplicateEventsIgnored", unit=MetricUnit.Count, value=1)
    return recorded


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
