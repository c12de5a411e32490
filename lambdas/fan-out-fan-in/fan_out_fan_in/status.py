"""The job's state, read from the table: done parts, failed parts with their error, the result once complete."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store

logger = Logger()


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
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
