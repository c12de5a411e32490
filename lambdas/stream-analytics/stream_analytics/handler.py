"""Tumbling-window consumer: each batch's readings added to the window's state; the window's aggregates kept
when it ends. A record that is not a reading fails the batch, which Lambda bisects until the record alone goes
to the on-failure queue, while its neighbours count."""

from __future__ import annotations

import base64
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
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
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    state = logic.add(event.get("state") or {}, readings_of(event.get("Records") or []))
    if not event.get("isFinalInvokeForWindow"):
        return {"state": state}
    window = event["window"]
    aggregates = logic.aggregates(window["start"], window["end"], event["shardId"], state)
    store.save(aggregates)
    metrics.add_metric(name="WindowsKept", unit=MetricUnit.Count, value=len(aggregates))
    metrics.add_metric(name="ReadingsCounted", unit=MetricUnit.Count, value=sum(a.count for a in aggregates))
    logger.info(
        "window kept",
        extra={"window": window, "sensors": len(aggregates), "terminated_early": event.get("isWindowTerminatedEarly")},
    )
    return {"state": {}}
