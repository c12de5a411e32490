"""SQS FIFO consumer: one account per message group, applied in order and once.

A failing record fails the rest of its message group in the batch (order is kept),
while other groups carry on; SQS retries the failed ones after the visibility timeout.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import SqsFifoPartialProcessor, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = SqsFifoPartialProcessor(skip_group_on_error=True)


def record_handler(record: SQSRecord) -> str:
    attributes = record.attributes
    try:
        event = logic.parse_event(record.body, attributes.message_group_id or "")
    except logic.PoisonMessage as exc:
        logger.warning(
            "poison message",
            extra={
                "reason": str(exc),
                "message_id": record.message_id,
                "receive_count": attributes.approximate_receive_count,
            },
        )
        raise
    result, outcome = store.apply_once(
        event, attributes.message_deduplication_id or record.message_id, attributes.sequence_number or ""
    )
    logger.info(
        "ledger event",
        extra={
            "account": event.account,
            "reference": event.reference,
            "result": result,
            "status": outcome.status if outcome else None,
        },
    )
    counted = {"APPLIED": "LedgerEventsApplied", "REJECTED": "LedgerEventsRejected"}
    metrics.add_metric(
        name=counted[outcome.status] if outcome else "DuplicateEventsIgnored", unit=MetricUnit.Count, value=1
    )
    return result


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
