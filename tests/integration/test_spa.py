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


def invalidations_of(stack: Stack, path: str) -> int:
    cloudfront, distribution = stack.client("cloudfront"), site(stack)["distribution_id"]
    listed = cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"].get("Items", [])
    batches = [cloudfront.get_invalidation(DistributionId=distribution, Id=i["Id"])["Invalidation"] for i in listed]
    return sum(path in (b["InvalidationBatch"]["Paths"].get("Items") or []) for b in batches)


def wait_until(condition: Any, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def test_a_released_file_is_served_new_once_its_change_is_invalidated(stack):
    s3, bucket = stack.client("s3"), site(stack)["bucket_name"]
    s3.put_object(Bucket=bucket, Key="release.txt", Body=b"one", ContentType="text/plain")
    assert wait_until(lambda: invalidations_of(stack, "/release.txt") == 1), "the upload was not invalidated"
    assert visit(stack, "/release.txt").body == b"one"
    assert visit(stack, "/release.txt").headers["X-Cache"] == "Hit from cloudfront"  # cached at the edge
    s3.put_object(Bucket=bucket, Key="release.txt", Body=b"two", ContentType="text/plain")
    assert wait_until(lambda: visit(stack, "/release.txt").body == b"two"), "the changed file stayed stale"
    assert invalidations_of(stack, "/release.txt") == 2


def sqs_batch(*bodies: str) -> str:
    return json.dumps({"Records": [{"messageId": f"m{n}", "body": body, "eventSource": "aws:sqs"}
                                   for n, body in enumerate(bodies)]})  # fmt: skip


def s3_notice(bucket: str, *keys: str) -> str:
    records = [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                "s3": {"bucket": {"name": bucket}, "object": {"key": key, "sequencer": f"{uuid.uuid4().int:X}"}}}
               for key in keys]  # fmt: skip
    return json.dumps({"Records": records})


def test_a_batch_delivered_twice_invalidates_once(stack):
    functions, cloudfront = stack.client("lambda"), stack.client("cloudfront")
    bucket = site(stack)["bucket_name"]
    batch = sqs_batch(s3_notice(bucket, "index.html"), s3_notice(bucket, "a b.js"))
    for _ in range(2):
        answer = functions.invoke(FunctionName=site(stack)["invalidator_function_name"], Payload=batch)
        assert answer.get("FunctionError") is None
        assert json.loads(answer["Payload"].read()) == {"batchItemFailures": []}
    listed = cloudfront.list_invalidations(DistributionId=site(stack)["distribution_id"])["InvalidationList"]
    made = [
        cloudfront.get_invalidation(DistributionId=site(stack)["distribution_id"], Id=item["Id"])["Invalidation"]
        for item in listed.get("Items", [])
    ]
    ours = [m for m in made if m["InvalidationBatch"]["Paths"].get("Items") == ["/index.html", "/", "/a%20b.js"]]
    assert len(ours) == 1  # CloudFront's answer to a repeated caller reference is the invalidation it made


@pytest.mark.failure_mode
def test_a_change_notice_that_is_not_s3s_lands_in_the_dlq_and_the_rest_of_its_batch_is_invalidated(stack):
    stack.client("sqs").send_message(QueueUrl=site(stack)["changes_queue_url"], MessageBody="not a site change")
    messages = drain_queue(stack.client("sqs"), site(stack)["invalidation_dlq_url"], wait_s=120)
    assert [m["Body"] for m in messages] == ["not a site change"]
    answer = stack.client("lambda").invoke(
        FunctionName=site(stack)["invalidator_function_name"],
        Payload=sqs_batch(s3_notice(site(stack)["bucket_name"], "ok.js"), "not json"),
    )
    assert json.loads(answer["Payload"].read()) == {"batchItemFailures": [{"itemIdentifier": "m1"}]}


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
