"""What every pattern's smoke requests share (`patterns/<name>/smoke.py`, run by `make up`): HTTP calls to the
local API Gateway, waits for an effect, and the row each request adds to the table."""

from __future__ import annotations

import functools
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from localcloud.control import LocalCloud


@dataclass
class Check:
    """One smoke request: what was asked, what came back, whether it is what the pattern promises, how long."""

    request: str
    result: str
    ok: bool
    seconds: float


_signer: LocalCloud | None = None


@contextmanager
def signed_by(cloud: LocalCloud) -> Iterator[None]:
    """Every request SigV4-signed (execute-api) with the cloud's credentials while inside, as a client of an
    account whose APIs demand AWS_IAM signs them; a request that brings its own Authorization keeps it."""
    global _signer
    previous, _signer = _signer, cloud
    try:
        yield
    finally:
        _signer = previous


def _signed(method: str, url: str, body: str | None, headers: dict[str, str]) -> dict[str, str]:
    if _signer is None or any(name.lower() == "authorization" for name in headers):
        return headers
    return _signer.signed_headers(method, url, body, headers)


def http(method: str, url: str, body: str | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(
        url,
        data=body.encode() if body else None,
        method=method,
        headers=_signed(method, url, body, {"Content-Type": "application/json", **(headers or {})}),
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def http_api(cloud: LocalCloud, api_id: str, method: str, path: str, body: str | None = None) -> tuple[int, Any, bytes]:
    """A request to an HTTP API's $default stage, served at the root of its own host: status, headers, body."""
    url = f"{cloud.endpoint}{path}"
    request = urllib.request.Request(
        url,
        method=method,
        data=body.encode() if body is not None else None,
        headers=_signed(
            method, url, body, {"Host": f"{api_id}.execute-api.localhost", "Content-Type": "application/json"}
        ),
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_for(probe: Callable[[], Any], timeout_s: float = 30.0) -> Any:
    """The probe's first truthy answer within the timeout, else its last answer."""
    deadline = time.perf_counter() + timeout_s
    answer = probe()
    while not answer and time.perf_counter() < deadline:
        time.sleep(0.3)
        answer = probe()
    return answer


def queues_reached(sqs: Any, queues: dict[str, str], matches: Callable[[str], bool]) -> list[str]:
    """Names of the queues (name -> URL) where a message whose body matches arrives within the wait;
    what is read is deleted, so smoke runs do not pile up."""

    def arrived(url: str) -> bool:
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            if matches(message["Body"]):
                return True
        return False

    return [name for name, url in sorted(queues.items()) if wait_for(functools.partial(arrived, url))]


def execution_status(sfn: Any, machine_arn: str, payload: dict[str, Any]) -> str:
    """Start an execution and wait for its end: its status, or why there is none."""
    execution = sfn.start_execution(stateMachineArn=machine_arn, input=json.dumps(payload))["executionArn"]

    def done() -> dict[str, Any] | None:
        described = sfn.describe_execution(executionArn=execution)
        return None if described["status"] == "RUNNING" else described

    described = wait_for(done)
    return described["status"] if described else "still RUNNING after 30 s"


def allow_topic_to_send(sqs: Any, queue_url: str, queue_arn: str, topic_arn: str) -> None:
    """The queue policy SNS needs before it delivers to a queue (the local cloud checks it, as AWS does)."""
    sqs.set_queue_attributes(
        QueueUrl=queue_url,
        Attributes={
            "Policy": json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "sns.amazonaws.com"},
                            "Action": "sqs:SendMessage",
                            "Resource": queue_arn,
                            "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}},
                        }
                    ],
                }
            )
        },
    )


def viewer_request(
    cloud: LocalCloud,
    domain: str,
    path: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    https: bool = True,
) -> tuple[int, dict[str, str], bytes]:
    """A viewer's request to the CloudFront distribution with this domain name on the local edge: over TLS,
    verified against the local authority, unless `https` is False. A redirect is an answer, not followed."""
    import http.client
    import ssl
    import urllib.parse

    edge = json.loads(urllib.request.urlopen(f"{cloud.endpoint}/_localcloud/cloudfront/edge", timeout=10).read())
    address = urllib.parse.urlsplit(edge["https" if https else "http"])
    if https:
        authority = urllib.request.urlopen(f"{cloud.endpoint}/_localcloud/tls/ca.pem", timeout=10).read().decode()
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            str(address.hostname), address.port, timeout=60, context=ssl.create_default_context(cadata=authority)
        )
    else:
        connection = http.client.HTTPConnection(str(address.hostname), address.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers={"Host": domain, **(headers or {})})
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        connection.close()
