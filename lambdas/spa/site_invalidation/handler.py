"""S3 invokes this asynchronously for each change to the site's bucket: the changed paths are invalidated.

A redelivered event makes the same invalidation request (same caller reference), which CloudFront answers
with the invalidation it already made. An event that is not S3's fails at once (BadEvent); a CloudFront
error raises, so Lambda retries the event and then hands it to the dead-letter queue. A distribution that
is gone (the site being destroyed) has nothing cached: that change is done.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import S3Event
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, settings, store

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()


def site_changes(event: dict[str, Any]) -> list[logic.Change]:
    records = event.get("Records") if isinstance(event, dict) else None
    if not isinstance(records, list) or not records:
        raise logic.BadEvent("not an S3 notification: no Records")
    changes = []
    for record in S3Event(event).records:
        if record.event_source != "aws:s3":
            raise logic.BadEvent(f"not an S3 record: {record.event_source!r}")
        item = record.s3.get_object
        # S3 URL-encodes keys in event records ("red flower.png" arrives as "red+flower.png").
        changes.append(logic.change(unquote_plus(item.key or ""), item.sequencer))
    return changes


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    changes = site_changes(event)
    paths = logic.paths(changes, settings.root_object())
    try:
        invalidation = store.invalidate(settings.distribution_id(), paths, logic.caller_reference(changes))
    except store.DistributionGone:
        logger.info("distribution gone: nothing to invalidate", extra={"paths": paths})
        return {"invalidation": None, "paths": paths}
    logger.info("invalidated", extra={"invalidation": invalidation, "paths": paths})
    metrics.add_metric(name="PathsInvalidated", unit=MetricUnit.Count, value=len(paths))
    return {"invalidation": invalidation, "paths": paths}
