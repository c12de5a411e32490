"""The local edge serves distributions as CloudFront does: origins reached as they allow, the cache, the policies."""

from __future__ import annotations

import gzip
import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from harness import HttpAnswer, viewer_request
from harness import http as http_request

pytestmark = pytest.mark.localcloud

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03"
ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"
# Every method a behaviour may allow, the GET and HEAD answers cached.
ALL_METHODS = {
    "Quantity": 7,
    "Items": ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
    "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]},
}


class Origin(BaseHTTPRequestHandler):
    """A loopback origin: /echo answers what it received; /status/N answers N; /slow/S sleeps S seconds."""

    seen: list[dict[str, Any]] = []

    def _answer(self) -> None:
        path, _, query = self.path.partition("?")
        Origin.seen.append({"method": self.command, "path": path, "query": query, "headers": dict(self.headers)})
        if path.startswith("/slow/"):
            time.sleep(float(path.rsplit("/", 1)[1]))
        status = int(path.rsplit("/", 1)[1]) if path.startswith("/status/") else 200
        body = json.dumps({"path": path, "query": query, "headers": {k.lower(): v for k, v in self.headers.items()}})
        data = (body + " " * 2000).encode()  # big enough to compress
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if query.startswith("max-age="):
            self.send_header("Cache-Control", query)
        if path == "/cookie":
            self.send_header("Set-Cookie", "session=abc; Secure; HttpOnly")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def origin_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Origin)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def bucket_policy_for(bucket: str, distribution_arn: str, *, list_bucket: bool = False) -> str:
    statements = [
        {
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{bucket}/*",
            "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
        }
    ]
    if list_bucket:
        statements.append({**statements[0], "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"})
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def s3_origin(bucket: str, control: str | None) -> dict[str, Any]:
    origin: dict[str, Any] = {
        "Id": "site",
        "DomainName": f"{bucket}.s3.us-east-1.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }
    if control:
        origin["OriginAccessControlId"] = control
    return origin


def custom_origin(origin_id: str, port: int, **extra: Any) -> dict[str, Any]:
    return {
        "Id": origin_id,
        "DomainName": "127.0.0.1",
        "CustomOriginConfig": {
            "HTTPPort": port, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only",
            "OriginReadTimeout": extra.pop("read_timeout", 30),
        },
        **extra,
    }  # fmt: skip


def behaviour(origin_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "TargetOriginId": origin_id,
        "ViewerProtocolPolicy": "allow-all",
        "CachePolicyId": CACHING_OPTIMIZED,
        **extra,
    }


def create_distribution(aws: Any, origins: list[dict[str, Any]], default: dict[str, Any], **config: Any) -> dict:
    cloudfront = aws("cloudfront")
    return cloudfront.create_distribution(  # type: ignore[no-any-return]
        DistributionConfig={
            "CallerReference": uuid.uuid4().hex,
            "Comment": "",
            "Enabled": True,
            "Origins": {"Quantity": len(origins), "Items": origins},
            "DefaultCacheBehavior": default,
            **config,
        }
    )["Distribution"]


def oac(aws: Any, name: str) -> str:
    return aws("cloudfront").create_origin_access_control(  # type: ignore[no-any-return]
        OriginAccessControlConfig={
            "Name": name, "SigningProtocol": "sigv4", "SigningBehavior": "always", "OriginAccessControlOriginType": "s3",
        }
    )["OriginAccessControl"]["Id"]  # fmt: skip


def invalidate(aws: Any, distribution: dict, *paths: str) -> None:
    aws("cloudfront").create_invalidation(
        DistributionId=distribution["Id"],
        InvalidationBatch={
            "Paths": {"Quantity": len(paths), "Items": list(paths)},
            "CallerReference": uuid.uuid4().hex,
        },
    )


def get(cloud: Any, distribution: dict, path: str, method: str = "GET", **headers: str) -> HttpAnswer:
    return http_request(method, f"{cloud.endpoint}{path}", headers={"Host": distribution["DomainName"], **headers})


@pytest.fixture(scope="module")
def site(local_cloud: Any) -> dict[str, Any]:
    """A private bucket behind an origin access control, with an SPA's error routing."""
    from harness import client

    aws = lambda service: client(local_cloud, service)  # noqa: E731
    bucket = f"edge-{uuid.uuid4().hex[:8]}"
    s3 = aws("s3")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="index.html", Body=b"<html>the app</html>", ContentType="text/html")
    s3.put_object(Bucket=bucket, Key="app.js", Body=b"console.log('x');" * 200, ContentType="application/javascript")
    distribution = create_distribution(
        aws,
        [s3_origin(bucket, oac(aws, bucket))],
        behaviour("site", ResponseHeadersPolicyId=SECURITY_HEADERS, Compress=True),
        DefaultRootObject="index.html",
        CustomErrorResponses={
            "Quantity": 2,
            "Items": [
                {"ErrorCode": 403, "ResponsePagePath": "/index.html", "ResponseCode": "200", "ErrorCachingMinTTL": 0},
                {"ErrorCode": 404, "ResponsePagePath": "/index.html", "ResponseCode": "200", "ErrorCachingMinTTL": 0},
            ],
        },
    )
    s3.put_bucket_policy(Bucket=bucket, Policy=bucket_policy_for(bucket, distribution["ARN"]))
    return {"bucket": bucket, "distribution": distribution}


def test_root_serves_the_default_root_object_from_the_private_bucket(local_cloud, site) -> None:
    answer = get(local_cloud, site["distribution"], "/")
    assert answer.status == 200, answer.text
    assert answer.body == b"<html>the app</html>"
    assert answer.headers["Server"] == "AmazonS3"
    assert answer.headers["Via"].endswith(".cloudfront.net (CloudFront)")


def test_a_favicon_at_the_bucket_root_is_served_like_any_object(local_cloud, site) -> None:
    from harness import client

    icon = b"\x00\x00\x01\x00 an icon"
    client(local_cloud, "s3").put_object(
        Bucket=site["bucket"], Key="favicon.ico", Body=icon, ContentType="image/x-icon"
    )
    answer = get(local_cloud, site["distribution"], "/favicon.ico")
    assert (answer.status, answer.body, answer.headers["Content-Type"]) == (200, icon, "image/x-icon")


def test_deep_link_is_the_app_page_with_200_through_the_custom_error_response(local_cloud, site) -> None:
    answer = get(local_cloud, site["distribution"], "/orders/42")
    assert (answer.status, answer.body) == (200, b"<html>the app</html>")


def test_direct_anonymous_bucket_read_is_access_denied(local_cloud, site) -> None:
    answer = http_request("GET", f"{local_cloud.endpoint}/{site['bucket']}/index.html")
    assert answer.status == 403
    assert b"<Code>AccessDenied</Code>" in answer.body


def test_another_distribution_is_refused_by_the_bucket_policy(local_cloud, aws, site) -> None:
    bucket = site["bucket"]
    other = create_distribution(aws, [s3_origin(bucket, oac(aws, f"{bucket}-other"))], behaviour("site"))
    answer = get(local_cloud, other, "/index.html")
    assert answer.status == 403
    assert b"AccessDenied" in answer.body
    assert answer.headers["X-Cache"] == "Error from cloudfront"


def test_missing_object_is_403_without_list_bucket_and_404_with_it(local_cloud, aws) -> None:
    bucket = f"edge-{uuid.uuid4().hex[:8]}"
    aws("s3").create_bucket(Bucket=bucket)
    distribution = create_distribution(
        aws, [s3_origin(bucket, oac(aws, bucket))], behaviour("site", CachePolicyId=CACHING_DISABLED)
    )
    aws("s3").put_bucket_policy(Bucket=bucket, Policy=bucket_policy_for(bucket, distribution["ARN"]))
    assert get(local_cloud, distribution, "/nothing-here").status == 403
    aws("s3").put_bucket_policy(Bucket=bucket, Policy=bucket_policy_for(bucket, distribution["ARN"], list_bucket=True))
    # The 403 stays cached for the error caching minimum TTL (10 s), as in CloudFront, until invalidated.
    assert get(local_cloud, distribution, "/nothing-here").headers["X-Cache"] == "Error from cloudfront"
    invalidate(aws, distribution, "/nothing-here")
    answer = get(local_cloud, distribution, "/nothing-here")
    assert answer.status == 404
    assert b"NoSuchKey" in answer.body


def test_object_under_a_kms_key_needs_the_key_policy_to_admit_cloudfront(local_cloud, aws) -> None:
    kms = aws("kms")
    key = kms.create_key()["KeyMetadata"]["Arn"]
    bucket = f"edge-{uuid.uuid4().hex[:8]}"
    aws("s3").create_bucket(Bucket=bucket)
    aws("s3").put_object(Bucket=bucket, Key="secret.txt", Body=b"s", ServerSideEncryption="aws:kms", SSEKMSKeyId=key)
    distribution = create_distribution(
        aws, [s3_origin(bucket, oac(aws, bucket))], behaviour("site", CachePolicyId=CACHING_DISABLED)
    )
    aws("s3").put_bucket_policy(Bucket=bucket, Policy=bucket_policy_for(bucket, distribution["ARN"]))
    assert get(local_cloud, distribution, "/secret.txt").status == 403
    key_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "kms:Decrypt",
                "Resource": "*",
                "Condition": {"StringEquals": {"AWS:SourceArn": distribution["ARN"]}},
            },
        ],
    }
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps(key_policy))
    invalidate(aws, distribution, "/secret.txt")  # the 403 is cached for 10 s
    answer = get(local_cloud, distribution, "/secret.txt")
    assert (answer.status, answer.body) == (200, b"s")


def test_second_request_is_a_hit_and_an_invalidation_empties_it(local_cloud, aws, site) -> None:
    distribution = site["distribution"]
    first = get(local_cloud, distribution, "/app.js")
    second = get(local_cloud, distribution, "/app.js")
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("Miss from cloudfront", "Hit from cloudfront")
    assert "Age" in second.headers
    invalidate(aws, distribution, "/app*")
    assert get(local_cloud, distribution, "/app.js").headers["X-Cache"] == "Miss from cloudfront"


def test_a_cached_object_is_served_until_invalidated_even_when_the_bucket_changed(local_cloud, aws, site) -> None:
    distribution, bucket = site["distribution"], site["bucket"]
    aws("s3").put_object(Bucket=bucket, Key="version.txt", Body=b"one", ContentType="text/plain")
    assert get(local_cloud, distribution, "/version.txt").body == b"one"
    aws("s3").put_object(Bucket=bucket, Key="version.txt", Body=b"two", ContentType="text/plain")
    assert get(local_cloud, distribution, "/version.txt").body == b"one"
    invalidate(aws, distribution, "/version.txt")
    assert get(local_cloud, distribution, "/version.txt").body == b"two"


def test_response_headers_policy_adds_the_security_headers(local_cloud, site) -> None:
    headers = get(local_cloud, site["distribution"], "/index.html").headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_compressible_object_is_gzipped_for_a_viewer_that_accepts_it(local_cloud, site) -> None:
    answer = get(local_cloud, site["distribution"], "/app.js", **{"Accept-Encoding": "gzip"})
    assert answer.headers.get("Content-Encoding") == "gzip"
    assert gzip.decompress(answer.body) == b"console.log('x');" * 200
    plain = get(local_cloud, site["distribution"], "/app.js")
    assert "Content-Encoding" not in plain.headers


def test_path_pattern_routes_to_its_origin_with_custom_header_and_policies(local_cloud, aws, site, origin_port) -> None:
    api_behaviour = behaviour(
        "api", PathPattern="/api/*", CachePolicyId=CACHING_DISABLED, OriginRequestPolicyId=ALL_VIEWER_EXCEPT_HOST,
        AllowedMethods=ALL_METHODS,
    )  # fmt: skip
    api = custom_origin(
        "api",
        origin_port,
        CustomHeaders={"Quantity": 1, "Items": [{"HeaderName": "X-Origin-Verify", "HeaderValue": "s3cr3t"}]},
    )
    distribution = create_distribution(
        aws, [s3_origin(site["bucket"], oac(aws, f"{site['bucket']}-api")), api], behaviour("site"),
        CacheBehaviors={"Quantity": 1, "Items": [api_behaviour]},
    )  # fmt: skip
    answer = get(local_cloud, distribution, "/api/echo?a=1", Authorization="Bearer t", Cookie="s=1")
    assert answer.status == 200, answer.text
    seen = answer.json()
    assert (seen["path"], seen["query"]) == ("/api/echo", "a=1")
    assert seen["headers"]["x-origin-verify"] == "s3cr3t"
    assert seen["headers"]["cookie"] == "s=1"
    assert seen["headers"]["host"] == "127.0.0.1"  # the viewer's Host is not forwarded
    assert seen["headers"]["x-amz-cf-id"] == answer.headers["X-Amz-Cf-Id"]
    proxied = get(local_cloud, distribution, "/api/echo", **{"X-Forwarded-For": "203.0.113.7"}).json()
    assert proxied["headers"]["x-forwarded-for"] == "203.0.113.7, 127.0.0.1"  # CloudFront appends the viewer
    assert seen["headers"]["authorization"] == "Bearer t"  # all viewer headers, as caching is disabled
    assert get(local_cloud, distribution, "/api/echo").headers["X-Cache"] == "Miss from cloudfront"
    assert (
        http_request("POST", f"{local_cloud.endpoint}/api/echo", b"{}", {"Host": distribution["DomainName"]}).status
        == 200
    )


def test_cache_policy_keys_on_its_query_strings_and_forwards_only_those(local_cloud, aws, origin_port) -> None:
    cloudfront = aws("cloudfront")
    policy = cloudfront.create_cache_policy(
        CachePolicyConfig={
            "Name": f"by-version-{uuid.uuid4().hex[:6]}", "MinTTL": 0, "DefaultTTL": 60, "MaxTTL": 600,
            "ParametersInCacheKeyAndForwardedToOrigin": {
                "EnableAcceptEncodingGzip": False,
                "HeadersConfig": {"HeaderBehavior": "whitelist", "Headers": {"Quantity": 1, "Items": ["Authorization"]}},
                "CookiesConfig": {"CookieBehavior": "none"},
                "QueryStringsConfig": {"QueryStringBehavior": "whitelist", "QueryStrings": {"Quantity": 1, "Items": ["v"]}},
            },
        }
    )["CachePolicy"]["Id"]  # fmt: skip
    distribution = create_distribution(aws, [custom_origin("o", origin_port)], behaviour("o", CachePolicyId=policy))
    first = get(local_cloud, distribution, "/echo?v=1&noise=a", Authorization="Bearer one")
    assert first.json()["query"] == "v=1"
    assert first.json()["headers"]["authorization"] == "Bearer one"
    assert (
        get(local_cloud, distribution, "/echo?v=1&noise=b", Authorization="Bearer one").headers["X-Cache"]
        == "Hit from cloudfront"
    )
    assert (
        get(local_cloud, distribution, "/echo?v=2", Authorization="Bearer one").headers["X-Cache"]
        == "Miss from cloudfront"
    )
    assert (
        get(local_cloud, distribution, "/echo?v=1", Authorization="Bearer two").headers["X-Cache"]
        == "Miss from cloudfront"
    )


def test_authorization_reaches_a_caching_origin_only_through_the_cache_key(local_cloud, aws, origin_port) -> None:
    distribution = create_distribution(
        aws, [custom_origin("o", origin_port)], behaviour("o", OriginRequestPolicyId=ALL_VIEWER)
    )
    seen = get(local_cloud, distribution, "/echo?q=1", Authorization="Bearer t", **{"X-Other": "kept"}).json()
    assert seen["headers"]["x-other"] == "kept"
    assert "authorization" not in seen["headers"]


def test_origin_cache_control_sets_the_ttl_within_the_policy(local_cloud, aws, origin_port) -> None:
    policy = aws("cloudfront").create_cache_policy(
        CachePolicyConfig={
            "Name": f"origin-decides-{uuid.uuid4().hex[:6]}", "MinTTL": 0, "DefaultTTL": 0, "MaxTTL": 600,
            "ParametersInCacheKeyAndForwardedToOrigin": {
                "EnableAcceptEncodingGzip": False,
                "HeadersConfig": {"HeaderBehavior": "none"},
                "CookiesConfig": {"CookieBehavior": "none"},
                "QueryStringsConfig": {"QueryStringBehavior": "all"},
            },
        }
    )["CachePolicy"]["Id"]  # fmt: skip
    decides = create_distribution(aws, [custom_origin("o", origin_port)], behaviour("o", CachePolicyId=policy))
    get(local_cloud, decides, "/echo?max-age=600")
    assert get(local_cloud, decides, "/echo?max-age=600").headers["X-Cache"] == "Hit from cloudfront"
    get(local_cloud, decides, "/echo?no-header")
    assert get(local_cloud, decides, "/echo?no-header").headers["X-Cache"] == "Miss from cloudfront"  # DefaultTTL 0
    disabled = create_distribution(
        aws, [custom_origin("o", origin_port)], behaviour("o", CachePolicyId=CACHING_DISABLED)
    )
    get(local_cloud, disabled, "/echo?max-age=600")
    assert get(local_cloud, disabled, "/echo?max-age=600").headers["X-Cache"] == "Miss from cloudfront"  # MaxTTL 0


def test_method_the_behaviour_does_not_allow_is_403(local_cloud, site) -> None:
    answer = http_request(
        "POST", f"{local_cloud.endpoint}/index.html", b"x", {"Host": site["distribution"]["DomainName"]}
    )
    assert answer.status == 403
    assert b"not configured to allow the HTTP request method" in answer.body


def test_plain_http_viewer_is_redirected_or_refused_and_an_https_one_served(local_cloud, aws, origin_port) -> None:
    redirect = create_distribution(
        aws, [custom_origin("o", origin_port)], behaviour("o", ViewerProtocolPolicy="redirect-to-https")
    )
    answer = viewer_request(local_cloud, redirect["DomainName"], "/echo?x=1", https=False)
    assert answer.status == 301
    assert answer.headers["Location"] == f"https://{redirect['DomainName']}/echo?x=1"
    served = viewer_request(local_cloud, redirect["DomainName"], "/echo?x=1")
    assert served.status == 200
    assert served.json()["headers"]["via"].endswith("(CloudFront)")
    only = create_distribution(
        aws, [custom_origin("o", origin_port)], behaviour("o", ViewerProtocolPolicy="https-only")
    )
    assert get(local_cloud, only, "/echo").status == 403
    assert viewer_request(local_cloud, only["DomainName"], "/echo").status == 200


def test_the_tls_listener_serves_only_distributions(local_cloud) -> None:
    assert viewer_request(local_cloud, "localhost", "/").status == 404


def test_origin_group_fails_over_to_the_secondary_on_a_listed_status(local_cloud, aws, origin_port) -> None:
    group = {
        "Id": "group",
        "FailoverCriteria": {"StatusCodes": {"Quantity": 1, "Items": [500]}},
        "Members": {"Quantity": 2, "Items": [{"OriginId": "primary"}, {"OriginId": "secondary"}]},
    }
    primary = custom_origin("primary", origin_port, OriginPath="/status")
    secondary = custom_origin("secondary", origin_port)
    distribution = create_distribution(
        aws, [primary, secondary], behaviour("group", CachePolicyId=CACHING_DISABLED),
        OriginGroups={"Quantity": 1, "Items": [group]},
    )  # fmt: skip
    answer = get(local_cloud, distribution, "/500")
    assert answer.status == 200
    assert answer.json()["path"] == "/500"  # the secondary's echo
    assert get(local_cloud, distribution, "/404").status == 404  # not listed: no failover


def test_unreachable_origin_is_502_and_a_slow_one_504(local_cloud, aws, origin_port) -> None:
    closed = custom_origin("o", 1)
    distribution = create_distribution(aws, [closed], behaviour("o", CachePolicyId=CACHING_DISABLED))
    answer = get(local_cloud, distribution, "/")
    assert answer.status == 502
    assert b"wasn't able to connect to the origin" in answer.body
    slow = create_distribution(
        aws, [custom_origin("o", origin_port, read_timeout=1)], behaviour("o", CachePolicyId=CACHING_DISABLED)
    )
    assert get(local_cloud, slow, "/slow/3").status == 504


def test_path_form_reaches_the_distribution_without_a_host(local_cloud, site) -> None:
    answer = http_request("GET", f"{local_cloud.endpoint}/_cloudfront/{site['distribution']['Id']}/index.html")
    assert (answer.status, answer.body) == (200, b"<html>the app</html>")


def test_disabled_distribution_is_not_served(local_cloud, aws, origin_port) -> None:
    cloudfront = aws("cloudfront")
    distribution = create_distribution(aws, [custom_origin("o", origin_port)], behaviour("o"))
    current = cloudfront.get_distribution_config(Id=distribution["Id"])
    config = {**current["DistributionConfig"], "Enabled": False}
    cloudfront.update_distribution(Id=distribution["Id"], IfMatch=current["ETag"], DistributionConfig=config)
    assert get(local_cloud, distribution, "/echo").status == 403


def test_localcloud_url_names_the_distribution_where_a_browser_opens_it(local_cloud, site, capsys) -> None:
    import socket
    import ssl

    from harness import certificate_authority
    from localcloud import cli

    assert cli.main(["url", site["distribution"]["Id"], "--port", str(local_cloud.port)]) == 0
    url = capsys.readouterr().out.strip()
    host, port = url.removeprefix("https://").rstrip("/").split(":")
    assert host == site["distribution"]["DomainName"].replace(".cloudfront.net", ".cloudfront.localhost")
    context = ssl.create_default_context(cadata=certificate_authority(local_cloud))
    with socket.create_connection(("127.0.0.1", int(port)), timeout=30) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:  # the certificate names the host
            tls.sendall(f"GET /index.html HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            assert tls.recv(64).startswith(b"HTTP/1.1 200")


def test_set_cookie_reaches_the_viewer_only_where_the_behaviour_forwards_cookies(local_cloud, aws, origin_port) -> None:
    keyless = create_distribution(aws, [custom_origin("o", origin_port)], behaviour("o"))
    assert "Set-Cookie" not in get(local_cloud, keyless, "/cookie").headers
    cookies = create_distribution(
        aws,
        [custom_origin("o", origin_port)],
        behaviour("o", CachePolicyId=CACHING_DISABLED, OriginRequestPolicyId=ALL_VIEWER),
    )
    assert get(local_cloud, cookies, "/cookie").headers["Set-Cookie"].startswith("session=abc")


def test_a_custom_error_page_is_kept_under_the_url_that_failed_for_the_error_ttl(local_cloud, aws) -> None:
    bucket = f"edge-{uuid.uuid4().hex[:8]}"
    s3 = aws("s3")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="index.html", Body=b"release 1", ContentType="text/html")
    distribution = create_distribution(
        aws, [s3_origin(bucket, oac(aws, bucket))], behaviour("site"),
        CustomErrorResponses={"Quantity": 1, "Items": [
            {"ErrorCode": 403, "ResponsePagePath": "/index.html", "ResponseCode": "200", "ErrorCachingMinTTL": 300}]},
    )  # fmt: skip
    s3.put_bucket_policy(Bucket=bucket, Policy=bucket_policy_for(bucket, distribution["ARN"]))
    first = get(local_cloud, distribution, "/orders/42")
    assert (first.status, first.body, first.headers["X-Cache"]) == (200, b"release 1", "Error from cloudfront")
    s3.put_object(Bucket=bucket, Key="index.html", Body=b"release 2", ContentType="text/html")
    invalidate(aws, distribution, "/index.html")
    assert get(local_cloud, distribution, "/index.html").body == b"release 2"
    kept = get(local_cloud, distribution, "/orders/42")
    assert (kept.status, kept.body, kept.headers["X-Cache"]) == (200, b"release 1", "Error from cloudfront")
    invalidate(aws, distribution, "/orders/*")
    assert get(local_cloud, distribution, "/orders/42").body == b"release 2"


def test_a_plain_http_post_is_redirected_with_307_to_keep_its_method(local_cloud, aws, origin_port) -> None:
    redirect = create_distribution(
        aws, [custom_origin("o", origin_port)],
        behaviour("o", ViewerProtocolPolicy="redirect-to-https", CachePolicyId=CACHING_DISABLED, AllowedMethods=ALL_METHODS),
    )  # fmt: skip
    answer = viewer_request(local_cloud, redirect["DomainName"], "/echo", method="POST", body=b"{}", https=False)
    assert answer.status == 307


def test_every_answer_counts_in_the_distributions_cloudfront_metrics(local_cloud, aws, origin_port) -> None:
    import datetime

    distribution = create_distribution(
        aws, [custom_origin("o", origin_port)], behaviour("o", CachePolicyId=CACHING_DISABLED)
    )
    get(local_cloud, distribution, "/echo")
    get(local_cloud, distribution, "/status/503")
    cloudwatch = aws("cloudwatch", region_name="us-east-1")
    now = datetime.datetime.now(datetime.UTC)

    def statistic(name: str, kind: str) -> float:
        points = cloudwatch.get_metric_statistics(
            Namespace="AWS/CloudFront", MetricName=name, StartTime=now - datetime.timedelta(minutes=5),
            EndTime=now + datetime.timedelta(minutes=1), Period=3600, Statistics=[kind],
            Dimensions=[{"Name": "DistributionId", "Value": distribution["Id"]}, {"Name": "Region", "Value": "Global"}],
        )["Datapoints"]  # fmt: skip
        return float(points[0][kind]) if points else -1.0

    assert statistic("Requests", "Sum") == 2
    assert statistic("5xxErrorRate", "Average") == 50


EDGE_FUNCTION = """
def handler(event, context):
    cf = event["Records"][0]["cf"]
    kind, request = cf["config"]["eventType"], cf["request"]
    if kind == "viewer-request":
        if request["uri"] == "/old":
            return {"status": "301", "headers": {"location": [{"key": "Location", "value": "/new"}]}}
        if request["uri"] == "/boom":
            raise RuntimeError("boom")
        request["headers"]["x-viewer-fn"] = [{"key": "X-Viewer-Fn", "value": "1"}]
        request["uri"] = request["uri"].replace("/v1/", "/")
        return request
    if kind == "origin-request":
        seen = request["headers"].get("x-viewer-fn", [{"value": "not forwarded"}])[0]["value"]
        request["headers"]["x-origin-fn"] = [{"key": "X-Origin-Fn", "value": seen}]
        return request
    response = cf["response"]
    response["headers"]["x-" + kind] = [{"key": "X-" + kind, "value": "seen"}]
    return response
"""


def test_lambda_at_edge_runs_on_its_four_events(local_cloud, aws, origin_port) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("index.py", EDGE_FUNCTION)
    name = f"edge-{uuid.uuid4().hex[:8]}"
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                        "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]}}]})  # fmt: skip
    role = aws("iam").create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    made = aws("lambda").create_function(
        FunctionName=name, Runtime="python3.13", Role=role, Handler="index.handler",
        Code={"ZipFile": buffer.getvalue()}, Publish=True, Timeout=5,
    )  # fmt: skip
    version = ":".join(made["FunctionArn"].split(":")[:7]) + f":{made['Version']}"
    events = ["viewer-request", "origin-request", "origin-response", "viewer-response"]
    associations = {"Quantity": 4, "Items": [{"LambdaFunctionARN": version, "EventType": e} for e in events]}
    distribution = create_distribution(
        aws, [custom_origin("o", origin_port)], behaviour("o", LambdaFunctionAssociations=associations)
    )
    answer = get(local_cloud, distribution, "/v1/echo?q=1")
    assert answer.status == 200, answer.text
    seen = answer.json()
    assert seen["path"] == "/echo"  # the viewer-request function rewrote the URI
    assert seen["headers"]["x-origin-fn"] == "not forwarded"  # origin-request sees what the policies forward
    assert answer.headers["X-origin-response"] == "seen"
    assert answer.headers["X-viewer-response"] == "seen"
    again = get(local_cloud, distribution, "/v1/echo?q=1")
    assert (again.headers["X-Cache"], again.headers["X-viewer-response"]) == ("Hit from cloudfront", "seen")
    moved = viewer_request(local_cloud, distribution["DomainName"], "/old")  # not followed
    assert (moved.status, moved.headers["Location"]) == (301, "/new")
    assert moved.headers["X-Cache"] == "LambdaGeneratedResponse from cloudfront"
    failed = get(local_cloud, distribution, "/boom")
    assert (failed.status, failed.headers["X-Cache"]) == (502, "LambdaExecutionError from cloudfront")


def test_a_put_through_origin_access_control_needs_the_key_to_let_cloudfront_encrypt(local_cloud, aws) -> None:
    kms, s3 = aws("kms"), aws("s3")
    key = kms.create_key()["KeyMetadata"]["Arn"]
    bucket = f"edge-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}}]
        },
    )
    distribution = create_distribution(
        aws, [s3_origin(bucket, oac(aws, bucket))],
        behaviour("site", CachePolicyId=CACHING_DISABLED, AllowedMethods=ALL_METHODS),
    )  # fmt: skip
    writes = {
        "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{bucket}/*", "Condition": {"StringEquals": {"AWS:SourceArn": distribution["ARN"]}},
    }  # fmt: skip
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [writes]}))

    def key_policy(*actions: str) -> str:
        admin = {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
        cloudfront = {"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": list(actions),
                      "Resource": "*", "Condition": {"StringEquals": {"AWS:SourceArn": distribution["ARN"]}}}  # fmt: skip
        return json.dumps({"Version": "2012-10-17", "Statement": [admin, cloudfront]})

    put = lambda: http_request(  # noqa: E731
        "PUT",
        f"{local_cloud.endpoint}/upload.txt",
        b"data",
        {"Host": distribution["DomainName"], "Content-Type": "text/plain"},
    )
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=key_policy("kms:Decrypt"))
    assert put().status == 403
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=key_policy("kms:Decrypt", "kms:GenerateDataKey"))
    assert put().status == 200
    assert s3.get_object(Bucket=bucket, Key="upload.txt")["Body"].read() == b"data"
