"""Which day an ingested file belongs to, the query that reports it, and what a finished query means.

Files land under `<ingest prefix>dt=YYYY-MM-DD/` (the table's partition projection reads that folder); the
report of a day sums its sales per region over every file of that day, so a second file of the same day
reports the day again, whole. A query that did not succeed, or found no rows for a day that has a file
(a partition outside the table's projection range), is a failure: recorded with its state and reason, and
the message kept for retry.

A scheduled report (EventBridge Scheduler sends the reporter's queue a message at each firing) names the day
`daysBack` days before the firing's date on the schedule's clock; a day without sales is reported as such
(the report holds only its header, and the day is counted), not as a failure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import unquote_plus
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY = re.compile(r"(?:^|/)dt=(\d{4}-\d{2}-\d{2})/")


class NotADayFile(ValueError):
    """An object outside a day folder: no partition holds it, so no report can include it."""


class NotAScheduledReport(ValueError):
    """A scheduled report's message without a firing time, time zone or number of days that can be read."""


@dataclass(frozen=True)
class Ingested:
    bucket: str
    key: str


@dataclass(frozen=True)
class Outcome:
    state: str  # SUCCEEDED, FAILED, CANCELLED, EMPTY (no rows for a day that has a file) or TIMED_OUT
    reason: str | None
    execution_id: str
    output: str | None
    submitted_ms: int = 0  # when the query was submitted: a report from an older query never replaces it
    rows: int | None = None  # data rows of a success

    @property
    def reported(self) -> bool:
        return self.state == "SUCCEEDED"


def ingested_files(message_body: dict[str, Any]) -> list[Ingested]:
    """The objects an S3 event notification names (none for S3's test event on a new configuration)."""
    if message_body.get("Event") == "s3:TestEvent":
        return []
    files = []
    for record in message_body.get("Records") or []:
        if not str(record.get("eventName", "")).startswith("ObjectCreated:"):
            continue
        s3 = record["s3"]
        # S3 URL-encodes keys in event records ("dt=2026-12-07/red flower.csv" arrives with a "+").
        files.append(Ingested(s3["bucket"]["name"], unquote_plus(s3["object"]["key"])))
    return files


def scheduled_day(message_body: dict[str, Any]) -> str | None:
    """The day a scheduled report's message names (None for any other message): `daysBack` days before the
    date of `scheduledTime` (Scheduler's `<aws.scheduler.scheduled-time>`, UTC) on the `timezone` clock."""
    request = message_body.get("scheduledReport")
    if request is None:
        return None
    try:
        fired = datetime.fromisoformat(str(request["scheduledTime"]).replace("Z", "+00:00"))
        days_back = int(request.get("daysBack", 1))
        local = fired.astimezone(ZoneInfo(str(request.get("timezone", "UTC"))))
    except (KeyError, TypeError, ValueError, ZoneInfoNotFoundError) as exc:
        raise NotAScheduledReport(f"cannot read the scheduled report {request!r}: {exc!r}") from None
    if fired.tzinfo is None or not 0 <= days_back <= 366:
        raise NotAScheduledReport(f"cannot read the scheduled report {request!r}: a UTC time and 0-366 days back")
    return (local.date() - timedelta(days=days_back)).isoformat()


def day_of(key: str) -> str:
    match = DAY.search(key)
    if match is None:
        raise NotADayFile(f"{key} is not under a dt=YYYY-MM-DD/ folder")
    try:
        date.fromisoformat(match.group(1))
    except ValueError:
        raise NotADayFile(f"{key}: {match.group(1)} is not a date") from None
    return match.group(1)


def report_query(table: str, day: str) -> str:
    """Sales per region of one day (the day is a validated date: nothing else reaches the SQL)."""
    date.fromisoformat(day)
    return (
        # A decimal, not a double: Athena writes doubles Java-style (1.0E7 past ten million).
        f"SELECT region, count(*) AS sales, CAST(round(sum(amount), 2) AS DECIMAL(18, 2)) AS revenue FROM {table} "
        f"WHERE dt = '{day}' GROUP BY region ORDER BY region"
    )


def report_key(report_prefix: str, day: str) -> str:
    return f"{report_prefix}dt={day}/sales-by-region.csv"


def failure_key(failure_prefix: str, day: str, execution_id: str) -> str:
    return f"{failure_prefix}dt={day}/{execution_id}.json"


def outcome_of(execution: dict[str, Any], result_rows: int | None, has_files: bool = True) -> Outcome:
    """A finished query execution as the report sees it; result_rows counts the data rows of a success. No rows
    for a day that has files is a failure; for a day asked for by the schedule, a day without sales."""
    status = execution["Status"]
    state, reason = status["State"], status.get("StateChangeReason")
    output = (execution.get("ResultConfiguration") or {}).get("OutputLocation")
    if state == "SUCCEEDED" and result_rows == 0 and has_files:
        state = "EMPTY"
        reason = "no rows for a day that has a file: is its dt within the table's partition projection range?"
    submitted = status.get("SubmissionDateTime")
    submitted_ms = int(submitted.timestamp() * 1000) if hasattr(submitted, "timestamp") else 0
    return Outcome(state, reason, execution["QueryExecutionId"], output, submitted_ms, result_rows)
