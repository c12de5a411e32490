"""P11 processors: S3 notifications parsed, three deterministic outputs, and failures that stay with one processor."""

from __future__ import annotations

import gzip
import json

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context, sqs_event

pytestmark = pytest.mark.unit

UPLOADS, OUTPUTS = "p11-uploads", "p11-outputs"


def notification(key: str, bucket: str = UPLOADS, version: str | None = None, event: str = "ObjectCreated:Put") -> str:
    obj = {"key": key, "size": 3, "eTag": "e"}
    if version:
        obj["versionId"] = version
    return json.dumps(
        {"Records": [{"eventSource": "aws:s3", "eventName": event, "s3": {"bucket": {"name": bucket}, "object": obj}}]}
    )


def test_notification_keys_are_url_decoded_and_the_test_event_names_nothing():
    from pub_sub import logic

    (upload,) = logic.uploads_in(notification("in/red+flower%281%29.txt", version="v1"))
    assert (upload.key, upload.version_id) == ("in/red flower(1).txt", "v1")
    assert logic.uploads_in(json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent"})) == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("nope", "not an S3 notification"),
        ("{}", "no Records"),
        (notification("a.txt", event="ObjectRemoved:Delete"), "not an object-created record"),
    ],
)
def test_messages_that_are_not_uploads_are_unprocessable(body, reason):
    from pub_sub import logic

    with pytest.raises(logic.UnprocessableUpload, match=reason):
        logic.uploads_in(body)


def test_metadata_counts_text_and_marks_binary():
    from pub_sub import logic

    upload = logic.Upload(UPLOADS, "doc.txt", 11, "e", None)
    facts = json.loads(logic.metadata(upload, b"hello world\nbye", "text/plain").body)
    assert (facts["lines"], facts["words"], facts["text"], facts["bytes"]) == (2, 3, True, 15)
    assert json.loads(logic.metadata(upload, b"\xff\xfe", "image/png").body)["text"] is False


def test_preview_cuts_at_a_character_boundary_and_refuses_binary():
    from pub_sub import logic

    upload = logic.Upload(UPLOADS, "doc.txt", 4, "e", None)
    assert logic.preview(upload, "aé€".encode(), 4).body == "aé".encode()  # € would need bytes 4-6
    with pytest.raises(logic.UnprocessableUpload, match="not UTF-8 text"):
        logic.preview(upload, b"\x89PNG\xff", 10)


def test_gzip_copy_is_the_same_bytes_every_time():
    from pub_sub import logic

    upload = logic.Upload(UPLOADS, "doc.txt", 4, "e", None)
    first, again = logic.compressed(upload, b"data"), logic.compressed(upload, b"data")
    assert first.body == again.body and gzip.decompress(first.body) == b"data"


@pytest.fixture
def processors(aws_credentials, monkeypatch):
    monkeypatch.setenv("OUTPUT_BUCKET", OUTPUTS)
    monkeypatch.setenv("PREVIEW_BYTES", "5")
    with mock_aws():
        s3 = boto3.client("s3")
        for bucket in (UPLOADS, OUTPUTS):
            s3.create_bucket(Bucket=bucket)
        from pub_sub import handler as handlers

        cold_start("pub_sub")
        yield handlers, s3
        cold_start("pub_sub")


def test_each_processor_writes_its_own_output_and_reports_only_its_failures(processors):
    handlers, s3 = processors
    s3.put_object(Bucket=UPLOADS, Key="notes/a b.txt", Body=b"hello world", ContentType="text/plain")
    s3.put_object(Bucket=UPLOADS, Key="logo.png", Body=b"\x89PNG\xff\xfe")
    event = sqs_event(("m1", notification("notes/a+b.txt")), ("m2", notification("logo.png")))
    assert handlers.metadata(event, lambda_context("p11-preview")) == {"batchItemFailures": []}
    assert handlers.gzip(event, lambda_context("p11-preview")) == {"batchItemFailures": []}
    assert handlers.preview(event, lambda_context("p11-preview")) == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=OUTPUTS)["Contents"])
    assert keys == [
        "gzip/logo.png.gz",
        "gzip/notes/a b.txt.gz",
        "metadata/logo.png.json",
        "metadata/notes/a b.txt.json",
        "preview/notes/a b.txt.txt",
    ]
    assert s3.get_object(Bucket=OUTPUTS, Key="preview/notes/a b.txt.txt")["Body"].read() == b"hello"


def test_the_version_named_by_the_notification_is_the_one_processed(processors):
    handlers, s3 = processors
    s3.put_bucket_versioning(Bucket=UPLOADS, VersioningConfiguration={"Status": "Enabled"})
    first = s3.put_object(Bucket=UPLOADS, Key="a.txt", Body=b"first version")["VersionId"]
    s3.put_object(Bucket=UPLOADS, Key="a.txt", Body=b"second")
    handlers.preview(sqs_event(("m1", notification("a.txt", version=first))), lambda_context("p11-preview"))
    assert s3.get_object(Bucket=OUTPUTS, Key="preview/a.txt.txt")["Body"].read() == b"first"
