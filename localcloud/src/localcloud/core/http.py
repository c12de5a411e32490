"""The HTTP request and response every front door (API Gateway's REST and HTTP APIs) and integration shares."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class HttpRequest:
    method: str
    path: str  # after the stage, starting with "/"
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    source_ip: str = "127.0.0.1"
    raw_headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    integration_ms: float = 0.0  # time spent in the integration, not sent to the client
    # Headers that may repeat (Set-Cookie), sent after `headers`.
    repeated_headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def message(cls, status: int, message: str, error_type: str | None = None) -> HttpResponse:
        headers = {"Content-Type": "application/json"}
        if error_type:
            headers["x-amzn-ErrorType"] = error_type
        return cls(status, headers, json.dumps({"message": message}).encode())


def signing_scope(environ: dict[str, Any]) -> tuple[str | None, str | None]:
    """The AWS service and region a request is signed for (its SigV4 credential scope); no service for an
    unsigned request, which goes to a host on the internet (an API Gateway invoke URL is `execute-api`)."""
    header = str(environ.get("HTTP_AUTHORIZATION") or "")
    scope = header.split("Credential=", 1)[1].split(",", 1)[0] if "Credential=" in header else ""
    if not scope:
        query = str(environ.get("QUERY_STRING") or "")
        for item in query.split("&"):
            if item.startswith("X-Amz-Credential="):
                from urllib.parse import unquote

                scope = unquote(item.split("=", 1)[1])
    parts = scope.split("/")
    if len(parts) >= 4:
        return parts[3], parts[2]
    if ".execute-api." in str(environ.get("HTTP_HOST") or ""):
        return "execute-api", None
    return None, None
