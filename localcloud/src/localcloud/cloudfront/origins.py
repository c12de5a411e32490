"""How the edge reaches an origin: an S3 bucket (as its origin access control signs, or anonymously), an AWS
endpoint the local cloud serves (API Gateway, a function URL), or an HTTP server on loopback.

An S3 origin is asked as S3 would be asked: with an origin access control that signs, the request comes from
`cloudfront.amazonaws.com` with the distribution's ARN as `aws:SourceArn`, and the bucket policy (and the
object's KMS key policy) must admit exactly that; without one the request is anonymous. A missing object
is S3's 403, not 404, unless the same caller may also `s3:ListBucket`. That 403 is what an SPA's custom
error response turns into `/index.html`.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from werkzeug.test import EnvironBuilder, run_wsgi_app

from localcloud.core import authorization, iam, kms, policy

S3_REST = re.compile(r"^(?P<bucket>[a-z0-9][a-z0-9.-]*?)\.s3(?:[.-](?P<region>[a-z]{2}-[a-z]+-\d))?\.amazonaws\.com$")
S3_WEBSITE = re.compile(r"\.s3-website[.-]")
SERVED_HERE = re.compile(r"(\.execute-api\.[a-z0-9-]+\.amazonaws\.com|\.lambda-url\.[a-z0-9-]+\.on\.aws)$")
LOOPBACK = re.compile(r"^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|[a-z0-9.-]+\.localhost)$")
CLOUDFRONT = "cloudfront.amazonaws.com"
# Once the edge has decided as S3 would, it reads the object with the local cloud's own credentials.
AS_ADMINISTRATOR = (
    "AWS4-HMAC-SHA256 Credential=localcloud-edge/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0"
)


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    origin_ms: float = 0.0
    problem: str | None = None  # set when CloudFront itself could not get an answer (its 502/504)
    extra: dict[str, Any] = field(default_factory=dict)


def call_app(
    app: Any, method: str, host: str, path: str, query: list[tuple[str, str]], headers: dict[str, str], body: bytes
) -> Answer:
    """A request to the local cloud's own WSGI app, as if sent to `host`."""
    builder = EnvironBuilder(
        path=urllib.parse.unquote(path),
        method=method,
        query_string=urllib.parse.urlencode(query),
        headers={**{k: v for k, v in headers.items() if k not in ("host", "content-length")}, "Host": host},
        data=body if method not in ("GET", "HEAD") else None,
        base_url=f"http://{host}/",
    )
    environ = builder.get_environ()
    environ["RAW_URI"] = environ["REQUEST_URI"] = path + (("?" + urllib.parse.urlencode(query)) if query else "")
    iterable, status, response_headers = run_wsgi_app(app, environ, buffered=True)
    try:
        data = b"".join(iterable)
    finally:
        getattr(iterable, "close", lambda: None)()
    return Answer(int(str(status).split()[0]), list(response_headers.items()), data)


def _s3_error(status: int, code: str, message: str) -> Answer:
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
        f"<RequestId>LOCALCLOUD</RequestId><HostId>localcloud</HostId></Error>"
    ).encode()
    return Answer(status, [("Content-Type", "application/xml")], body)


def _caller(dist: Any, control: Any, viewer_signed: bool) -> policy.Caller | None:
    """CloudFront's identity toward the bucket: its service principal when the control signs, else nobody."""
    if control is None:
        return None
    behaviour = str(getattr(control, "signing_behavior", "") or "")
    if behaviour == "always" or (behaviour == "no-override" and not viewer_signed):
        # AWS documents aws:SourceArn for origin access control, not aws:SourceAccount: a policy that needs the
        # latter is not trusted to work.
        return policy.Caller(service=CLOUDFRONT, context={"aws:SourceArn": dist.arn})
    return None


def _bucket_admits(bucket: Any, action: str, resource: str, caller: policy.Caller) -> bool:
    document = iam.as_document(bucket.policy) or {}
    return policy.evaluate(document, action, resource, caller) == "Allow"


def fetch_s3(
    app: Any, dist: Any, origin: Any, control: Any, method: str, path: str,
    query: list[tuple[str, str]], headers: dict[str, str], body: bytes,
) -> Answer:  # fmt: skip
    match = S3_REST.match(origin.domain_name.lower())
    if match is None:
        return Answer(502, [], b"", problem=f"{origin.domain_name} is not an S3 bucket's REST endpoint")
    bucket_name = match.group("bucket")
    key = urllib.parse.unquote((origin.origin_path or "") + path).lstrip("/")
    action = {"PUT": "s3:PutObject", "POST": "s3:PutObject", "DELETE": "s3:DeleteObject"}.get(method, "s3:GetObject")
    bucket = authorization.bucket_named(bucket_name)
    if bucket is None:
        return _s3_error(404, "NoSuchBucket", "The specified bucket does not exist")
    caller = _caller(dist, control, "authorization" in headers)
    may_list = False
    if caller is None:
        if authorization.anonymous_s3_denied(action, bucket_name, key):
            return _s3_error(403, "AccessDenied", "Access Denied")
        may_list = not authorization.anonymous_s3_denied("s3:ListBucket", bucket_name, None)
    else:
        if not _bucket_admits(bucket, action, f"arn:aws:s3:::{bucket_name}/{key}", caller):
            return _s3_error(403, "AccessDenied", "Access Denied")
        # Reading decrypts with the object's key; writing encrypts with the bucket's default key.
        key_use = {"s3:GetObject": "kms:Decrypt", "s3:PutObject": "kms:GenerateDataKey"}.get(action)
        object_key = authorization.bucket_key(bucket_name, key, action) if key_use else None
        if object_key is not None and key_use and not kms.service_may_use(CLOUDFRONT, object_key, (key_use,), dist.arn):
            return _s3_error(403, "AccessDenied", "Access Denied")  # S3 answers a key refusal as its own
        may_list = _bucket_admits(bucket, "s3:ListBucket", f"arn:aws:s3:::{bucket_name}", caller)
    sent = {k: v for k, v in headers.items() if k != "authorization"}
    sent["authorization"] = AS_ADMINISTRATOR
    # Path-style on the bucket's host: moto finds the bucket by its virtual host.
    answer = call_app(app, method, f"{bucket_name}.s3.amazonaws.com", "/" + urllib.parse.quote(key), [], sent, body)
    if answer.status == 404 and b"NoSuchKey" in answer.body and not may_list:
        return _s3_error(403, "AccessDenied", "Access Denied")
    answer.headers = _as_s3_answers(answer.headers, bucket)
    return answer


# Request headers moto keeps with an object, and the CORS headers its server adds to every answer: S3 sends
# neither (CORS headers only for a bucket with a CORS configuration).
_NOT_FROM_S3 = {"x-amz-content-sha256", "x-amz-sdk-checksum-algorithm", "server", "x-amz-decoded-content-length"}


def _s3_name(name: str) -> str:
    """A header's name as S3 writes it (moto writes some in lower case): `Content-Type`, `ETag`, `x-amz-...`."""
    lowered = name.lower()
    if lowered.startswith("x-amz-"):
        return lowered
    return "ETag" if lowered == "etag" else "-".join(part.capitalize() for part in lowered.split("-"))


def _as_s3_answers(headers: list[tuple[str, str]], bucket: Any) -> list[tuple[str, str]]:
    has_cors = bool(getattr(bucket, "cors", None))
    kept = [
        (_s3_name(k), v) for k, v in headers
        if k.lower() not in _NOT_FROM_S3 and (has_cors or not k.lower().startswith("access-control-"))
    ]  # fmt: skip
    return [*kept, ("Server", "AmazonS3")]


def fetch_custom(
    app: Any, origin: Any, viewer_scheme: str, method: str, path: str, query: list[tuple[str, str]],
    headers: dict[str, str], body: bytes,
) -> Answer:  # fmt: skip
    domain = origin.domain_name.lower()
    full_path = (origin.origin_path or "") + path
    if S3_WEBSITE.search(domain):
        return Answer(502, [], b"", problem="S3 website endpoints are not emulated by the local cloud")
    if SERVED_HERE.search(domain):
        sent = dict(headers)
        if sent.get("host", domain) != domain and ".execute-api." in domain:
            # API Gateway finds the API by Host: a forwarded viewer Host reaches no API.
            return Answer(403, [("Content-Type", "application/json")], b'{"message":"Forbidden"}')
        return call_app(app, method, domain, full_path, query, sent, body)
    config = getattr(origin, "custom_origin_config", None)
    host, _, port = domain.partition(":")
    if not LOOPBACK.match(host):
        return Answer(502, [], b"", problem=f"the origin {domain} is not on loopback (the local cloud has no internet)")
    protocol = str(getattr(config, "origin_protocol_policy", "http-only") or "http-only")
    scheme = {"http-only": "http", "https-only": "https"}.get(protocol, viewer_scheme)
    if not port:
        port = str(
            getattr(config, "http_port" if scheme == "http" else "https_port", "") or (80 if scheme == "http" else 443)
        )
    url = f"{scheme}://{host}:{port}{urllib.parse.quote(full_path, safe='/%')}"
    if query:
        url += "?" + urllib.parse.urlencode(query)
    timeout = float(getattr(config, "origin_read_timeout", 30) or 30)
    sent = {k: v for k, v in headers.items() if k != "host"}
    sent["host"] = headers.get("host") or host  # CloudFront names the origin's domain, not its port
    request = urllib.request.Request(url, data=body or None, method=method, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, list(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, list(error.headers.items()), error.read())
    except TimeoutError:
        return Answer(504, [], b"", problem=f"the origin {domain} did not answer within {timeout:g} s")
    except (urllib.error.URLError, ConnectionError, OSError) as error:
        return Answer(502, [], b"", problem=f"CloudFront could not connect to the origin {domain}: {error}")
