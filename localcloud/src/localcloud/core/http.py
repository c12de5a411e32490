"""The HTTP request and response every front door (API Gateway's REST and HTTP APIs) and integration shares."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


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
