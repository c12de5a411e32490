"""WSGI middleware: requests for a deployed API go to the gateway, everything else to moto.

Two addresses reach a REST API's (v1) or HTTP API's (v2) stage:
- path form: http://127.0.0.1:4566/restapis/{api_id}/{stage}/_user_request_/{path}
  (an HTTP API's $default stage is "$default" here)
- host form: http://{api_id}.execute-api.localhost:4566/{stage}/{path} (any Host starting
  with "{api_id}.execute-api.", so the real invoke URL works with a Host header too);
  an HTTP API with a $default stage serves its paths at the root
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from localcloud.apigateway.http_api import HttpApiGateway, find_http_api
from localcloud.apigateway.rest import RestApiGateway, find_api
from localcloud.apigateway.urls import PATH_FORM
from localcloud.core.http import HttpRequest, HttpResponse

HOST_FORM = re.compile(r"^(?P<api>[a-z0-9]+)\.execute-api\.", re.IGNORECASE)


class FrontDoor:
    def __init__(
        self, app: Callable[..., Iterable[bytes]], gateway: RestApiGateway, http_gateway: HttpApiGateway
    ) -> None:
        self.app = app
        self.gateway = gateway
        self.http_gateway = http_gateway

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        target = self._target(path, environ.get("HTTP_HOST", ""))
        if target is None:
            return self.app(environ, start_response)
        api_id, stage, resource_path = target
        environ["_localcloud_host_form"] = PATH_FORM.match(path) is None
        incoming = Request(environ)
        request = HttpRequest(
            method=incoming.method,
            path=resource_path or "/",
            query={key: incoming.args.getlist(key) for key in incoming.args.keys()},
            headers={name.lower(): value for name, value in incoming.headers.items()},
            body=incoming.get_data(),
            source_ip=incoming.remote_addr or "127.0.0.1",
            raw_headers=list(incoming.headers.items()),
        )
        answer = self._dispatch(api_id, stage, resource_path, environ, request)
        headers = list(answer.headers.items()) + answer.repeated_headers
        response = Response(answer.body, status=answer.status, headers=headers)
        return response(environ, start_response)

    def _dispatch(
        self, api_id: str, stage: str, resource_path: str, environ: dict[str, Any], request: HttpRequest
    ) -> HttpResponse:
        rest_api = find_api(api_id)
        if rest_api is not None:
            return self.gateway.handle(rest_api, stage, request)
        found = find_http_api(api_id)
        if found is None:
            return HttpResponse.message(403, "Missing Authentication Token", "MissingAuthenticationTokenException")
        api = found[0]
        if environ.get("_localcloud_host_form") and "$default" in api.stages and stage not in api.stages:
            # A $default stage is served at the root: the first segment was part of the path.
            request.path = "/" + "/".join(p for p in (stage, resource_path.lstrip("/")) if p)
            stage = "$default"
        return self.http_gateway.handle(found, stage, request)

    @staticmethod
    def _target(path: str, host: str) -> tuple[str, str, str] | None:
        match = PATH_FORM.match(path)
        if match:
            return match.group("api"), match.group("stage"), match.group("path") or "/"
        host_match = HOST_FORM.match(host)
        if host_match:
            parts = path.lstrip("/").split("/", 1)
            return host_match.group("api"), parts[0], "/" + (parts[1] if len(parts) > 1 else "")
        return None
