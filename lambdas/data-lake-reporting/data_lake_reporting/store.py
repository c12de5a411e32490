"""Athena and the reporting bucket: start a day's query in the workgroup, wait for it, and keep its result
(or the record of its failure) where readers look."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import boto3

from . import logic, settings

FINISHED = ("SUCCEEDED", "FAILED", "CANCELLED")


@lru_cache(maxsize=1)
def _athena() -> Any:
    return boto3.client("athena")


@lru_cache(maxsize=1)
def _s3() -> Any:
    return boto3.client("s3")


# Below this much time left, a query is not started (or is stopped): the message comes back for a retry.
MARGIN_MS = 2000


def run_report(day: str, time_left_ms: Callable[[], int], has_files: bool = True) -> logic.Outcome:
    """Start the day's query in the workgroup (its output location and encryption) and wait while time allows;
    a query that outlives the time is stopped and its outcome is TIMED_OUT (recorded, and retried). Without
    files (a scheduled day) no rows is a day without sales, not a failure."""
    if time_left_ms() < MARGIN_MS * 2:
        raise TimeoutError(f"too little time left to report dt={day}: the message comes back")
    execution_id = _athena().start_query_execution(
        QueryString=logic.report_query(settings.table(), day),
        QueryExecutionContext={"Database": settings.database()},
        WorkGroup=settings.workgroup(),
    )["QueryExecutionId"]
    delay = 0.2
    while True:
        execution = _athena().get_query_execution(QueryExecutionId=execution_id)["QueryExecution"]
        if execution["Status"]["State"] in FINISHED:
            break
        if time_left_ms() < delay * 1000 + MARGIN_MS:
            _athena().stop_query_execution(QueryExecutionId=execution_id)
            still = execution["Status"]["State"]
            return logic.Outcome(
                "TIMED_OUT", f"still {still} when the reporter's time ran out; stopped", execution_id, None
            )
        time.sleep(delay)
        delay = min(delay * 2, 2.0)
    rows = None
    if execution["Status"]["State"] == "SUCCEEDED":
        page = _athena().get_query_results(QueryExecutionId=execution_id, MaxResults=2)
        rows = len(page["ResultSet"]["Rows"]) - 1  # the first row is the header
    return logic.outcome_of(execution, rows, has_files)


def _bucket_and_key(url: str) -> tuple[str, str]:
    bucket, _, key = url.removeprefix("s3://").partition("/")
    return bucket, key


def keep_report(day: str, outcome: logic.Outcome) -> str | None:
    """The result CSV copied to the day's stable name, unless a report from a later query is already there
    (notifications come in any order and two days' queries can finish out of order); None when it was."""
    assert outcome.output is not None
    source_bucket, source_key = _bucket_and_key(outcome.output)
    key = logic.report_key(settings.report_prefix(), day)
    try:
        kept = _s3().head_object(Bucket=settings.report_bucket(), Key=key)["Metadata"]
    except _s3().exceptions.ClientError as error:
        if error.response["Error"]["Code"] not in ("404", "NoSuchKey", "NotFound"):
            raise
        kept = {}
    if int(kept.get("query-submitted-ms", "0")) > outcome.submitted_ms:
        return None
    _s3().copy_object(
        Bucket=settings.report_bucket(),
        Key=key,
        CopySource={"Bucket": source_bucket, "Key": source_key},
        ContentType="text/csv",
        MetadataDirective="REPLACE",
        Metadata={"query-execution-id": outcome.execution_id, "query-submitted-ms": str(outcome.submitted_ms)},
    )
    return key


def keep_failure(day: str, outcome: logic.Outcome, files: list[logic.Ingested]) -> str:
    key = logic.failure_key(settings.failure_prefix(), day, outcome.execution_id)
    record = {
        "day": day,
        "queryExecutionId": outcome.execution_id,
        "state": outcome.state,
        "reason": outcome.reason,
        "files": [f"s3://{f.bucket}/{f.key}" for f in files],
    }
    _s3().put_object(
        Bucket=settings.report_bucket(), Key=key, Body=json.dumps(record).encode(), ContentType="application/json"
    )
    return key
