"""One handler per processor, each behind its own queue: partial batch failures, deterministic outputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, settings, store

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()

Process = Callable[[logic.Upload, bytes, str], logic.Output]

PROCESSORS: dict[str, Process] = {
    "metadata": logic.metadata,
    "preview": lambda upload, content, _type: logic.preview(upload, content, settings.preview_bytes()),
    "gzip": lambda upload, content, _type: logic.compressed(upload, content),
}


def _handler_for(name: str) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    process = PROCESSORS[name]
    processor = BatchProcessor(event_type=EventType.SQS)

    def record_handler(record: SQSRecord) -> list[str]:
        written = []
        try:
            for upload in logic.uploads_in(record.body):
                content, content_type = store.read(upload)
                output = process(upload, content, content_type)
                store.write(output)
                written.append(output.key)
        except logic.UnprocessableUpload as exc:
            logger.warning("unprocessable upload", extra={"processor": name, "reason": str(exc)})
            raise
        logger.info("processed", extra={"processor": name, "outputs": written})
        metrics.add_metric(name="OutputsWritten", unit=MetricUnit.Count, value=len(written))
        return written

    @logger.inject_lambda_context
    @tracer.capture_lambda_handler
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
        return process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )

    handler.__name__ = name
    return handler


metadata = _handler_for("metadata")
preview = _handler_for("preview")
gzip = _handler_for("gzip")
