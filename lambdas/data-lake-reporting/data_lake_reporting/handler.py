"""SQS consumer: each message is S3's notification of ingested files (each day they fall in is reported) or a
scheduled report's request for one day; a day is reported by an Athena query, its result kept in the
reporting bucket. A query that fails is recorded there with its state and
reason, and its message fails: SQS gives it back for a retry, then keeps it in the dead-letter queue."""

from __future__ import annotations

import json
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


class ReportFailed(RuntimeError):
    """A day's query did not report it: recorded, and the message kept for retry."""


def report(record: SQSRecord, lambda_context: LambdaContext) -> list[str]:
    try:
        body = json.loads(record.body)
    except ValueError:
        logger.warning("neither an S3 notification nor a scheduled report", extra={"message_id": record.message_id})
        raise
    days: dict[str, list[logic.Ingested]] = {}
    scheduled = logic.scheduled_day(body)
    if scheduled is not None:
        days[scheduled] = []
    for ingested in logic.ingested_files(body):
        try:
            days.setdefault(logic.day_of(ingested.key), []).append(ingested)
        except logic.NotADayFile as exc:
            # No partition holds it: no report could include it, and a retry would not change that.
            logger.error("file outside a day folder", extra={"reason": str(exc)})
            metrics.add_metric(name="FilesOutsideDays", unit=MetricUnit.Count, value=1)
    reported = []
    for day, files in sorted(days.items()):
        outcome = store.run_report(day, lambda_context.get_remaining_time_in_millis, has_files=bool(files))
        if outcome.reported and outcome.rows == 0:
            metrics.add_metric(name="DaysWithoutSales", unit=MetricUnit.Count, value=1)
        if outcome.reported:
            key = store.keep_report(day, outcome)
            if key is None:
                logger.info("a later query's report kept", extra={"day": day, "execution": outcome.execution_id})
            else:
                reported.append(key)
                metrics.add_metric(name="DaysReported", unit=MetricUnit.Count, value=1)
            continue
        kept = store.keep_failure(day, outcome, files)
        metrics.add_metric(name="ReportsFailed", unit=MetricUnit.Count, value=1)
        logger.error(
            "report failed",
            extra={"day": day, "state": outcome.state, "reason": outcome.reason, "execution": outcome.execution_id,
                   "recorded_at": kept},
        )  # fmt: skip
        raise ReportFailed(f"dt={day}: {outcome.state}: {outcome.reason}")
    return reported


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=report, processor=processor, context=context)
