"""P16 event-driven processing: an upload becomes a report; nothing that fails is lost."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from botocore.exceptions import ClientError

from harness import Stack, applied_stack, as_role, authorized, package_zip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "event-driven-processing",
        local_cloud,
        tmp_path_factory.mktemp("p16"),
        code="p16",
        variables={"package_path": str(package_zip("event-driven-processing"))},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict:
    return stack.outputs["event_driven_processing"]


def upload(stack: Stack, key: str, body: bytes) -> None:
    stack.client("s3").put_object(Bucket=outputs(stack)["input_bucket_name"], Key=key, Body=body)


def output(stack: Stack, key: str, timeout: float = 30) -> dict | None:
    s3, deadline = stack.client("s3"), time.monotonic() + timeout
    while True:
        try:
            return json.loads(s3.get_object(Bucket=outputs(stack)["output_bucket_name"], Key=key)["Body"].read())
        except ClientError as error:
            if error.response["Error"]["Code"] != "NoSuchKey":
                raise
        if time.monotonic() > deadline:
            return None
        time.sleep(0.3)


def test_an_upload_produces_its_report_with_totals_a_plain_count_agrees_with(stack):
    rows = [("north", "12.40"), ("south", "3.05"), ("north", "0.60"), ("east", "100")] * 25
    body = "region,amount\n" + "".join(f"{r},{a}\n" for r, a in rows)
    upload(stack, "incoming/2026/q4 sales.csv", body.encode())
    report = output(stack, "reports/2026/q4 sales.json")
    assert report is not None, "no report"
    expected: dict[str, Decimal] = {}
    for row in csv.DictReader(io.StringIO(body)):
        expected[row["region"]] = expected.get(row["region"], Decimal(0)) + Decimal(row["amount"])
    assert report["totals"] == {region: f"{total:.2f}" for region, total in sorted(expected.items())}
    assert report["rows"] == 100 and report["status"] == "PROCESSED"
    assert report["source"]["key"] == "incoming/2026/q4 sales.csv" and report["source"]["versionId"]


@pytest.mark.failure_mode
def test_an_unreadable_upload_is_recorded_as_failed_with_the_reason(stack):
    upload(stack, "incoming/broken.csv", b"region,amount\nwest,12\nwest,twelve\n")
    failed = output(stack, "failed/broken.json")
    assert failed is not None, "the unreadable upload left no trace"
    assert (failed["status"], failed["reason"], failed["line"]) == ("FAILED", "amount 'twelve' is not a number", 3)
    assert output(stack, "reports/broken.json", timeout=1) is None


@pytest.mark.failure_mode
def test_an_upload_event_the_processor_keeps_failing_on_lands_in_the_dlq(stack):
    """The processor loses its read access (an outage, a broken policy): Lambda retries the event, then keeps
    it in the dead-letter queue, where it can be replayed once the cause is fixed."""
    iam, role = stack.client("iam"), outputs(stack)["role_name"]
    iam.put_role_policy(
        RoleName=role,
        PolicyName="outage",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:GetObject*", "Resource": "*"}]}
        ),
    )
    try:
        upload(stack, "incoming/during-outage.csv", b"region,amount\nwest,1\n")
        sqs, deadline, record = stack.client("sqs"), time.monotonic() + 30, None
        while record is None and time.monotonic() < deadline:
            for message in sqs.receive_message(
                QueueUrl=outputs(stack)["dlq_url"], WaitTimeSeconds=1, MaxNumberOfMessages=10
            ).get("Messages", []):
                record = json.loads(message["Body"])
    finally:
        iam.delete_role_policy(RoleName=role, PolicyName="outage")
    assert record is not None, "the failed event was lost"
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestPayload"]["Records"][0]["s3"]["object"]["key"] == "incoming/during-outage.csv"
    assert record["responsePayload"]["errorType"] == "AccessDenied"  # botocore models S3's AccessDenied
    assert output(stack, "reports/during-outage.json", timeout=1) is None


@pytest.mark.failure_mode
def test_uploads_outside_the_prefix_or_suffix_are_not_processed(stack):
    upload(stack, "elsewhere/sales.csv", b"region,amount\nwest,1\n")
    upload(stack, "incoming/notes.txt", b"region,amount\nwest,1\n")
    upload(stack, "incoming/marker.csv", b"region,amount\nwest,1\n")  # processed: the later uploads had their turn
    assert output(stack, "reports/marker.json") is not None
    assert output(stack, "reports/notes.json", timeout=1) is None
    listed = stack.client("s3").list_objects_v2(Bucket=outputs(stack)["output_bucket_name"]).get("Contents", [])
    assert not any("sales" in o["Key"] and "2026" not in o["Key"] for o in listed)


@pytest.mark.failure_mode
def test_the_processor_may_read_uploads_and_write_reports_but_never_write_its_input(stack):
    s3 = as_role(stack, outputs(stack)["role_name"], "s3")
    source, target = outputs(stack)["input_bucket_name"], outputs(stack)["output_bucket_name"]
    assert authorized(s3.get_object, Bucket=source, Key="incoming/absent.csv")
    assert not authorized(s3.get_object, Bucket=source, Key="private/absent.csv")
    assert not authorized(s3.put_object, Bucket=source, Key="incoming/loop.csv", Body=b"x")
    assert authorized(s3.put_object, Bucket=target, Key="reports/probe.json", Body=b"{}")
    assert not authorized(s3.put_object, Bucket=target, Key="elsewhere/probe.json", Body=b"{}")
    assert not authorized(s3.delete_object, Bucket=target, Key="reports/probe.json")


def test_buckets_are_private_encrypted_and_versioned_and_the_dlq_alarms(stack):
    s3 = stack.client("s3")
    for bucket in (outputs(stack)["input_bucket_name"], outputs(stack)["output_bucket_name"]):
        assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values()), bucket
        assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
        rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
        assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
        # Plain HTTP is refused to everyone, for the bucket and every object in it.
        (deny,) = [
            st
            for st in json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
            if st["Effect"] == "Deny"
        ]
        assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} and deny["Principal"] in (
            "*",
            {"AWS": "*"},
        )
        assert deny["Action"] in ("s3:*", ["s3:*"])
        assert sorted(deny["Resource"]) == [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]
    alarm = stack.client("cloudwatch").describe_alarms(AlarmNames=[outputs(stack)["dlq_alarm_name"]])["MetricAlarms"]
    assert [a["MetricName"] for a in alarm] == ["ApproximateNumberOfMessagesVisible"]


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
