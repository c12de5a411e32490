"""The splitter: records the job and fans its parts out to the worker, asynchronously, once per job id."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store
from .settings import part_size

logger = Logger()
tracer = Tracer()
metrics = Metrics()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        job = logic.parse_job(event)
    except logic.InvalidJob as exc:
        return {"status": "rejected", "error": {"type": "InvalidJob", "message": str(exc)}}
    parts = logic.split(job, part_size())
    if not store.create_job(job, len(parts)):
        logger.info("job submitted before", extra={"job_id": job.job_id})
        return {"status": "duplicate", "jobId": job.job_id, "job": store.job(job.job_id)}
    for part in parts:
        store.fan_out(part)
    metrics.add_metric(name="JobsStarted", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="PartsFannedOut", unit=MetricUnit.Count, value=len(parts))
    return {"status": "accepted", "jobId": job.job_id, "parts": len(parts)}
