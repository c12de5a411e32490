"""Serve HTTP APIs (API Gateway v2) from the local cloud's own state.

Routes (`METHOD /path`, `ANY`, `{param}`, `{proxy+}`, `$default`), stages
(`$default` serves without a stage prefix), stage and route throttling, CORS,
JWT and Lambda REQUEST authorizers, and the integrations: Lambda proxy with
payload format 1.0 or 2.0, HTTP_PROXY, and AWS service integrations by
subtype (SQS, EventBridge, Step Functions, Kinesis).
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from moto.apigatewayv2.models import apigatewayv2_backends

from localcloud.apigateway import access_log, iam_auth, integrations
from localcloud.apigateway.authorizers import AnswerCache, cognito_claims, evaluate
from localcloud.apigateway.routing import match_path
from localcloud.apigateway.throttle import TokenBuckets
from localcloud.core import iam, metrics
from localcloud.core.http import HttpRequest, HttpResponse
from localcloud.lambda_.runner import Throttled

DEFAULT_TIMEOUT_MS = 30_000
SUBTYPES = {
    "SQS-SendMessage": ("sqs", "send_message"),
    "SQS-ReceiveMessage": ("sqs", "receive_message"),
    "SQS-DeleteMessage": ("sqs", "delete_message"),
    "EventBridge-PutEvents": ("events", "put_events"),
    "StepFunctions-StartExecution": ("stepfunctions", "start_execution"),
    "StepFunctions-StartSyncExecution": ("stepfunctions", "start_sync_execution"),
    "Kinesis-PutRecord": ("kinesis", "put_record"),
}


def message(status: int, text: str) -> HttpResponse:
    return HttpResponse(status, {"Content-Type": "application/json"}, json.dumps({"message": text}).encode())


def find_http_api(api_id: str) -> tuple[Any, str, str] | None:
    for account_id, regions in list(apigatewayv2_backends.items()):
        for region, backend in list(regions.items()):
            api = backend.apis.get(api_id)
            if api is not None and api.protocol_type == "HTTP":
                return api, account_id, region
    return None


@dataclass
class V2Route:
    route: Any
    path_parameters: dict[str, str]


def route_source_arn(event_base: tuple) -> str:
    """The source ARN API Gateway presents to Lambda for a route: `api/stage/METHOD/path` of the route's
    template (`api/stage/$default` for the default route)."""
    api, account_id, region, stage, matched, request, _ = event_base
    route_key = matched.route.route_key
    tail = "$default" if route_key == "$default" else f"{request.method}{route_key.partition(' ')[2]}"
    return integrations.execute_api_arn(region, account_id, api.api_id, f"{stage.name}/{tail}")


def match_route(api: Any, method: str, path: str) -> V2Route | None:
    """The most specific path wins, then an exact method over ANY; $default catches the rest."""
    best: tuple[tuple[Any, ...], V2Route] | None = None
    default = None
    for route in list(api.routes.values()):
        if route.route_key == "$default":
            default = route
            continue
        route_method, _, template_path = route.route_key.partition(" ")
        if route_method not in (method, "ANY"):
            continue
        matched = match_path(template_path, path)
        if matched is None:
            continue
        rank = (matched[0], route_method != "ANY")
        if best is None or rank > best[0]:
            best = (rank, V2Route(route, matched[1]))
    if best:
        return best[1]
    return V2Route(default, {}) if default is not None else None


def _lower_headers(request: HttpRequest) -> dict[str, str]:
    joined: dict[str, list[str]] = {}
    for name, value in request.raw_headers:
        joined.setdefault(name.lower(), []).append(value)
    return {name: ",".join(values) for name, values in joined.items()}


class HttpApiGateway:
    def __init__(self, lambda_service: Any, endpoint_url: str) -> None:
        self.lambda_service = lambda_service
        self.endpoint_url = endpoint_url
        self.throttles = TokenBuckets()
        self._auth_cache = AnswerCache()
        self._pool = ThreadPoolExecutor(max_workers=64, thread_name_prefix="apigwv2-integration")
        self._clients: dict[tuple[str, str, str], Any] = {}

    def handle(self, found: tuple[Any, str, str], stage_name: str, request: HttpRequest) -> HttpResponse:
        clock = time.perf_counter()
        context: dict[str, Any] = {}
        response = self._handle(found, stage_name, request, context)
        api, account_id, region = found
        latency_ms = (time.perf_counter() - clock) * 1000
        metrics.api_served(
            account_id,
            region,
            {"ApiId": api.api_id},
            stage_name,
            response.status,
            latency_ms,
            response.integration_ms,
            rest=False,
        )
        stage = api.stages.get(stage_name)
        if stage is not None and stage.access_log_settings:
            access_log.write(
                stage.access_log_settings,
                account_id,
                region,
                stage_name,
                {
                    **context,
                    "status": response.status,
                    "responseLength": len(response.body),
                    "responseLatency": round((time.perf_counter() - clock) * 1000),
                    "integrationLatency": round(response.integration_ms),
                },
            )
        return response

    def _handle(
        self, found: tuple[Any, str, str], stage_name: str, request: HttpRequest, context: dict[str, Any]
    ) -> HttpResponse:
        api, account_id, region = found
        stage = api.stages.get(stage_name)
        if stage is None:
            return message(404, "Not Found")
        cors = _cors(api, request)
        if cors is not None:
            return cors
        matched = match_route(api, request.method, request.path)
        if matched is None:
            return _with_cors(api, request, message(404, "Not Found"))
        route = matched.route
        settings = dict(stage.default_route_settings or {})
        settings.update((stage.route_settings or {}).get(route.route_key, {}))
        if not self.throttles.take(
            f"{api.api_id}/{stage_name}/{route.route_key}",
            settings.get("throttlingRateLimit"),
            settings.get("throttlingBurstLimit"),
        ):
            return _with_cors(api, request, message(429, "Too Many Requests"))
        context.update(_request_context(api, account_id, stage_name, route, request))
        event_base = (api, account_id, region, stage, matched, request, context)
        if route.authorization_type == "AWS_IAM":
            if (
                "authorization" not in request.headers
                or iam_auth.refusal(
                    request.headers["authorization"],
                    account_id,
                    region,
                    api.api_id,
                    stage_name,
                    request.method,
                    request.path,
                )
                is not None
            ):
                return _with_cors(api, request, message(403, "Forbidden"))
        if route.authorization_type in ("JWT", "CUSTOM"):
            refused = self._authorize(event_base)
            if refused is not None:
                return _with_cors(api, request, refused)
        target = (route.target or "").removeprefix("integrations/")
        integration = api.integrations.get(target)
        if integration is None:
            return _with_cors(api, request, message(500, "Internal Server Error"))
        timeout = int(integration.timeout_in_millis or DEFAULT_TIMEOUT_MS) / 1000
        future = self._pool.submit(self._timed_integration, integration, event_base)
        try:
            response = future.result(timeout=timeout)
        except FutureTimeout:
            response = message(504, "Service Unavailable")
        except Throttled:
            # A throttled function is the backend's failure, not the client's: 500, never Lambda's 429.
            response = message(500, "Internal Server Error")
        return _with_cors(api, request, response)

    # -- authorizers ------------------------------------------------------------------------------

    def _authorize(self, event_base: tuple) -> HttpResponse | None:
        api, account_id, region, stage, matched, request, context = event_base
        route = matched.route
        authorizer = api.authorizers.get(route.authorizer_id)
        if authorizer is None:
            return message(500, "Internal Server Error")
        sources = authorizer.identity_source or ["$request.header.Authorization"]
        sources = sources if isinstance(sources, list) else [s.strip() for s in str(sources).split(",")]
        identity = [_selection(source, event_base) for source in sources]
        if authorizer.authorizer_type == "JWT":
            return self._jwt(authorizer, identity[0] if identity else None, route, context)
        if any(not value for value in identity):
            return message(401, "Unauthorized")
        key = (authorizer.id, "\0".join(str(v) for v in identity))
        answer = self._auth_cache.get(key)
        if answer is None:
            answer = self._invoke_authorizer(authorizer, event_base, [str(v) for v in identity])
            if isinstance(answer, HttpResponse):
                return answer
            self._auth_cache.put(key, int(authorizer.auth_result_ttl or 0), answer)
        route_arn = (
            f"arn:aws:execute-api:{region}:{account_id}:{api.api_id}/{stage.name}/{request.method}{request.path}"
        )
        if authorizer.enable_simple_response:
            if not answer.get("isAuthorized"):
                return message(403, "Forbidden")
            context["authorizer"] = {"lambda": answer.get("context") or {}}
            return None
        if evaluate(answer.get("policyDocument") or {}, route_arn) is not None:
            return message(403, "Forbidden")
        context["authorizer"] = {"lambda": answer.get("context") or {}, "principalId": answer.get("principalId")}
        return None

    def _invoke_authorizer(
        self, authorizer: Any, event_base: tuple, identity: list[str]
    ) -> dict[str, Any] | HttpResponse:
        api, account_id, region, stage, matched, request, context = event_base
        fn = integrations._function(authorizer.authorizer_uri)
        if fn is None or not integrations.may_invoke(
            fn, integrations.execute_api_arn(region, account_id, api.api_id, f"authorizers/{authorizer.id}")
        ):
            return message(500, "Internal Server Error")
        route_arn = (
            f"arn:aws:execute-api:{region}:{account_id}:{api.api_id}/{stage.name}/{request.method}{request.path}"
        )
        if (authorizer.auth_payload_format_version or "2.0") == "2.0":
            event = {**_event_v2(event_base), "type": "REQUEST", "routeArn": route_arn, "identitySource": identity}
            event.pop("body", None)
            event.pop("isBase64Encoded", None)
        else:
            event = {
                **_event_v1(event_base),
                "type": "REQUEST",
                "methodArn": route_arn,
                "identitySource": ",".join(identity),
            }
        answer = self._invoke_json(fn, event)
        if isinstance(answer, (HttpResponse, dict)):
            return answer
        return message(500, "Internal Server Error")

    def _invoke_json(self, fn: Any, event: dict[str, Any]) -> Any:
        """The function's JSON answer, or API Gateway's 500 for a function error or a non-JSON answer."""
        invocation = self.lambda_service.run(fn, json.dumps(event))
        if invocation.error_type is not None:
            return message(500, "Internal Server Error")
        try:
            return json.loads(invocation.payload)
        except ValueError:
            return message(500, "Internal Server Error")

    def _jwt(self, authorizer: Any, header: str | None, route: Any, context: dict[str, Any]) -> HttpResponse | None:
        if not header:
            return message(401, "Unauthorized")
        token = header.removeprefix("Bearer ").strip()
        config = authorizer.jwt_config or {}
        issuer = config.get("Issuer") or config.get("issuer")
        audiences = set(config.get("Audience") or config.get("audience") or [])
        claims = _issuer_claims(issuer, token)
        if claims is None:
            return message(401, "Unauthorized")
        audience = claims.get("aud") or claims.get("client_id")
        if audiences and audience not in audiences:
            return message(401, "Unauthorized")
        scopes = set(route.authorization_scopes or [])
        granted = set(str(claims.get("scope", "")).split())
        if scopes and not scopes & granted:
            return message(403, "Forbidden")
        context["authorizer"] = {
            "jwt": {"claims": {k: str(v) for k, v in claims.items()}, "scopes": sorted(granted) or None}
        }
        return None

    # -- integrations ---------------------------------------------------------------------------

    def _timed_integration(self, integration: Any, event_base: tuple) -> HttpResponse:
        started = time.perf_counter()
        response = self._integrate(integration, event_base)
        response.integration_ms = (time.perf_counter() - started) * 1000
        return response

    def _integrate(self, integration: Any, event_base: tuple) -> HttpResponse:
        kind = integration.integration_type
        if kind == "AWS_PROXY" and integration.integration_subtype:
            return self._service(integration, event_base)
        if kind == "AWS_PROXY":
            return self._lambda(integration, event_base)
        if kind == "HTTP_PROXY":
            return self._http_proxy(integration, event_base)
        return message(500, "Internal Server Error")

    def _lambda(self, integration: Any, event_base: tuple) -> HttpResponse:
        fn = integrations._function(integration.integration_uri)
        if fn is None or not integrations.may_invoke(fn, route_source_arn(event_base)):
            return message(500, "Internal Server Error")
        version = integration.payload_format_version or "2.0"
        event = _event_v2(event_base) if version == "2.0" else _event_v1(event_base)
        result = self._invoke_json(fn, event)
        if isinstance(result, HttpResponse):
            return result
        if version == "2.0" and not (isinstance(result, dict) and "statusCode" in result):
            # Payload 2.0 lets a function return just its body: API Gateway wraps it.
            body = result if isinstance(result, str) else json.dumps(result)
            return HttpResponse(200, {"Content-Type": "application/json"}, body.encode())
        if not isinstance(result, dict):
            return message(500, "Internal Server Error")
        try:
            status = int(result.get("statusCode"))
        except (TypeError, ValueError):
            return message(500, "Internal Server Error")
        headers = {
            name: ",".join(str(v) for v in values) for name, values in (result.get("multiValueHeaders") or {}).items()
        }
        headers.update({name: str(value) for name, value in (result.get("headers") or {}).items()})
        body = result.get("body") or ""
        if not isinstance(body, str):
            body = json.dumps(body)
        raw = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
        cookies = [("Set-Cookie", str(cookie)) for cookie in result.get("cookies") or []]
        return HttpResponse(status, headers, raw, repeated_headers=cookies)

    def _http_proxy(self, integration: Any, event_base: tuple) -> HttpResponse:
        api, account_id, region, stage, matched, request, context = event_base
        url = integration.integration_uri
        for name, value in matched.path_parameters.items():
            url = url.replace("{" + name + "+}", value).replace("{" + name + "}", urllib.parse.quote(value, safe="/"))
        query = [(k, v) for k, values in request.query.items() for v in values]
        if query:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
        method = (integration.integration_method or "ANY").upper()
        method = request.method if method == "ANY" else method
        headers = {name: value for name, value in request.raw_headers if name.lower() not in integrations.HOP_BY_HOP}
        timeout = int(integration.timeout_in_millis or DEFAULT_TIMEOUT_MS) / 1000
        try:
            status, response_headers, raw = integrations._send(method, url, headers, request.body, timeout)
        except (urllib.error.URLError, OSError):
            return message(503, "Service Unavailable")
        kept = {k: v for k, v in response_headers.items() if k.lower() not in integrations.HOP_BY_HOP}
        return HttpResponse(status, kept, raw)

    def _client_as(self, credentials: dict[str, str], service: str, region: str) -> Any:
        key = (credentials["AWS_ACCESS_KEY_ID"], service, region)
        if key not in self._clients:
            self._clients[key] = iam.session_client(service, region, self.lambda_service.endpoint_url, credentials)
        return self._clients[key]

    def _service(self, integration: Any, event_base: tuple) -> HttpResponse:
        api, account_id, region, stage, matched, request, context = event_base
        target = SUBTYPES.get(integration.integration_subtype)
        if target is None:
            return message(500, "Internal Server Error")
        service, operation = target
        parameters = {
            name: _selection(value, event_base) for name, value in (integration.request_parameters or {}).items()
        }
        credentials = integrations.assumed_by_apigateway(
            integration.credentials_arn, account_id, region, f"apigateway-{api.api_id}"
        )
        if credentials is None:
            return message(500, "Internal Server Error")
        client = self._client_as(credentials, service, region)
        try:
            if operation == "put_events":
                entry = {k: v for k, v in parameters.items() if k != "Region"}
                result = client.put_events(Entries=[entry])
            else:
                result = getattr(client, operation)(**{k: v for k, v in parameters.items() if v is not None})
        except client.exceptions.ClientError as exc:
            return HttpResponse(
                400,
                {"Content-Type": "application/json"},
                json.dumps({"message": exc.response["Error"].get("Message", "")}).encode(),
            )
        result.pop("ResponseMetadata", None)
        return HttpResponse(200, {"Content-Type": "application/json"}, json.dumps(result, default=str).encode())


def _issuer_claims(issuer: str | None, token: str) -> dict[str, Any] | None:
    """Claims of a valid token from the local cloud's Cognito pool this issuer URL names."""
    if not issuer or "cognito-idp." not in issuer:
        return None
    host, _, pool_id = issuer.removeprefix("https://").partition("/")
    return cognito_claims(host.split(".")[1], pool_id, token)


def _selection(expression: Any, event_base: tuple) -> Any:
    """$request.header.x, $request.querystring.x, $request.path.x, $request.body.x, $context.x, $stageVariables.x."""
    api, account_id, region, stage, matched, request, context = event_base
    if not isinstance(expression, str) or not expression.startswith("$"):
        return expression
    if expression.startswith("$request.header."):
        return _lower_headers(request).get(expression.split(".", 2)[2].lower())
    if expression.startswith("$request.querystring."):
        values = request.query.get(expression.split(".", 2)[2])
        return ",".join(values) if values else None
    if expression.startswith("$request.path."):
        return matched.path_parameters.get(expression.split(".", 2)[2])
    if expression == "$request.body":
        return request.body.decode("utf-8", errors="replace")
    if expression.startswith("$request.body."):
        try:
            value: Any = json.loads(request.body or b"{}")
        except ValueError:
            return None
        for part in expression.split(".")[2:]:
            value = value.get(part) if isinstance(value, dict) else None
        return value if isinstance(value, str) or value is None else json.dumps(value)
    if expression.startswith("$context."):
        value = context
        for part in expression.split(".")[1:]:
            value = value.get(part) if isinstance(value, dict) else None
        return value
    if expression.startswith("$stageVariables."):
        return (stage.stage_variables or {}).get(expression.split(".", 1)[1])
    return expression


def _request_context(api: Any, account_id: str, stage_name: str, route: Any, request: HttpRequest) -> dict[str, Any]:
    now = time.time()
    return {
        "accountId": account_id,
        "apiId": api.api_id,
        "domainName": f"{api.api_id}.execute-api.localcloud",
        "domainPrefix": api.api_id,
        "http": {
            "method": request.method,
            "path": request.path,
            "protocol": "HTTP/1.1",
            "sourceIp": request.source_ip,
            "userAgent": request.headers.get("user-agent", ""),
        },
        "requestId": base64.urlsafe_b64encode(uuid.uuid4().bytes[:12]).decode(),
        "routeKey": route.route_key,
        "stage": stage_name,
        "time": datetime.fromtimestamp(now, UTC).strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "timeEpoch": int(now * 1000),
    }


def _body(request: HttpRequest) -> tuple[str | None, bool]:
    if not request.body:
        return None, False
    try:
        return request.body.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(request.body).decode(), True


def _event_v2(event_base: tuple) -> dict[str, Any]:
    api, account_id, region, stage, matched, request, context = event_base
    headers = _lower_headers(request)
    cookies = [c.strip() for c in headers.pop("cookie", "").split(";") if c.strip()]
    body, is_base64 = _body(request)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": matched.route.route_key,
        "rawPath": request.path if stage.name == "$default" else f"/{stage.name}{request.path}",
        "rawQueryString": urllib.parse.urlencode([(k, v) for k, vs in request.query.items() for v in vs]),
        "headers": headers,
        "requestContext": context,
        "isBase64Encoded": is_base64,
    }
    if cookies:
        event["cookies"] = cookies
    if request.query:
        event["queryStringParameters"] = {k: ",".join(v) for k, v in request.query.items()}
    if matched.path_parameters:
        event["pathParameters"] = dict(matched.path_parameters)
    if stage.stage_variables:
        event["stageVariables"] = dict(stage.stage_variables)
    if body is not None:
        event["body"] = body
    return event


def _event_v1(event_base: tuple) -> dict[str, Any]:
    api, account_id, region, stage, matched, request, context = event_base
    multi: dict[str, list[str]] = {}
    for name, value in request.raw_headers:
        multi.setdefault(name, []).append(value)
    body, is_base64 = _body(request)
    return {
        "version": "1.0",
        "resource": matched.route.route_key.partition(" ")[2] or "/",
        "path": request.path,
        "httpMethod": request.method,
        "headers": {name: values[-1] for name, values in multi.items()},
        "multiValueHeaders": multi,
        "queryStringParameters": {k: v[-1] for k, v in request.query.items()} or None,
        "multiValueQueryStringParameters": dict(request.query) or None,
        "pathParameters": dict(matched.path_parameters) or None,
        "stageVariables": dict(stage.stage_variables) or None,
        "requestContext": {
            **context,
            "httpMethod": request.method,
            "path": request.path,
            "resourcePath": matched.route.route_key.partition(" ")[2],
            "identity": {"sourceIp": request.source_ip},
        },
        "body": body,
        "isBase64Encoded": is_base64,
    }


def _cors_config(api: Any) -> dict[str, Any] | None:
    """The API's CORS configuration with its keys as the API reference spells them (moto keeps camelCase)."""
    config = api.cors_configuration
    return {key[:1].upper() + key[1:]: value for key, value in config.items()} if config else None


def _origin_allowed(config: dict[str, Any], origin: str) -> bool:
    allowed = config.get("AllowOrigins") or []
    return "*" in allowed or origin in allowed


def _cors(api: Any, request: HttpRequest) -> HttpResponse | None:
    """Answer a CORS preflight as configured (no route or authorizer involved)."""
    config = _cors_config(api)
    origin = request.headers.get("origin")
    if (
        not config
        or request.method != "OPTIONS"
        or not origin
        or "access-control-request-method" not in request.headers
    ):
        return None
    if not _origin_allowed(config, origin):
        return HttpResponse(204, {}, b"")
    methods = config.get("AllowMethods") or []
    headers = config.get("AllowHeaders") or []
    answer = {
        "Access-Control-Allow-Origin": origin if "*" not in (config.get("AllowOrigins") or []) else "*",
        "Access-Control-Allow-Methods": ",".join(methods),
    }
    if headers:
        answer["Access-Control-Allow-Headers"] = ",".join(headers)
    if config.get("MaxAge") is not None:
        answer["Access-Control-Max-Age"] = str(config["MaxAge"])
    if config.get("AllowCredentials"):
        answer["Access-Control-Allow-Credentials"] = "true"
    return HttpResponse(204, answer, b"")


def _with_cors(api: Any, request: HttpRequest, response: HttpResponse) -> HttpResponse:
    config = _cors_config(api)
    origin = request.headers.get("origin")
    if config and origin and _origin_allowed(config, origin):
        allowed = config.get("AllowOrigins") or []
        response.headers["Access-Control-Allow-Origin"] = "*" if "*" in allowed else origin
        exposed = config.get("ExposeHeaders") or []
        if exposed:
            response.headers["Access-Control-Expose-Headers"] = ",".join(exposed)
        if config.get("AllowCredentials"):
            response.headers["Access-Control-Allow-Credentials"] = "true"
    return response
