"""P29 spa: applied to the local cloud and driven end to end through its distribution."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from harness import Stack, applied_stack, drain_queue, http, package_zip, viewer_request

pytestmark = pytest.mark.integration

API_URL = "https://abc123.execute-api.us-east-1.amazonaws.com/v1"


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "spa",
        local_cloud,
        tmp_path_factory.mktemp("p29"),
        code="p29",
        variables={"package_path": str(package_zip("spa")), "api_url": API_URL},
    ) as applied:
        yield applied


def site(stack: Stack) -> dict[str, Any]:
    return stack.outputs["spa"]  # type: ignore[no-any-return]


def visit(stack: Stack, path: str, **headers: str) -> Any:
    return viewer_request(stack.cloud, site(stack)["domain_name"], path, headers=headers)


def test_the_app_is_served_at_the_root_and_for_every_deep_link(stack):
    root = visit(stack, "/")
    assert root.status == 200, root.text
    assert b"<title>Items</title>" in root.body
    deep = visit(stack, "/orders/42?tab=history")
    assert (deep.status, deep.body) == (200, root.body)
    script = visit(stack, "/app.js")
    assert script.status == 200
    assert script.headers["Content-Type"].startswith("text/javascript")


def test_the_app_is_told_its_backend_in_config_json(stack):
    config = visit(stack, "/config.json")
    assert config.status == 200
    assert config.json() == {"apiUrl": API_URL}
    assert config.headers["Cache-Control"] == "no-cache"


def test_every_answer_carries_the_security_headers(stack):
    headers = visit(stack, "/orders/42").headers
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "connect-src 'self' https://abc123.execute-api.us-east-1.amazonaws.com" in headers["Content-Security-Policy"]


def test_a_plain_http_viewer_is_redirected_to_https(stack):
    answer = viewer_request(stack.cloud, site(stack)["domain_name"], "/orders", https=False)
    assert answer.status == 301
    assert answer.headers["Location"] == f"https://{site(stack)['domain_name']}/orders"


def test_the_bucket_admits_the_distribution_and_no_other(stack):
    cloudfront, bucket = stack.client("cloudfront"), site(stack)["bucket_name"]
    statements = json.loads(stack.client("s3").get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
    reads = [s for s in statements if s.get("Effect") == "Allow"]
    assert [s["Condition"]["StringEquals"]["AWS:SourceArn"] for s in reads] == [site(stack)["distribution_arn"]]
    control = cloudfront.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": f"{stack.prefix}-intruder", "SigningProtocol": "sigv4", "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    )["OriginAccessControl"]["Id"]  # fmt: skip
    intruder = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": uuid.uuid4().hex, "Comment": f"{stack.prefix}-intruder", "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [{
                "Id": "s3", "DomainName": f"{bucket}.s3.us-east-1.amazonaws.com", "OriginAccessControlId": control,
                "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "allow-all",
                                     "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
        }
    )["Distribution"]  # fmt: skip
    try:
        refused = viewer_request(stack.cloud, intruder["DomainName"], "/index.html")
        assert refused.status == 403
        assert b"AccessDenied" in refused.body
    finally:
        config = cloudfront.get_distribution_config(Id=intruder["Id"])
        disabled = cloudfront.update_distribution(
            Id=intruder["Id"],
            IfMatch=config["ETag"],
            DistributionConfig={**config["DistributionConfig"], "Enabled": False},
        )
        cloudfront.delete_distribution(Id=intruder["Id"], IfMatch=disabled["ETag"])
        etag = cloudfront.get_origin_access_control(Id=control)["ETag"]
        cloudfront.delete_origin_access_control(Id=control, IfMatch=etag)


@pytest.mark.failure_mode
def test_direct_bucket_access_is_denied(stack):
    bucket = site(stack)["bucket_name"]
    anonymous = http("GET", f"{stack.cloud.endpoint}/{bucket}/index.html")
    assert anonymous.status == 403
    assert b"<Code>AccessDenied</Code>" in anonymous.body
    listing = http("GET", f"{stack.cloud.endpoint}/{bucket}?list-type=2")
    assert listing.status == 403


def test_a_released_file_is_served_new_once_its_change_is_invalidated(stack):
    s3, bucket = stack.client("s3"), site(stack)["bucket_name"]
    s3.put_object(Bucket=bucket, Key="release.txt", Body=b"one", ContentType="text/plain")
    assert visit(stack, "/release.txt").body == b"one"
    assert visit(stack, "/release.txt").headers["X-Cache"] == "Hit from cloudfront"
    s3.put_object(Bucket=bucket, Key="release.txt", Body=b"two", ContentType="text/plain")
    deadline = time.monotonic() + 30
    body = b""
    while time.monotonic() < deadline and body != b"two":
        time.sleep(0.5)
        body = visit(stack, "/release.txt").body
    assert body == b"two", "the invalidator did not invalidate the changed file"


def test_a_redelivered_change_invalidates_once(stack):
    functions, cloudfront = stack.client("lambda"), stack.client("cloudfront")
    record = {"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
              "s3": {"bucket": {"name": site(stack)["bucket_name"]},
                     "object": {"key": "index.html", "sequencer": f"{uuid.uuid4().int:X}"}}}  # fmt: skip
    answers = [
        json.loads(functions.invoke(FunctionName=site(stack)["invalidator_function_name"],
                                    Payload=json.dumps({"Records": [record]}))["Payload"].read())
        for _ in range(2)
    ]  # fmt: skip
    assert answers[0]["paths"] == ["/index.html", "/"]
    assert answers[0]["invalidation"] == answers[1]["invalidation"]  # CloudFront's answer to a repeated reference
    made = cloudfront.get_invalidation(DistributionId=site(stack)["distribution_id"], Id=answers[0]["invalidation"])
    assert made["Invalidation"]["InvalidationBatch"]["Paths"]["Items"] == ["/index.html", "/"]


@pytest.mark.failure_mode
def test_an_event_the_invalidator_cannot_handle_lands_in_the_dlq(stack):
    functions = stack.client("lambda")
    functions.invoke(
        FunctionName=site(stack)["invalidator_function_name"],
        InvocationType="Event",
        Payload=json.dumps({"Records": [{"eventSource": "aws:sqs", "body": "not a site change"}]}),
    )
    messages = drain_queue(stack.client("sqs"), site(stack)["invalidation_dlq_url"], wait_s=60)
    assert len(messages) == 1
    record = json.loads(messages[0]["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["responsePayload"]["errorType"] == "BadEvent"


def test_the_invalidator_may_invalidate_its_distribution_only(stack):
    from harness import as_role

    cloudfront = as_role(stack, site(stack)["invalidator_role_name"], "cloudfront")
    batch = {"Paths": {"Quantity": 1, "Items": ["/x"]}, "CallerReference": uuid.uuid4().hex}
    cloudfront.create_invalidation(DistributionId=site(stack)["distribution_id"], InvalidationBatch=batch)
    with pytest.raises(cloudfront.exceptions.ClientError, match="AccessDenied"):
        cloudfront.list_distributions()


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
