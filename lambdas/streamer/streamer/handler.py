"""Firehose transform: each record of the batch archived as a clean line, dropped, or marked failed."""

from __future__ import annotations

import base64
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import KinesisFirehoseEvent, event_source
from aws_lambda_powertools.utilities.data_classes.kinesis_firehose_event import (
    KinesisFirehoseDataTransformationResponse,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, settings

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()


@logger.inject_lambda_context
# Not the response: a batch's answer can be megabytes, far over what one trace segment may hold.
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
@event_source(data_class=KinesisFirehoseEvent)
def handler(event: KinesisFirehoseEvent, context: LambdaContext) -> dict[str, Any]:
    response = KinesisFirehoseDataTransformationResponse()
    counts = {"Ok": 0, "Dropped": 0, "ProcessingFailed": 0}
    for record in event.records:
        try:
            outcome = logic.transform(
                record.data_as_bytes, record.approximate_arrival_timestamp, settings.dropped_metrics()
            )
        except logic.InvalidReading as exc:
            logger.warning("reading refused", extra={"reason": str(exc), "record_id": record.record_id})
            outcome, data = logic.Transformed("ProcessingFailed"), record.data
        except Exception:  # a defect must fail this record alone, not the batch of every other device's readings
            logger.exception("reading not transformed", extra={"record_id": record.record_id})
            # Firehose writes the record as it came under the error prefix; the data returned is not used.
            outcome, data = logic.Transformed("ProcessingFailed"), record.data
        else:
            data = base64.b64encode(outcome.line).decode()
        counts[outcome.outcome] += 1
        response.add_record(record.build_data_transformation_response(result=outcome.outcome, data=data))
    metrics.add_metric(name="ReadingsArchived", unit=MetricUnit.Count, value=counts["Ok"])
    metrics.add_metric(name="HeartbeatsDropped", unit=MetricUnit.Count, value=counts["Dropped"])
    metrics.add_metric(name="ReadingsRefused", unit=MetricUnit.Count, value=counts["ProcessingFailed"])
    return response.asdict()
