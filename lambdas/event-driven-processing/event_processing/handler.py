"""S3 invokes this asynchronously for each upload: the report goes to the output bucket.

An upload that can never be processed is recorded under the failed prefix of the
output bucket, with the reason (a retry would fail the same way); anything else
(S3 unreachable, access denied) raises, so Lambda retries the event and then hands
it to the dead-letter queue. Writing the same report again is harmless: S3 may
deliver an event twice.
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


def process(upload: logic.Upload) -> dict[str, Any]:
    source = {"bucket": upload.bucket, "key": upload.key, "versionId": upload.version_id}
    try:
        report = logic.summarize(store.read(upload))
    except logic.Unreadable as exc:
        key = logic.output_key(upload.key, settings.input_prefix(), settings.failed_prefix())
        store.write_json(key, {"source": source, "status": "FAILED", "reason": exc.reason, "line": exc.line})
        logger.warning("upload unreadable", extra={"key": upload.key, "reason": str(exc), "recorded_at": key})
        metrics.add_metric(name="UploadsFailed", unit=MetricUnit.Count, value=1)
        return {"key": upload.key, "status": "FAILED", "recordedAt": key}
    key = logic.output_key(upload.key, settings.input_prefix(), settings.report_prefix())
    store.write_json(key, {"source": source, "status": "PROCESSED", **report})
    metrics.add_metric(name="UploadsProcessed", unit=MetricUnit.Count, value=1)
    return {"key": upload.key, "status": "PROCESSED", "report": key}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    results = []
    for record in S3Event(event).records:
        item = record.s3.get_object
        # S3 URL-encodes keys in event records ("in/red flower.csv" arrives as "in/red+flower.csv").
        upload = logic.Upload(
            bucket=record.s3.bucket.name,
            key=unquote_plus(item.key),
            version_id=item.version_id,
            size=int(item.size or 0),
        )
        results.append(process(upload))
    return {"results": results}
