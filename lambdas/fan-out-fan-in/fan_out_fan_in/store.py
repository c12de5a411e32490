"""The jobs table and S3, each client made once per cold start.

Items: (jobId, "JOB") holds the job (parts, done, status, result); (jobId, "PART#0001") each part's
status, result or error. Completion is counted in the table, never inferred from time.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

from .logic import Job, Part
from .settings import documents_bucket, jobs_table, worker_function

JOB = "JOB"


def part_key(number: int) -> str:
    return f"PART#{number:04d}"


@lru_cache(maxsize=1)
def _table() -> Any:
    return boto3.resource("dynamodb").Table(jobs_table())


@lru_cache(maxsize=1)
def _lambda() -> Any:
    return boto3.client("lambda")


@lru_cache(maxsize=1)
def _s3() -> Any:
    return boto3.client("s3")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def create_job(job: Job, parts: int) -> bool:
    """Record the job; False when this job id was submitted before (nothing is fanned out again)."""
    try:
        _table().put_item(
            Item={
                "jobId": job.job_id,
                "sk": JOB,
                "parts": parts,
                "done": 0,
                "status": "RUNNING",
                "documents": len(job.keys),
            },
            ConditionExpression="attribute_not_exists(jobId)",
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def fan_out(part: Part) -> None:
    _lambda().invoke(
        FunctionName=worker_function(), InvocationType="Event", Payload=json.dumps(part.as_event()).encode()
    )


def read_document(key: str) -> str:
    body: bytes = _s3().get_object(Bucket=documents_bucket(), Key=key)["Body"].read()
    return body.decode("utf-8", errors="replace")


def complete_part(part: Part, words: dict[str, int]) -> tuple[int, int] | None:
    """Record a part done, once: the job's (done parts, parts) afterwards, or None if it was done before."""
    try:
        _table().put_item(
            Item={
                "jobId": part.job_id,
                "sk": part_key(part.number),
                "part": part.number,
                "status": "DONE",
                "words": words,
            },
            ConditionExpression="attribute_not_exists(jobId) OR #status <> :done",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":done": "DONE"},
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return None  # a duplicate delivery of a part already counted
        raise
    answer = _table().update_item(
        Key={"jobId": part.job_id, "sk": JOB},
        UpdateExpression="ADD done :one",
        ExpressionAttributeValues={":one": 1},
        ReturnValues="ALL_NEW",
    )["Attributes"]
    return int(answer["done"]), int(answer["parts"])


def fail_part(part: Part, error: str) -> None:
    """Name the failing part in the table (unless a later attempt already did it): the job shows why it waits."""
    try:
        _table().put_item(
            Item={
                "jobId": part.job_id,
                "sk": part_key(part.number),
                "part": part.number,
                "status": "FAILED",
                "error": error[:1000],
            },
            ConditionExpression="attribute_not_exists(jobId) OR #status <> :done",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":done": "DONE"},
        )
    except ClientError as failure:
        if failure.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


def job(job_id: str) -> dict[str, Any] | None:
    item = _table().get_item(Key={"jobId": job_id, "sk": JOB}, ConsistentRead=True).get("Item")
    return None if item is None else _plain(item)


def parts(job_id: str) -> list[dict[str, Any]]:
    found, start = [], None
    while True:
        extra: dict[str, str] = {"ExclusiveStartKey": start} if start else {}
        answer = _table().query(
            KeyConditionExpression="jobId = :job AND begins_with(sk, :part)",
            ExpressionAttributeValues={":job": job_id, ":part": "PART#"},
            ConsistentRead=True,
            **extra,
        )
        found += [_plain(i) for i in answer["Items"]]
        start = answer.get("LastEvaluatedKey")
        if not start:
            return found


def finish(job_id: str, result: dict[str, Any]) -> bool:
    """Mark the job complete with its result, once (the worker that counted the last part does it)."""
    try:
        _table().update_item(
            Key={"jobId": job_id, "sk": JOB},
            UpdateExpression="SET #status = :complete, #result = :result",
            ConditionExpression="#status = :running",
            ExpressionAttributeNames={"#status": "status", "#result": "result"},
            ExpressionAttributeValues={":complete": "COMPLETE", ":running": "RUNNING", ":result": result},
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True
