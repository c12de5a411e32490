"""A worker, invoked asynchronously per part: counts the words of its documents and records the part once.

The worker that records the last part (the table's count says so) fans in: it combines every part's
result into the job's. A part that fails is named in the table with the error, then raised so Lambda
retries it; what still fails lands in the dead-letter queue and the job stays RUNNING, visibly waiting.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store

logger = Logger()
tracer = Tracer()
metrics = Metrics()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    part = logic.parse_part(event)
    try:
        words = {key: logic.count_words(store.read_document(key)) for key in part.keys}
    except Exception as exc:
        store.fail_part(part, f"{type(exc).__name__}: {exc}")
        logger.warning("part failed", extra={"job_id": part.job_id, "part": part.number, "reason": str(exc)})
        raise
    counted = store.complete_part(part, words)
    if counted is None:
        metrics.add_metric(name="DuplicatePartsIgnored", unit=MetricUnit.Count, value=1)
        return {"jobId": part.job_id, "part": part.number, "duplicate": True}
    done, parts = counted
    metrics.add_metric(name="PartsDone", unit=MetricUnit.Count, value=1)
    if done == parts and store.finish(part.job_id, logic.combine(store.parts(part.job_id))):
        logger.info("job complete", extra={"job_id": part.job_id, "parts": parts})
        metrics.add_metric(name="JobsCompleted", unit=MetricUnit.Count, value=1)
    return {"jobId": part.job_id, "part": part.number, "done": done, "parts": parts}
