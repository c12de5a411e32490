"""P27 data-lake reporting: an ingested day is reported by an Athena query over the right table into the
reporting bucket, as a plain computation over the same files says; a failing query is recorded with its
state and reason and its message kept, not lost."""

from __future__ import annotations

import csv
import io
import json
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote_plus
from zoneinfo import ZoneInfo

import pytest

from harness import Stack, advance_schedule, applied_stack, as_role, authorized, drain_queue, package_zip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "data-lake-reporting",
        local_cloud,
        tmp_path_factory.mktemp("p27"),
        code="p27",
        variables={"package_path": str(package_zip("data-lake-reporting"))},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict[str, Any]:
    return stack.outputs["data_lake_reporting"]


def day(days_ago: int) -> str:
    return f"{datetime.now(UTC) - timedelta(days=days_ago):%Y-%m-%d}"


def sales_csv(rows: list[tuple[str, str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["region", "product", "amount"])
    writer.writerows(rows)
    return buffer.getvalue().encode()


def ingest(stack: Stack, dt: str, name: str, body: bytes) -> str:
    key = f"{outputs(stack)['ingest_prefix']}dt={dt}/{name}"
    stack.client("s3").put_object(Bucket=outputs(stack)["ingest_bucket_name"], Key=key, Body=body)
    return key


def report(stack: Stack, dt: str, expected_rows: int, timeout: float = 40) -> list[list[str]] | None:
    """The day's report once it has `expected_rows` regions (or what is there at timeout)."""
    s3, bucket = stack.client("s3"), outputs(stack)["reports_bucket_name"]
    key = f"{outputs(stack)['report_prefix']}dt={dt}/sales-by-region.csv"
    deadline = time.monotonic() + timeout
    rows = None
    while time.monotonic() < deadline:
        try:
            text = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
        except s3.exceptions.NoSuchKey:
            time.sleep(0.5)
            continue
        rows = list(csv.reader(io.StringIO(text)))
        if len(rows) - 1 >= expected_rows:
            return rows
        time.sleep(0.5)
    return rows


def failures(stack: Stack, dt: str) -> list[dict[str, Any]]:
    s3, bucket = stack.client("s3"), outputs(stack)["reports_bucket_name"]
    found = s3.list_objects_v2(Bucket=bucket, Prefix=f"{outputs(stack)['failure_prefix']}dt={dt}/").get("Contents", [])
    return [json.loads(s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()) for o in found]


def test_an_ingested_day_is_reported_by_a_query_over_the_table_as_python_computes_it(stack):
    dt = day(1)
    rng = random.Random(27)
    files = [
        [(rng.choice(["north", "south", "east"]), f"p{n}", f"{rng.randint(1, 9999) / 100:.2f}") for n in range(40)]
        for _ in range(2)
    ]
    for number, rows in enumerate(files):
        ingest(stack, dt, f"sales-{number}.csv", sales_csv(rows))
    counts: dict[str, int] = defaultdict(int)
    totals: dict[str, float] = defaultdict(float)
    for rows in files:
        for region, _, amount in rows:
            counts[region] += 1
            totals[region] += float(amount)

    rows = report(stack, dt, len(counts))

    assert rows is not None, "no report for the day"
    assert rows[0] == ["region", "sales", "revenue"]
    assert rows[1:] == [[r, str(counts[r]), f"{totals[r]:.2f}"] for r in sorted(counts)]
    # the query ran in the workgroup, over the right table and day, with its results in the reporting bucket
    athena = stack.client("athena")
    ids = athena.list_query_executions(WorkGroup=outputs(stack)["workgroup_name"])["QueryExecutionIds"]
    executions = athena.batch_get_query_execution(QueryExecutionIds=ids)["QueryExecutions"]
    ours = [e for e in executions if f"dt = '{dt}'" in e["Query"]]
    assert ours and all(f"FROM {outputs(stack)['table_name']} " in e["Query"] for e in ours)
    assert {e["QueryExecutionContext"]["Database"] for e in ours} == {outputs(stack)["database_name"]}
    assert all(
        e["ResultConfiguration"]["OutputLocation"].startswith(f"s3://{outputs(stack)['reports_bucket_name']}/athena/")
        for e in ours
    )


@pytest.mark.failure_mode
def test_a_failing_query_is_recorded_with_its_state_and_reason_and_its_message_kept_for_retry(stack):
    bad_data, too_old, too_big = day(2), day(365 * 6), day(3)
    ingest(stack, bad_data, "sales.csv", sales_csv([("north", "p1", "12.50"), ("south", "p2", "n/a")]))
    ingest(stack, too_old, "sales.csv", sales_csv([("north", "p1", "1.00")]))  # outside the projection's range
    big = sales_csv([("north", "p" * 1000, "1.00")] * 10_500)  # over the workgroup's 10 MiB scan limit
    ingest(stack, too_big, "sales.csv", big)

    kept = drain_queue(stack.client("sqs"), outputs(stack)["dlq_url"], wait_s=90, expect=3)

    # S3 URL-encodes the keys it notifies ("dt=" arrives as "dt%3D")
    kept_keys = {unquote_plus(json.loads(m["Body"])["Records"][0]["s3"]["object"]["key"]) for m in kept}
    assert {k.split("dt=")[1].split("/")[0] for k in kept_keys} == {bad_data, too_old, too_big}
    recorded = {dt: failures(stack, dt) for dt in (bad_data, too_old, too_big)}
    assert all(len(r) == 2 for r in recorded.values()), recorded  # one record per try (max_receive_count)
    bad = recorded[bad_data][0]
    assert (bad["state"], bad["reason"]) == (
        "FAILED",
        "HIVE_BAD_DATA: Error parsing field value 'n/a' for field 2: For input string: \"n/a\"",
    )
    assert recorded[too_old][0]["state"] == "EMPTY"
    assert "partition projection range" in recorded[too_old][0]["reason"]
    assert (recorded[too_big][0]["state"], recorded[too_big][0]["reason"]) == (
        "CANCELLED",
        "Bytes scanned limit was exceeded",
    )
    for dt in (bad_data, too_old, too_big):
        assert report(stack, dt, 1, timeout=0) is None


LONDON = ZoneInfo("Europe/London")


def next_evening_in_london(now: datetime) -> datetime:
    """The example's schedule, cron(30 23 * * ? *) on London's clock: the next 23:30 there after `now`."""
    local = now.astimezone(LONDON)
    evening = local.replace(hour=23, minute=30, second=0, microsecond=0)
    return evening if evening > local else (evening + timedelta(days=1)).replace(hour=23, minute=30)


def scheduled_day(answer: Any) -> datetime:
    assert answer.status == 200, answer.text
    return datetime.fromisoformat(answer.json()["ScheduledTime"].replace("Z", "+00:00")).astimezone(LONDON)


def test_each_firing_reports_its_day_and_a_day_without_sales_reports_none(stack):
    out = outputs(stack)
    # A file S3 does not notify (not .csv) but the table reads: only the schedule reports its day.
    expected = f"{next_evening_in_london(datetime.now(UTC)):%Y-%m-%d}"
    unnotified = sales_csv([("west", "p1", "4.50"), ("west", "p2", "0.25"), ("north", "p3", "1.00")])
    ingest(stack, expected, "sales.tsv", unnotified)

    fired = scheduled_day(advance_schedule(stack.cloud, out["report_schedule_arn"]))
    assert (fired.hour, fired.minute) == (23, 30), "the schedule fires at 23:30 on London's clock"
    dt = f"{fired:%Y-%m-%d}"  # days_back 0: the day so far
    if dt != expected:  # the clock crossed 23:30 in London since: the schedule fired that evening itself
        ingest(stack, dt, "sales.tsv", unnotified)
    rows = report(stack, dt, 2, timeout=60)
    assert rows == [["region", "sales", "revenue"], ["north", "1", "1.00"], ["west", "2", "4.75"]]

    # The next firing's day has no files: a report of no sales, not a failure.
    following = scheduled_day(advance_schedule(stack.cloud, out["report_schedule_arn"]))
    assert following - fired == timedelta(days=1)
    assert report(stack, f"{following:%Y-%m-%d}", 0, timeout=60) == [["region", "sales", "revenue"]]
    assert failures(stack, f"{following:%Y-%m-%d}") == []


@pytest.mark.failure_mode
def test_a_scheduled_request_the_role_cannot_deliver_is_counted_and_alarmed(stack):
    out = outputs(stack)
    iam, role = stack.client("iam"), out["scheduler_role_name"]
    policy = iam.get_role_policy(RoleName=role, PolicyName="least-privilege")["PolicyDocument"]
    # A schedule of its own in the group, so the stack's schedule keeps its place in time for the other test.
    scheduler, arn = stack.client("scheduler"), out["report_schedule_arn"]
    mine = {
        key: value
        for key, value in scheduler.get_schedule(GroupName=stack.prefix, Name=arn.rsplit("/", 1)[1]).items()
        if key in ("GroupName", "ScheduleExpression", "FlexibleTimeWindow", "Target")
    }
    probe = scheduler.create_schedule(Name=f"{stack.prefix}-probe", **mine)["ScheduleArn"]
    iam.delete_role_policy(RoleName=role, PolicyName="least-privilege")  # an operator's mistake
    try:
        scheduled_day(advance_schedule(stack.cloud, probe))
        cloudwatch = stack.client("cloudwatch")
        alarm = f"{stack.prefix}-schedule-undeliverable"
        deadline = time.monotonic() + 60
        state = None
        while time.monotonic() < deadline and state != "ALARM":
            time.sleep(2)
            state = cloudwatch.describe_alarms(AlarmNames=[alarm])["MetricAlarms"][0]["StateValue"]
    finally:
        iam.put_role_policy(RoleName=role, PolicyName="least-privilege", PolicyDocument=json.dumps(policy))
        scheduler.delete_schedule(GroupName=stack.prefix, Name=f"{stack.prefix}-probe")
    assert state == "ALARM", "neither the queue nor its dead-letter queue took the request: someone must know"
    counted = cloudwatch.get_metric_statistics(
        Namespace="AWS/Scheduler",
        MetricName="InvocationsFailedToBeSentToDeadLetterCount",
        Dimensions=[{"Name": "ScheduleGroup", "Value": stack.prefix}],
        StartTime=datetime.now(UTC) - timedelta(minutes=5),
        EndTime=datetime.now(UTC) + timedelta(minutes=1),
        Period=60,
        Statistics=["Sum"],
    )["Datapoints"]
    assert sum(point["Sum"] for point in counted) == 1


def test_each_role_may_do_its_part_only(stack):
    out = outputs(stack)
    ingest_bucket, reports_bucket = out["ingest_bucket_name"], out["reports_bucket_name"]
    reporter = as_role(stack, out["reporter_role_name"], "s3")
    assert authorized(reporter.get_object, Bucket=ingest_bucket, Key=f"{out['ingest_prefix']}missing.csv")
    assert not authorized(reporter.put_object, Bucket=ingest_bucket, Key=f"{out['ingest_prefix']}forged.csv", Body=b"")
    assert authorized(reporter.put_object, Bucket=reports_bucket, Key=f"{out['report_prefix']}probe", Body=b"")
    assert not authorized(reporter.put_object, Bucket=reports_bucket, Key="elsewhere/probe", Body=b"")
    athena = as_role(stack, out["reporter_role_name"], "athena")
    assert not authorized(athena.start_query_execution, QueryString="SELECT 1", WorkGroup="primary")
    glue = as_role(stack, out["reporter_role_name"], "glue")
    assert authorized(glue.get_table, DatabaseName=out["database_name"], Name=out["table_name"])
    assert not authorized(glue.delete_table, DatabaseName=out["database_name"], Name=out["table_name"])
    stack.client("s3").delete_object(Bucket=reports_bucket, Key=f"{out['report_prefix']}probe")
    scheduler = as_role(stack, out["scheduler_role_name"], "sqs")
    assert authorized(scheduler.send_message, QueueUrl=out["queue_url"], MessageBody='{"probe": true}')
    assert not authorized(scheduler.purge_queue, QueueUrl=out["queue_url"])
    assert not authorized(as_role(stack, out["scheduler_role_name"], "s3").list_objects_v2, Bucket=ingest_bucket)


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
