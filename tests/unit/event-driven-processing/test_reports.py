"""P16: a sales CSV becomes a report; an unreadable one is recorded as failed with the reason."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context

pytestmark = pytest.mark.unit

INPUT, OUTPUT = "p16-input", "p16-output"


def test_a_csv_is_summarised_per_region_to_the_cent():
    from event_processing import logic

    data = b"Region,Amount\nnorth,10.10\nsouth,5\nnorth,0.20\n"
    assert logic.summarize(data) == {"rows": 3, "totals": {"north": "10.30", "south": "5.00"}}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"city,total\nx,1\n", "no region or amount column"),
        (b"region,amount\nnorth,ten\n", "line 2: amount 'ten' is not a number"),
        (b"region,amount\n,1\n", "line 2: region is empty"),
        (b"region,amount\nnorth,NaN\n", "not a number"),
    ],
)
def test_uploads_that_can_never_be_processed_say_why(data, reason):
    from event_processing import logic

    with pytest.raises(logic.Unreadable, match=reason):
        logic.summarize(data)


def test_report_and_failure_keys_keep_the_uploads_path():
    from event_processing import logic

    assert logic.output_key("incoming/2026/sales.csv", "incoming/", "reports/") == "reports/2026/sales.json"
    assert logic.output_key("incoming/noext", "incoming/", "failed/") == "failed/noext.json"


def s3_event(key: str, size: int, version: str | None = None) -> dict:
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "us-east-1",
                "eventName": "ObjectCreated:Put",
                "eventTime": "2026-11-29T00:00:00.000Z",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "c",
                    "bucket": {"name": INPUT, "arn": f"arn:aws:s3:::{INPUT}", "ownerIdentity": {"principalId": "x"}},
                    "object": {
                        "key": key,
                        "size": size,
                        "eTag": "e",
                        "sequencer": "1",
                        **({"versionId": version} if version else {}),
                    },
                },
            }
        ]
    }


@pytest.fixture
def function(aws_credentials, monkeypatch):
    for name, value in {
        "OUTPUT_BUCKET": OUTPUT,
        "INPUT_PREFIX": "incoming/",
        "REPORT_PREFIX": "reports/",
        "FAILED_PREFIX": "failed/",
        "MAX_BYTES": "1000",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3")
        for bucket in (INPUT, OUTPUT):
            s3.create_bucket(Bucket=bucket)
        from event_processing import handler

        cold_start("event_processing")
        yield handler, s3
        cold_start("event_processing")


def output(s3, key: str) -> dict:
    return json.loads(s3.get_object(Bucket=OUTPUT, Key=key)["Body"].read())


def test_an_upload_with_a_space_in_its_name_is_read_and_reported(function):
    handler, s3 = function
    s3.put_object(Bucket=INPUT, Key="incoming/q4 sales.csv", Body=b"region,amount\neast,2.5\n")
    answer = handler.handler(s3_event("incoming/q4+sales.csv", 22), lambda_context("p16-processor"))
    assert answer == {
        "results": [{"key": "incoming/q4 sales.csv", "status": "PROCESSED", "report": "reports/q4 sales.json"}]
    }
    assert output(s3, "reports/q4 sales.json")["totals"] == {"east": "2.50"}


def test_an_unreadable_upload_is_recorded_as_failed_not_retried(function):
    handler, s3 = function
    s3.put_object(Bucket=INPUT, Key="incoming/bad.csv", Body=b"region,amount\nwest,lots\n")
    handler.handler(s3_event("incoming/bad.csv", 24), lambda_context("p16-processor"))
    failed = output(s3, "failed/bad.json")
    assert (failed["status"], failed["reason"], failed["line"]) == ("FAILED", "amount 'lots' is not a number", 2)
    assert failed["source"] == {"bucket": INPUT, "key": "incoming/bad.csv", "versionId": None}


def test_an_upload_over_the_size_limit_is_recorded_as_failed_without_reading_it(function):
    handler, s3 = function
    handler.handler(s3_event("incoming/huge.csv", 5000), lambda_context("p16-processor"))
    assert "more than the 1000" in output(s3, "failed/huge.json")["reason"]


def test_an_upload_that_cannot_be_read_raises_so_lambda_retries_it(function):
    handler, _ = function
    with pytest.raises(Exception, match="NoSuchKey|does not exist"):
        handler.handler(s3_event("incoming/gone.csv", 10), lambda_context("p16-processor"))
