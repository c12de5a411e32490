"""P11 pub-sub: one upload fans out through SNS to three queues and three processors, each failing alone."""

from __future__ import annotations

import gzip
import json
import time
import uuid
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from harness import Stack, applied_stack, as_role, authorized, package_zip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "pub-sub",
        local_cloud,
        tmp_path_factory.mktemp("p11"),
        code="p11",
        variables={"package_path": str(package_zip("pub-sub"))},
    ) as applied:
        yield applied


def upload(stack: Stack, key: str, body: bytes, content_type: str = "text/plain") -> None:
    stack.client("s3").put_object(
        Bucket=stack.outputs["pub_sub"]["uploads_bucket"], Key=key, Body=body, ContentType=content_type
    )


def output(stack: Stack, key: str, timeout: float = 30) -> bytes | None:
    """The output object's bytes, or None when there is no such key by the deadline (any other error raises)."""
    s3 = stack.client("s3")
    deadline = time.monotonic() + timeout
    while True:
        try:
            return s3.get_object(Bucket=stack.outputs["pub_sub"]["outputs_bucket"], Key=key)["Body"].read()
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "NoSuchKey":
                raise
            if time.monotonic() > deadline:
                return None
            time.sleep(0.3)


def dead_letters(stack: Stack, processor: str, wait_s: float) -> list[dict]:
    url = stack.outputs["pub_sub"]["processors"][processor]["dlq_url"]
    sqs = stack.client("sqs")
    deadline = time.monotonic() + wait_s
    while True:
        found = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        if found or time.monotonic() > deadline:
            return found


def test_one_upload_yields_all_three_outputs(stack):
    name = f"in/report {uuid.uuid4().hex[:6]}.txt"
    text = "quarterly report\nrevenue up\n" * 3
    upload(stack, name, text.encode())
    facts = json.loads(output(stack, f"metadata/{name}.json") or b"{}")
    assert (facts.get("lines"), facts.get("words"), facts.get("text")) == (6, 12, True), facts
    assert facts["source"] == f"s3://{stack.outputs['pub_sub']['uploads_bucket']}/{name}"
    assert output(stack, f"preview/{name}.txt") == text.encode()[:16]
    assert gzip.decompress(output(stack, f"gzip/{name}.gz") or b"") == text.encode()


@pytest.mark.failure_mode
def test_a_processor_failure_lands_in_its_own_dlq_and_the_others_finish(stack):
    name = f"in/logo-{uuid.uuid4().hex[:6]}.png"
    image = b"\x89PNG\r\n\x1a\n\xff\xfe\x00binary"
    upload(stack, name, image, content_type="image/png")
    # metadata and gzip handle any bytes
    assert json.loads(output(stack, f"metadata/{name}.json") or b"{}").get("text") is False
    assert gzip.decompress(output(stack, f"gzip/{name}.gz") or b"") == image
    # preview needs text: retried, then dead-lettered with the S3 notification that named the upload
    dead = dead_letters(stack, "preview", wait_s=60)
    assert len(dead) == 1
    record = json.loads(dead[0]["Body"])["Records"][0]
    assert record["s3"]["object"]["key"] == name
    assert output(stack, f"preview/{name}.txt", timeout=0) is None
    for other in ("metadata", "gzip"):
        assert dead_letters(stack, other, wait_s=1) == [], other


@pytest.mark.failure_mode
def test_uploads_outside_the_prefix_are_not_processed(stack):
    outside = f"elsewhere/{uuid.uuid4().hex[:6]}.txt"
    inside = f"in/after-{uuid.uuid4().hex[:6]}.txt"
    upload(stack, outside, b"ignored")
    upload(stack, inside, b"processed")
    # the upload made after it went through every processor: the one outside the prefix had its chance
    for key in (f"metadata/{inside}.json", f"preview/{inside}.txt", f"gzip/{inside}.gz"):
        assert output(stack, key) is not None, key
    for key in (f"metadata/{outside}.json", f"preview/{outside}.txt", f"gzip/{outside}.gz"):
        assert output(stack, key, timeout=0) is None, key


@pytest.mark.failure_mode
def test_reading_outputs_of_a_bucket_that_does_not_exist_is_an_error_not_an_absence(stack):
    """The absence checks above can only pass for the real outputs bucket."""
    wrong = Stack(
        stack.prefix,
        {"pub_sub": {**stack.outputs["pub_sub"], "outputs_bucket": f"{stack.prefix}-nope"}},
        stack.root,
        stack.cloud,
    )
    with pytest.raises(ClientError, match="NoSuchBucket"):
        output(wrong, "metadata/anything.json", timeout=0)


@pytest.mark.failure_mode
def test_each_processor_may_write_only_under_its_own_prefix(stack):
    """Each processor's role, assumed: a write under its own prefix passes, under another's is refused."""
    bucket = stack.outputs["pub_sub"]["outputs_bucket"]
    processors = stack.outputs["pub_sub"]["processors"]
    admin = stack.client("s3")
    for name, processor in processors.items():
        s3 = as_role(stack, processor["role_name"], "s3")
        own = f"{name}/authz-probe.txt"
        assert authorized(s3.put_object, Bucket=bucket, Key=own, Body=b"probe"), name
        admin.delete_object(Bucket=bucket, Key=own)
        for other in set(processors) - {name}:
            assert not authorized(s3.put_object, Bucket=bucket, Key=f"{other}/forged.txt", Body=b"x"), name
        assert not authorized(s3.put_object, Bucket=bucket, Key="forged.txt", Body=b"x"), name


def test_buckets_are_private_encrypted_and_versioned(stack):
    s3 = stack.client("s3")
    for bucket in (stack.outputs["pub_sub"]["uploads_bucket"], stack.outputs["pub_sub"]["outputs_bucket"]):
        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        assert all(block.values()), bucket
        assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
        rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
        assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
