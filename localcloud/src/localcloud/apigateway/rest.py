"""Serve REST APIs (API Gateway v1) from the local cloud's own API Gateway state.

A stage serves its deployment (`deployments.py`): resources, methods, request
validators and models, integrations with their mapping templates and
integration responses as `CreateDeployment` froze them, and the stage's own
variables and throttling as they are now.
"""

from __future__ import annotations

import base64
import contextvars
import json
import time
import uuid
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jsonschema
from moto.apigateway.models import apigateway_backends

from localcloud.apigateway import access_log, deployments, iam_auth, integrations
from localcloud.apigateway.authorizers import Authorizers
from localcloud.apigateway.routing import match_path
from localcloud.apigateway.throttle import TokenBuckets
from localcloud.apigateway.usage_plans import UsagePlans
from localcloud.apigateway.vtl import TemplateError
from localcloud.core import metrics
from localcloud.core.http import HttpRequest, HttpResponse
from localcloud.lambda_.runner import Throttled
from localcloud.xray import gateway_segments
from localcloud.xray.traces import INCOMING


@dataclass
class Route:
    resource: Any
    method: Any
    path_parameters: dict[str, str]


def find_api(api_id: str) -> tuple[Any, str, str] | None:
    """The REST API with this id, and its account and region."""
    for account_id, regions in list(apigateway_backends.items()):
        for region, backend in list(regions.items()):
            api = backend.apis.get(api_id)
            if api is not None:
                return api, account_id, region
    return None


def match_route(api: Any, method: str, path: str) -> Route | None:
    """Literal segments beat {param}, which beats {proxy+}; ANY matches every method."""
    best: tuple[tuple[int, ...], Route] | None = None
    for resource in list(api.resources.values()):
        matched = match_path(resource.get_path(), path)
        if matched is None:
            continue
        methods = resource.resource_methods or {}
        chosen = methods.get(method) or methods.get("ANY")
        if chosen is None:
            continue
        if best is None or matched[0] > best[0]:
            best = (matched[0], Route(resource, chosen, matched[1]))
    return best[1] if best else None


class RestApiGateway:
    def __init__(self, lambda_service: Any, endpoint_url: str) -> None:
        self.lambda_service = lambda_service
        self.endpoint_url = endpoint_url
        self.throttles = TokenBuckets()
        self.authorizers = Authorizers(lambda_service)
        self.usage_plans = UsagePlans()
        # Recent requests' total and integration time, for `make bench` (GET /_localcloud/apigateway/timings).
        self.timings: deque[dict[str, Any]] = deque(maxlen=20_000)
        self._pool = ThreadPoolExecutor(max_workers=64, thread_name_prefix="apigw-integration")

    def handle(self, found: tuple[Any, str, str], stage_name: str, request: HttpRequest) -> HttpResponse:
        """Serve one request for the REST API `find_api` found (api, account, region)."""
        clock = time.perf_counter()
        context: dict[str, Any] = {}
        api, account_id, region = found
        trace = gateway_segments.begin(
            api,
            account_id,
            region,
            stage_name,
            api.stages.get(stage_name),
            request.method,
            request.path,
            request.headers.get("host", ""),
            request.headers.get("x-amzn-trace-id"),
        )
        # What the stage calls (authorizers, the integration) continues the trace under its subsegment.
        INCOMING.set(trace.header)
        reached: dict[str, Any] = {}
        response = self._handle(found, stage_name, request, context, reached)
        total_ms = (time.perf_counter() - clock) * 1000
        gateway_segments.finished(
            trace,
            api,
            account_id,
            region,
            stage_name,
            reached.get("integration"),
            request.method,
            f"https://{api.id}.execute-api.{region}.amazonaws.com/{stage_name}{request.path}",
            request.source_ip,
            response.status,
            len(response.body),
            str(context.get("requestId", "")),
            response.integration_ms,
        )
        metrics.api_served(
            found[1],
            found[2],
            {"ApiName": found[0].name},
            stage_name,
            response.status,
            total_ms,
            response.integration_ms,
            rest=True,
        )
        stage = found[0].stages.get(stage_name)
        if stage is not None and stage.access_log_settings:
            access_log.write(
                stage.access_log_settings,
                found[1],
                found[2],
                stage_name,
                {
                    **context,
                    "status": response.status,
                    "responseLatency": round(total_ms),
                    "integrationLatency": round(response.integration_ms),
                    "responseLength": len(response.body),
                    "error": {"message": _error_message(response)},
                },
            )
        self.timings.append(
            {
                "api": found[0].id,
                "path": request.path,
                "status": response.status,
                "total_ms": round(total_ms, 3),
                "integration_ms": round(getattr(response, "integration_ms", 0.0), 3),
            }
        )
        return response

    def _handle(
        self,
        found: tuple[Any, str, str],
        stage_name: str,
        request: HttpRequest,
        context: dict[str, Any],
        reached: dict[str, Any],
    ) -> HttpResponse:
        started = time.time()
        api, account_id, region = found
        stage = api.stages.get(stage_name)
        if stage is not None:
            api = deployments.deployed(api, stage)  # the stage serves its deployment's snapshot
        route = match_route(api, request.method, request.path) if stage else None
        if route is None:
            return HttpResponse.message(403, "Missing Authentication Token", "MissingAuthenticationTokenException")
        method = route.method
        if method.authorization_type == "AWS_IAM":
            if "authorization" not in request.headers:
                return HttpResponse.message(403, "Missing Authentication Token", "MissingAuthenticationTokenException")
            refused = iam_auth.refusal(
                request.headers["authorization"],
                account_id,
                region,
                api.id,
                stage_name,
                request.method,
                request.path,
                getattr(api, "policy", None),
            )
            if refused is not None:
                return HttpResponse(
                    403,
                    {"Content-Type": "application/json", "x-amzn-ErrorType": "AccessDeniedException"},
                    json.dumps({"Message": refused}).encode(),
                )

        settings = _method_settings(stage, route.resource.get_path(), method.http_method)
        bucket_key = f"{api.id}/{stage_name}/{route.resource.get_path()}/{method.http_method}"
        if not self.throttles.take(
            bucket_key, settings.get("throttlingRateLimit"), settings.get("throttlingBurstLimit")
        ):
            return HttpResponse.message(429, "Too Many Requests", "TooManyRequestsException")

        params = _parameters(request, route)
        context.update(_context(api, account_id, stage_name, route, request, started))
        if method.api_key_required and (api.api_key_source or "HEADER") == "HEADER":
            refused, identity = self.usage_plans.check(
                account_id,
                region,
                api.id,
                stage_name,
                request.headers.get("x-api-key"),
                f"{route.resource.get_path()}/{method.http_method}",
            )
            context["identity"].update(identity)
            if refused is not None:
                return HttpResponse.message(*refused)
        call = integrations.IntegrationCall(
            gateway=self,
            api=api,
            account_id=account_id,
            region=region,
            stage=stage,
            route=route,
            request=request,
            params=params,
            context=context,
        )
        if method.authorization_type in ("CUSTOM", "COGNITO_USER_POOLS"):
            decision = self.authorizers.authorize(call)
            if not decision.allowed:
                return HttpResponse(
                    decision.status, {"Content-Type": "application/json"}, json.dumps(decision.body).encode()
                )
            context["authorizer"] = decision.authorizer_context

        rejected = _validate(api, method, request, params)
        if rejected is not None:
            return rejected

        integration = method.method_integration
        if integration is None:
            return HttpResponse.message(500, "Internal server error")
        reached["integration"] = integration
        timeout_ms = int(integration.timeout_in_millis or integrations.DEFAULT_TIMEOUT_MS)
        future = self._pool.submit(contextvars.copy_context().run, _timed, call)
        try:
            return future.result(timeout=timeout_ms / 1000)
        except FutureTimeout:
            return HttpResponse.message(504, "Endpoint request timed out")
        except TemplateError as exc:
            print(f"apigateway: {api.id}/{stage_name} {request.method} {request.path}: {exc}", flush=True)
            return HttpResponse.message(500, "Internal server error")
        except Throttled:
            # A throttled function is the backend's failure, not the client's: 500, never Lambda's 429.
            return HttpResponse.message(500, "Internal server error")


def _error_message(response: HttpResponse) -> str | None:
    """The gateway's own error text ($context.error.message), for answers it made itself."""
    if response.status < 400 or response.integration_ms:
        return None
    try:
        return json.loads(response.body).get("message")
    except (ValueError, AttributeError):
        return None


def _timed(call: integrations.IntegrationCall) -> HttpResponse:
    started = time.perf_counter()
    response = integrations.execute(call)
    response.integration_ms = (time.perf_counter() - started) * 1000
    return response


def _method_settings(stage: Any, resource_path: str, http_method: str) -> dict[str, Any]:
    """Stage-wide settings (*/*) overlaid with the method's own (items/{id}/GET, as Terraform's method_path)."""
    settings = dict(stage.method_settings.get("*/*", {}))
    path = resource_path.lstrip("/")
    for key in (f"{path}/{http_method}", f"{path.replace('/', '~1')}/{http_method}"):
        settings.update(stage.method_settings.get(key, {}))
    return settings


def _parameters(request: HttpRequest, route: Route) -> dict[str, dict[str, str]]:
    return {
        "path": dict(route.path_parameters),
        "querystring": {k: v[-1] for k, v in request.query.items()},
        "header": {name: value for name, value in request.raw_headers} or dict(request.headers),
    }


def _validate(api: Any, method: Any, request: HttpRequest, params: dict[str, dict[str, str]]) -> HttpResponse | None:
    validator = api.request_validators.get(method.request_validator_id) if method.request_validator_id else None
    if validator is None:
        return None
    if validator.validate_request_parameters:
        missing = []
        for key, required in (method.request_parameters or {}).items():
            if not required:
                continue
            _, _, location, name = key.split(".", 3)
            present = name.lower() in request.headers if location == "header" else name in params.get(location, {})
            if not present:
                missing.append(name)
        if missing:
            return HttpResponse.message(
                400, f"Missing required request parameters: [{', '.join(missing)}]", "BadRequestException"
            )
    if validator.validate_request_body and method.request_models:
        content_type = request.headers.get("content-type", "application/json").split(";")[0].strip()
        model_name = method.request_models.get(content_type) or method.request_models.get("$default")
        model = next((m for m in api.models.values() if m.name == model_name), None)
        if model is not None and model.schema:
            schema = json.loads(model.schema) if isinstance(model.schema, str) else model.schema
            try:
                document = json.loads(request.body or b"null")
                jsonschema.validate(document, schema, cls=jsonschema.Draft4Validator)
            except (json.JSONDecodeError, jsonschema.ValidationError):
                return HttpResponse.message(400, "Invalid request body", "BadRequestException")
    return None


def _context(
    api: Any, account_id: str, stage_name: str, route: Route, request: HttpRequest, started: float
) -> dict[str, Any]:
    now = datetime.fromtimestamp(started, UTC)
    request_id = str(uuid.uuid4())
    return {
        "accountId": account_id,
        "apiId": api.id,
        "domainName": f"{api.id}.execute-api.localcloud",
        "domainPrefix": api.id,
        "extendedRequestId": base64.urlsafe_b64encode(uuid.uuid4().bytes[:12]).decode(),
        "httpMethod": request.method,
        "identity": {
            "sourceIp": request.source_ip,
            "userAgent": request.headers.get("user-agent", ""),
            "accessKey": None,
            "accountId": None,
            "caller": None,
            "user": None,
            "userArn": None,
            "cognitoIdentityId": None,
            "cognitoIdentityPoolId": None,
            "cognitoAuthenticationType": None,
            "cognitoAuthenticationProvider": None,
        },
        "path": f"/{stage_name}{request.path}",
        "protocol": "HTTP/1.1",
        "requestId": request_id,
        "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "requestTimeEpoch": int(started * 1000),
        "resourceId": route.resource.id,
        "resourcePath": route.resource.get_path(),
        "stage": stage_name,
    }
