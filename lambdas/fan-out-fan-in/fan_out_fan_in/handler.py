"""The fan-out/fan-in functions, one handler each:

- `split`: The splitter: records the job and fans its parts out to the worker, asynchronously, once per job id.
- `work`: A worker, invoked asynchronously per part: counts the words of its documents and records the part once.
  The worker that records the last part (the table's count says so) fans in: it combines every part's result into the job's. A part that fails is named in the table with the error, then raised so Lambda retries it; what still fails lands in the dead-letter queue and the job stays RUNNING, visibly waiting.
- `status`: The job's state, read from the table: done parts, failed parts with their error, the result once complete.
"""

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
def split(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
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


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def work(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
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


@logger.inject_lambda_context
def status(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    job_id = event.get("jobId") if isinstance(event, dict) else None
    if not isinstance(job_id, str) or not logic.JOB_ID.match(job_id):
        return {"status": "rejected", "error": {"type": "InvalidRequest", "message": "jobId is required"}}
    job = store.job(job_id)
    if job is None:
        return {"status": "unknown", "jobId": job_id}
    parts = store.parts(job_id)
    failed = [{"part": p["part"], "error": p["error"]} for p in parts if p["status"] == "FAILED"]
    answer = {
        "jobId": job_id,
        "status": job["status"],
        "parts": job["parts"],
        "done": job["done"],
        "failedParts": sorted(failed, key=lambda f: f["part"]),
    }
    if "result" in job:
        answer["result"] = job["result"]
    return answer
