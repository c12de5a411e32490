"""P27 reporter: which day a file belongs to, the day's query, and what a finished query means for the report."""

from __future__ import annotations

import json

import pytest

from sample_events import cold_start, lambda_context

pytestmark = pytest.mark.unit


def notification(*keys: str, event: str = "ObjectCreated:Put") -> dict:
    return {
        "Records": [{"eventName": event, "s3": {"bucket": {"name": "ingest"}, "object": {"key": key}}} for key in keys]
    }


def sqs_event(*bodies: dict | str) -> dict:
    return {
        "Records": [
            {
                "messageId": f"m-{n}",
                "receiptHandle": "r",
                "body": body if isinstance(body, str) else json.dumps(body),
                "attributes": {},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:p27-ingested",
                "awsRegion": "us-east-1",
            }
            for n, body in enumerate(bodies)
        ]
    }


def test_created_objects_are_read_from_the_notification_with_their_keys_decoded():
    from data_lake_reporting import logic

    files = logic.ingested_files(notification("sales/dt=2026-12-06/red+flower.csv"))
    assert files == [logic.Ingested("ingest", "sales/dt=2026-12-06/red flower.csv")]
    assert logic.ingested_files({"Event": "s3:TestEvent", "Bucket": "ingest"}) == []
    assert logic.ingested_files(notification("sales/dt=2026-12-06/a.csv", event="ObjectRemoved:Delete")) == []


@pytest.mark.parametrize("key", ["sales/a.csv", "sales/dt=2026-13-01/a.csv", "sales/dt=26-12-01/a.csv"])
def test_a_file_outside_a_day_folder_has_no_day(key):
    from data_lake_reporting import logic

    with pytest.raises(logic.NotADayFile):
        logic.day_of(key)


@pytest.mark.parametrize(
    "scheduled_time, timezone, days_back, day",
    [
        ("2026-12-08T05:00:00Z", "Asia/Tokyo", 1, "2026-12-07"),  # 14:00 on the 8th in Tokyo
        ("2026-12-07T23:30:00Z", "Europe/London", 1, "2026-12-06"),
        ("2026-12-07T23:30:00Z", "Pacific/Auckland", 1, "2026-12-07"),  # already the 8th there
        ("2026-12-07T06:00:00Z", "UTC", 0, "2026-12-07"),
        ("2027-03-01T06:00:00Z", "UTC", 1, "2027-02-28"),
    ],
)
def test_a_scheduled_report_names_the_day_before_its_firing_on_its_clock(scheduled_time, timezone, days_back, day):
    from data_lake_reporting import logic

    request = {"scheduledTime": scheduled_time, "timezone": timezone, "daysBack": days_back}
    assert logic.scheduled_day({"scheduledReport": request}) == day
    assert logic.scheduled_day(notification("sales/dt=2026-12-06/a.csv")) is None


@pytest.mark.parametrize(
    "request_",
    [
        {"timezone": "UTC"},
        {"scheduledTime": "2026-12-07T06:00:00Z", "timezone": "Mars/Olympus"},
        {"scheduledTime": "2026-12-07T06:00:00", "timezone": "UTC"},  # no zone: not Scheduler's UTC time
        {"scheduledTime": "yesterday"},
        {"scheduledTime": "2026-12-07T06:00:00Z", "daysBack": -1},
        "2026-12-07",
    ],
)
def test_a_scheduled_report_that_cannot_be_read_is_refused_clearly(request_):
    from data_lake_reporting import logic

    with pytest.raises(logic.NotAScheduledReport, match="cannot read the scheduled report"):
        logic.scheduled_day({"scheduledReport": request_})


def test_the_query_reports_one_day_per_region_and_takes_only_a_date():
    from data_lake_reporting import logic

    assert logic.day_of("sales/dt=2026-12-06/a.csv") == "2026-12-06"
    assert logic.report_query("sales", "2026-12-06") == (
        "SELECT region, count(*) AS sales, CAST(round(sum(amount), 2) AS DECIMAL(18, 2)) AS revenue FROM sales "
        "WHERE dt = '2026-12-06' GROUP BY region ORDER BY region"
    )
    with pytest.raises(ValueError):
        logic.report_query("sales", "2026-12-06' OR '1'='1")


def execution(state: str, reason: str | None = None) -> dict:
    status = {"State": state, **({"StateChangeReason": reason} if reason else {})}
    return {
        "QueryExecutionId": "q-1",
        "Status": status,
        "ResultConfiguration": {"OutputLocation": "s3://r/athena/q-1.csv"},
    }


def test_a_success_with_rows_is_reported_and_one_without_rows_is_a_failure():
    from data_lake_reporting import logic

    assert logic.outcome_of(execution("SUCCEEDED"), 3).reported
    empty = logic.outcome_of(execution("SUCCEEDED"), 0)
    assert (empty.state, empty.reported) == ("EMPTY", False)
    assert "projection range" in str(empty.reason)
    cancelled = logic.outcome_of(execution("CANCELLED", "Bytes scanned limit was exceeded"), None)
    assert (cancelled.state, cancelled.reason, cancelled.reported) == (
        "CANCELLED",
        "Bytes scanned limit was exceeded",
        False,
    )


@pytest.fixture
def reporter(monkeypatch):
    for name, value in {
        "WORKGROUP": "wg", "DATABASE": "lake", "TABLE": "sales", "REPORT_BUCKET": "reports",
        "REPORT_PREFIX": "reports/", "FAILURE_PREFIX": "failures/", "AWS_DEFAULT_REGION": "us-east-1",
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    from data_lake_reporting import handler, store

    cold_start("data_lake_reporting")
    calls: dict[str, list] = {"queries": [], "reports": [], "failures": []}

    def run_report(day, time_left_ms, has_files=True):
        calls["queries"].append(day)
        state = {"2026-12-06": ("SUCCEEDED", None, 2), "2026-12-05": ("FAILED", "HIVE_BAD_DATA: x", None)}[day]
        return handler.logic.outcome_of(execution(state[0], state[1]), state[2])

    monkeypatch.setattr(store, "run_report", run_report)
    monkeypatch.setattr(store, "keep_report", lambda day, outcome: calls["reports"].append(day) or f"reports/dt={day}")
    monkeypatch.setattr(
        store, "keep_failure", lambda day, outcome, files: calls["failures"].append((day, outcome.state)) or "f"
    )
    yield handler, calls
    cold_start("data_lake_reporting")


def test_one_query_per_day_of_a_message_and_a_failed_day_fails_only_its_message(reporter):
    handler, calls = reporter
    event = sqs_event(
        notification("sales/dt=2026-12-06/a.csv", "sales/dt=2026-12-06/b.csv"),
        notification("sales/dt=2026-12-05/a.csv"),
        {"Event": "s3:TestEvent"},
    )
    answer = handler.handler(event, lambda_context("p27-reporter"))
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    assert calls == {
        "queries": ["2026-12-06", "2026-12-05"],
        "reports": ["2026-12-06"],
        "failures": [("2026-12-05", "FAILED")],
    }


def test_a_scheduled_report_queries_the_day_it_names(reporter):
    handler, calls = reporter
    fired = {"scheduledReport": {"scheduledTime": "2026-12-07T06:00:00Z", "timezone": "UTC", "daysBack": 1}}
    answer = handler.handler(sqs_event(fired), lambda_context("p27-reporter"))
    assert answer == {"batchItemFailures": []}
    assert calls["queries"] == ["2026-12-06"] and calls["reports"] == ["2026-12-06"]


def test_no_rows_is_a_day_without_sales_when_scheduled_and_a_failure_when_a_file_was_notified(reporter, monkeypatch):
    handler, calls = reporter
    monkeypatch.setattr(
        handler.store,
        "run_report",
        lambda day, left, has_files=True: handler.logic.outcome_of(execution("SUCCEEDED", None), 0, has_files),
    )
    fired = {"scheduledReport": {"scheduledTime": "2026-12-07T06:00:00Z", "timezone": "UTC", "daysBack": 1}}
    answer = handler.handler(
        sqs_event(fired, notification("sales/dt=2026-12-05/a.csv")), lambda_context("p27-reporter")
    )
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    assert calls["reports"] == ["2026-12-06"]
    assert calls["failures"] == [("2026-12-05", "EMPTY")]


def test_a_message_that_is_not_a_notification_fails_and_is_kept(reporter):
    from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

    handler, calls = reporter
    # every message of the batch failed: the whole batch is retried
    with pytest.raises(BatchProcessingError):
        handler.handler(sqs_event("not json"), lambda_context("p27-reporter"))
    assert calls["queries"] == []


def test_a_report_from_an_older_query_never_replaces_a_newer_one(aws_credentials, monkeypatch):
    import boto3
    from moto import mock_aws

    for name, value in {"REPORT_BUCKET": "reports", "REPORT_PREFIX": "reports/", "FAILURE_PREFIX": "failures/"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="reports")
        s3.put_object(Bucket="reports", Key="athena/old.csv", Body=b'"region"\n"old"\n')
        s3.put_object(Bucket="reports", Key="athena/new.csv", Body=b'"region"\n"new"\n')
        from data_lake_reporting import logic, store

        cold_start("data_lake_reporting")
        newer = logic.Outcome("SUCCEEDED", None, "new", "s3://reports/athena/new.csv", submitted_ms=2000)
        older = logic.Outcome("SUCCEEDED", None, "old", "s3://reports/athena/old.csv", submitted_ms=1000)
        assert store.keep_report("2026-12-06", newer) == "reports/dt=2026-12-06/sales-by-region.csv"
        assert store.keep_report("2026-12-06", older) is None
        body = s3.get_object(Bucket="reports", Key="reports/dt=2026-12-06/sales-by-region.csv")["Body"].read()
        assert body == b'"region"\n"new"\n'
        cold_start("data_lake_reporting")
