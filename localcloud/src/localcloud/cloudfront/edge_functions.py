"""Lambda@Edge at the local edge: a behaviour's functions run on their event, with CloudFront's event shape.

A function version associated with a behaviour runs through the Lambda runtime on its own interpreter, as its
published version: on `viewer-request` (before the cache; it may rewrite the request or answer itself), on
`origin-request` (on a miss, before the origin; same), on `origin-response` (before the answer is cached;
status and headers) and on `viewer-response` (every answer; status and headers). The event is
`{"Records": [{"cf": {"config": ..., "request": ...[, "response": ...]}}]}` with headers keyed by lower-case
name, each a list of `{"key", "value"}`. A function that fails answers 502 (`LambdaExecutionError`), one
that returns something CloudFront cannot use 502 (`LambdaValidationError`), one at its concurrency 503
(`LambdaLimitExceeded`).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from localcloud.cloudfront import shapes

EVENT_TYPES = ("viewer-request", "origin-request", "origin-response", "viewer-response")
# Headers a function may not set or change (CloudFront's read-only and disallowed headers, in part).
READ_ONLY = {"content-length", "host", "transfer-encoding", "via", "connection", "upgrade", "x-cache"}


class EdgeFunctionFailed(Exception):
    def __init__(self, kind: str, status: int, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # what CloudFront's X-Cache says: LambdaExecutionError, ...
        self.status = status


@dataclass(frozen=True)
class Association:
    arn: str
    include_body: bool


def associations(behaviour: Any) -> dict[str, Association]:
    given = shapes.items(getattr(behaviour, "lambda_function_associations", None))
    return {
        str(item.get("EventType")): Association(
            str(item.get("LambdaFunctionARN")), shapes.truthy(item.get("IncludeBody"))
        )
        for item in given
    }


def cf_headers(pairs: list[tuple[str, str]]) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for name, value in pairs:
        found.setdefault(name.lower(), []).append({"key": name, "value": value})
    return found


def from_cf_headers(headers: Any, kind: str) -> list[tuple[str, str]]:
    if not isinstance(headers, dict):
        raise EdgeFunctionFailed("LambdaValidationError", 502, f"the function's {kind} headers are not an object")
    pairs = []
    for name, values in headers.items():
        if not isinstance(values, list):
            raise EdgeFunctionFailed("LambdaValidationError", 502, f"the function's header {name} is not a list")
        for item in values:
            if not isinstance(item, dict) or "value" not in item:
                raise EdgeFunctionFailed("LambdaValidationError", 502, f"the function's header {name} has no value")
            pairs.append((str(item.get("key") or name), str(item["value"])))
    return pairs


def request_record(
    event_type: str, dist: Any, request_id: str, method: str, uri: str, query: list[tuple[str, str]],
    headers: dict[str, str], source_ip: str, body: bytes, include_body: bool,
) -> dict[str, Any]:  # fmt: skip
    request: dict[str, Any] = {
        "clientIp": source_ip,
        "headers": cf_headers(list(headers.items())),
        "method": method,
        "querystring": urlencode(query),
        "uri": uri,
    }
    if include_body:
        request["body"] = {"inputTruncated": False, "action": "read-only", "encoding": "base64",
                           "data": base64.b64encode(body).decode()}  # fmt: skip
    config = {"distributionDomainName": dist.domain_name, "distributionId": dist.distribution_id,
              "eventType": event_type, "requestId": request_id}  # fmt: skip
    return {"config": config, "request": request}


def run(lambda_service: Any, association: Association, record: dict[str, Any]) -> dict[str, Any]:
    """The function's answer to one event, or EdgeFunctionFailed as CloudFront reports it."""
    from localcloud.lambda_.invoke import find_function
    from localcloud.lambda_.runner import Throttled

    try:
        function = find_function(association.arn)
        invocation = lambda_service.run(function, json.dumps({"Records": [{"cf": record}]}))
    except Throttled as throttled:
        raise EdgeFunctionFailed("LambdaLimitExceeded", 503, str(throttled)) from throttled
    except Exception as error:  # the version is gone, or the runtime could not start it
        raise EdgeFunctionFailed("LambdaExecutionError", 502, f"{association.arn}: {error}") from error
    if invocation.error_type is not None:
        raise EdgeFunctionFailed("LambdaExecutionError", 502, f"{association.arn} failed: {invocation.error_type}")
    try:
        answer = json.loads(invocation.payload or b"null")
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise EdgeFunctionFailed("LambdaValidationError", 502, f"{association.arn} returned no request or response")
    return answer


@dataclass
class Rewritten:
    """A request event's outcome: the (possibly changed) request, or the response the function generated."""

    uri: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    response: tuple[int, list[tuple[str, str]], bytes] | None = None


def request_outcome(answer: dict[str, Any], original_headers: dict[str, str]) -> Rewritten:
    if "status" in answer:
        status = int(str(answer.get("status")))
        headers = from_cf_headers(answer.get("headers") or {}, "response")
        body = str(answer.get("body") or "").encode()
        if answer.get("bodyEncoding") == "base64":
            body = base64.b64decode(body)
        return Rewritten("", [], {}, (status, headers, body))
    uri = answer.get("uri")
    if not isinstance(uri, str) or not uri.startswith("/"):
        raise EdgeFunctionFailed("LambdaValidationError", 502, "the function's request has no uri starting with /")
    headers = {name.lower(): value for name, value in from_cf_headers(answer.get("headers") or {}, "request")}
    for name in ("host",):  # read-only: the viewer's value stays
        if name in original_headers:
            headers[name] = original_headers[name]
    return Rewritten(uri, parse_qsl(str(answer.get("querystring") or ""), keep_blank_values=True), headers)


def response_outcome(answer: dict[str, Any], headers: list[tuple[str, str]]) -> tuple[int, list[tuple[str, str]]]:
    """A response event's outcome: status and headers (read-only ones keep CloudFront's values)."""
    status = int(str(answer.get("status") or 0)) if str(answer.get("status") or "").isdigit() else 0
    if not 100 <= status <= 599:
        raise EdgeFunctionFailed("LambdaValidationError", 502, "the function's response has no valid status")
    changed = [
        (k, v) for k, v in from_cf_headers(answer.get("headers") or {}, "response") if k.lower() not in READ_ONLY
    ]
    kept = [(k, v) for k, v in headers if k.lower() in READ_ONLY]
    return status, changed + kept


def response_record(record: dict[str, Any], status: int, headers: list[tuple[str, str]]) -> dict[str, Any]:
    return {**record, "response": {"status": str(status), "statusDescription": "", "headers": cf_headers(headers)}}
