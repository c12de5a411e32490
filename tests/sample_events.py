"""Realistic event samples (tests/events/*.json) and builders derived from them."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EVENTS = Path(__file__).resolve().parent / "events"


def load(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / f"{name}.json").read_text())


def rest_proxy_event(
    method: str,
    resource: str,
    path: str,
    *,
    path_parameters: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    body: str | None = None,
) -> dict[str, Any]:
    """An API Gateway REST (payload 1.0) Lambda proxy event, as API Gateway sends it."""
    event = copy.deepcopy(load("apigw_rest_proxy"))
    event.update(
        {
            "resource": resource,
            "path": path,
            "httpMethod": method,
            "pathParameters": path_parameters,
            "queryStringParameters": query,
            "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
            "body": body,
        }
    )
    if body is not None:
        event["headers"]["Content-Type"] = "application/json"
        event["multiValueHeaders"]["Content-Type"] = ["application/json"]
    event["requestContext"].update({"httpMethod": method, "resourcePath": resource, "path": f"/v1{path}"})
    return event


def http_api_event(method: str, path: str, *, route: str | None = None, body: str | None = None) -> dict[str, Any]:
    """An HTTP API (payload 2.0) Lambda proxy event, as API Gateway sends it to a route's function."""
    route_key = f"{method} {route or path}"
    headers = {"host": "api.example.com", **({"content-type": "application/json"} if body is not None else {})}
    return {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "body": body,
        "isBase64Encoded": False,
        "requestContext": {
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "10.0.0.1",
                "userAgent": "test",
            },
            "requestId": "r-1",
            "stage": "$default",
            "routeKey": route_key,
            "accountId": "123456789012",
            "apiId": "api",
        },
    }


def sqs_event(*messages: tuple[str, str], queue_arn: str = "arn:aws:sqs:us-east-1:123456789012:q") -> dict[str, Any]:
    """An SQS event as Lambda's poller delivers it: one record per (message id, body), received once."""
    return {
        "Records": [
            {
                "messageId": message_id,
                "receiptHandle": "rh",
                "body": body,
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1",
                    "SenderId": "x",
                    "ApproximateFirstReceiveTimestamp": "1",
                },
                "messageAttributes": {},
                "md5OfBody": "x",
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": queue_arn.split(":")[3],
            }
            for message_id, body in messages
        ]
    }


def response_json(response: dict[str, Any]) -> Any:
    return json.loads(response["body"]) if response.get("body") else None


@dataclass(frozen=True)
class LambdaContext:
    """The context object Lambda passes a Python handler (the attributes Powertools reads)."""

    function_name: str
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 256
    aws_request_id: str = "c0ffee00-0000-4000-8000-000000000001"
    log_group_name: str = ""
    log_stream_name: str = "2026/01/01/[$LATEST]0123456789abcdef"

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


def lambda_context(function_name: str) -> LambdaContext:
    return LambdaContext(function_name, log_group_name=f"/aws/lambda/{function_name}")


def cold_start(package: str) -> None:
    """Forget what a Lambda package read or made once per cold start (its settings and clients: every
    lru_cache of its modules), as a new execution environment would."""
    import importlib
    import pkgutil

    root = importlib.import_module(package)
    modules = [root] + [importlib.import_module(f"{package}.{m.name}") for m in pkgutil.iter_modules(root.__path__)]
    for module in modules:
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", None) == module.__name__:
                value.cache_clear()
