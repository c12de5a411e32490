"""Where the local cloud serves an API stage (no moto import: the command line and tests use it)."""

from __future__ import annotations

import re

# http://127.0.0.1:4566/restapis/{api_id}/{stage}/_user_request_/{path}: the path form of a stage.
PATH_FORM = re.compile(r"^/restapis/(?P<api>[A-Za-z0-9]+)/(?P<stage>[^/]+)/_user_request_(?P<path>/.*)?$")


def local_url(endpoint: str, api_id: str, stage: str, path: str = "") -> str:
    """The local cloud's URL of an API stage (path form), with an optional resource path."""
    suffix = "/" + path.lstrip("/") if path else ""
    return f"{endpoint.rstrip('/')}/restapis/{api_id}/{stage}/_user_request_{suffix}"


# The REST gateway's recent per-request timings (a control endpoint, for `make bench`).
TIMINGS_PATH = "/_localcloud/apigateway/timings"
