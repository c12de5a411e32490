"""The stream's two readers of each record.

- `aggregate`, the tumbling-window consumer: each batch's readings added to the window's state; the window's
  aggregates kept when it ends. A record that is not a reading fails the batch, which Lambda bisects until the
  record alone goes to the on-failure queue, while its neighbours count.
- `archive`, Firehose's transform: a reading goes to the archive as it came; what is not a reading goes under
  the failed prefix, so every line of the archive is one reading Athena can read.
"""

from __future__ import annotations

import base64
from typing import Any, Literal

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import KinesisFirehoseEvent, event_source
from aws_lambda_powertools.utilities.data_classes.kinesis_firehose_event import (
    KinesisFirehoseDataTransformationResponse,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()


def readings_of(records: list[dict[str, Any]]) -> list[logic.Reading]:
    readings = []
    for record in records:
        kinesis = record["kinesis"]
        try:
            readings.append(logic.reading_of(base64.b64decode(kinesis["data"])))
        except logic.InvalidReading as exc:
            logger.warning("record refused", extra={"reason": str(exc), "sequence": kinesis.get("sequenceNumber")})
            raise
    return readings


@logger.inject_lambda_context
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def aggregate(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    state = logic.add(event.get("state") or {}, readings_of(event.get("Records") or []))
    if not event.get("isFinalInvokeForWindow"):
        return {"state": state}
    window = event["window"]
    ended_early = bool(event.get("isWindowTerminatedEarly"))
    aggregates = logic.aggregates(window["start"], window["end"], event["shardId"], state, ended_early=ended_early)
    store.save(aggregates)
    metrics.add_metric(name="WindowsKept", unit=MetricUnit.Count, value=len(aggregates))
    metrics.add_metric(name="ReadingsCounted", unit=MetricUnit.Count, value=sum(a.count for a in aggregates))
    logger.info("window kept", extra={"window": window, "sensors": len(aggregates), "ended_early": ended_early})
    return {"state": {}}


@logger.inject_lambda_context
# Not the response: a batch's answer can be megabytes, far over what one trace segment may hold.
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
@event_source(data_class=KinesisFirehoseEvent)
def archive(event: KinesisFirehoseEvent, context: LambdaContext) -> dict[str, Any]:
    response = KinesisFirehoseDataTransformationResponse()
    refused = 0
    for record in event.records:
        result: Literal["Ok", "ProcessingFailed"]
        try:
            logic.reading_of(record.data_as_bytes)
            result = "Ok"
        except logic.InvalidReading as exc:
            logger.warning("kept out of the archive", extra={"reason": str(exc), "record_id": record.record_id})
            result, refused = "ProcessingFailed", refused + 1
        # Either way the data goes on as it came: into the archive, or under the failed prefix.
        response.add_record(record.build_data_transformation_response(result=result, data=record.data))
    metrics.add_metric(name="RecordsKeptOut", unit=MetricUnit.Count, value=refused)
    return response.asdict()
