"""Lambda hands over the change notices S3 queued within the batching window: their paths are invalidated
in one request.

A notice that is not S3's is reported as a failed item (it goes back to the queue, then to the dead-letter
queue); the others are still invalidated. A batch delivered again makes the same request (same caller
reference), which CloudFront answers with the invalidation it already made. An error from CloudFront
(throttled, too many invalidations in progress) raises, so the whole batch comes back after the
visibility timeout. A distribution that is gone (the site being destroyed) has nothing cached: done.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, settings, store

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()


def read(records: list[dict[str, Any]]) -> tuple[list[logic.Change], list[str]]:
    """The changes the batch's notices report, and the message ids of those that are not S3's."""
    changes: list[logic.Change] = []
    unreadable: list[str] = []
    for record in records:
        try:
            changes += logic.changes_in(json.loads(record["body"]))
        except (ValueError, KeyError, TypeError) as error:  # BadEvent is a ValueError
            logger.warning("not a site change", extra={"message_id": record.get("messageId"), "reason": str(error)})
            unreadable.append(str(record.get("messageId")))
    return changes, unreadable


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    records = event.get("Records") if isinstance(event, dict) else None
    if not isinstance(records, list):
        raise logic.BadEvent("not an SQS batch: no Records")
    changes, unreadable = read(records)
    if changes:
        paths = logic.paths(changes, settings.root_object(), settings.max_paths())
        try:
            invalidation = store.invalidate(settings.distribution_id(), paths, logic.caller_reference(changes))
        except store.DistributionGone:
            logger.info("distribution gone: nothing to invalidate", extra={"paths": paths})
        else:
            logger.info("invalidated", extra={"invalidation": invalidation, "paths": paths})
            metrics.add_metric(name="PathsInvalidated", unit=MetricUnit.Count, value=len(paths))
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in unreadable]}
