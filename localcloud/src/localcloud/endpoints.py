"""The control endpoints under /_localcloud/: the local cloud's own API, for tests and tools.

Each extension declares its endpoints (registry.py); this WSGI middleware, outermost in front of moto and
the extensions' middleware, answers them. A path under /_localcloud/ that no extension declares is a 404
naming the ones that exist; a known path with another method is a 405.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from localcloud.extension import Context, Endpoint

PREFIX = "/_localcloud/"


class ControlEndpoints:
    def __init__(
        self, app: Callable[..., Iterable[bytes]], endpoints: dict[tuple[str, str], Endpoint], context: Context
    ):
        self.app = app
        self.endpoints = endpoints
        self.context = context
        self.paths = {path for _, path in endpoints}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX) or ".execute-api." in environ.get("HTTP_HOST", ""):
            return self.app(environ, start_response)
        endpoint = self.endpoints.get((environ.get("REQUEST_METHOD", "GET"), path))
        if endpoint is not None:
            return endpoint.handler(Request(environ), self.context)(environ, start_response)
        if path in self.paths:
            allowed = sorted(method for method, known in self.endpoints if known == path)
            answer = Response(
                json.dumps({"message": f"{path} answers {', '.join(allowed)}"}),
                status=405,
                headers={"Allow": ", ".join(allowed)},
                content_type="application/json",
            )
        else:
            known = sorted(f"{method} {p}" for method, p in self.endpoints)
            answer = Response(
                json.dumps({"message": f"no control endpoint {path}", "endpoints": known}),
                status=404,
                content_type="application/json",
            )
        return answer(environ, start_response)
