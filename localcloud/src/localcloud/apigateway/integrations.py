"""Integration types of a REST API method: AWS_PROXY, AWS, HTTP, HTTP_PROXY and MOCK."""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.session import get_session

from localcloud.apigateway.vtl import render
from localcloud.core.http import HttpResponse
from localcloud.lambda_.invoke import find_function, service_may_invoke
from localcloud.xray.traces import INCOMING

# The service part of an integration ARN (arn:aws:apigateway:region:SERVICE:...) -> botocore's name.
BOTOCORE_NAMES = {"states": "stepfunctions", "monitoring": "cloudwatch", "email": "ses"}
LAMBDA_URI = re.compile(r"functions/(?P<arn>arn:[^/]+)/invocations")
SERVICE_URI = re.compile(
    r"^arn:[^:]+:apigateway:(?P<region>[^:]*):(?P<service>[^:]+):(?P<kind>action|path)/(?P<rest>.*)$"
)
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"}

_service_models: dict[str, Any] = {}


@dataclass
class IntegrationCall:
    gateway: Any
    api: Any
    account_id: str
    region: str
    stage: Any
    route: Any
    request: Any
    params: dict[str, dict[str, str]]
    context: dict[str, Any]

    @property
    def integration(self) -> Any:
        return self.route.method.method_integration


@dataclass
class BackendResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    selector: str  # what integration responses' selection patterns are matched against


def execute(call: IntegrationCall) -> HttpResponse:
    kind = call.integration.integration_type
    if kind == "AWS_PROXY":
        return _lambda_proxy(call)
    if kind == "HTTP_PROXY":
        return _http_proxy(call)
    if kind == "MOCK":
        backend = _mock(call)
    elif kind == "AWS":
        backend = _aws(call)
    elif kind == "HTTP":
        backend = _http(call)
    else:
        return HttpResponse.message(500, "Internal server error")
    if isinstance(backend, HttpResponse):
        return backend
    return _map_response(call, backend)


# -- Lambda proxy (payload format 1.0) -----------------------------------------------------


def proxy_event(call: IntegrationCall) -> dict[str, Any]:
    request = call.request
    body = request.body
    try:
        text, is_base64 = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, is_base64 = base64.b64encode(body).decode(), True
    multi_headers: dict[str, list[str]] = {}
    for name, value in request.raw_headers:
        if name.lower() != "x-amzn-trace-id":
            multi_headers.setdefault(name, []).append(value)
    trace = INCOMING.get()
    if trace is not None:  # API Gateway's own header: the trace's root, whatever the client sent
        multi_headers["X-Amzn-Trace-Id"] = [f"Root={trace.root}"]
    query = request.query
    return {
        "resource": call.route.resource.get_path(),
        "path": request.path,
        "httpMethod": request.method,
        "headers": {name: values[-1] for name, values in multi_headers.items()} or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": dict(query) or None,
        "pathParameters": dict(call.route.path_parameters) or None,
        "stageVariables": dict(call.stage.variables) or None,
        "requestContext": call.context,
        "body": text if body else None,
        "isBase64Encoded": is_base64,
    }


def _function(target: str | None) -> Any | None:
    """The function an integration or authorizer names: an invocation URI or (HTTP APIs) a bare ARN."""
    match = LAMBDA_URI.search(target or "")
    arn = match.group("arn") if match else target
    if not arn or not arn.startswith("arn:") or ":function:" not in arn:
        return None
    try:
        return find_function(arn)
    except Exception:  # a missing function is API Gateway's 500, not a crash
        return None


def execute_api_arn(region: str, account_id: str, api_id: str, rest_of_it: str) -> str:
    return f"arn:aws:execute-api:{region}:{account_id}:{api_id}/{rest_of_it}"


def may_invoke(fn: Any, source_arn: str) -> bool:
    """API Gateway invokes a function only where its resource policy (AddPermission) admits
    apigateway.amazonaws.com from this source: the method (`api/stage/METHOD/resource-path`) or the
    authorizer (`api/authorizers/id`). Without one AWS answers 500 and logs "Invalid permissions on
    Lambda function"; the function never runs."""
    return service_may_invoke(fn, "apigateway.amazonaws.com", source_arn, source_arn.split(":")[4])


def method_arn(call: IntegrationCall) -> str:
    return execute_api_arn(
        call.region,
        call.account_id,
        call.api.id,
        f"{call.stage.name}/{call.request.method}{call.route.resource.get_path()}",
    )


def _lambda_proxy(call: IntegrationCall) -> HttpResponse:
    fn = _function(call.integration.uri)
    if fn is None or not may_invoke(fn, method_arn(call)):
        return HttpResponse.message(500, "Internal server error")
    invocation = call.gateway.lambda_service.run(fn, json.dumps(proxy_event(call)))
    if invocation.error_type is not None:
        return HttpResponse.message(502, "Internal server error")
    try:
        result = json.loads(invocation.payload)
        status = int(result["statusCode"])
    except (ValueError, KeyError, TypeError):
        # API Gateway's answer to a malformed Lambda proxy response
        return HttpResponse.message(502, "Internal server error")
    headers: dict[str, str] = {}
    repeated: list[tuple[str, str]] = []
    for name, values in (result.get("multiValueHeaders") or {}).items():
        if name.lower() == "set-cookie":
            repeated += [(name, str(v)) for v in values]
        else:
            headers[name] = ",".join(str(v) for v in values)
    for name, value in (result.get("headers") or {}).items():
        headers[name] = str(value)
    body = result.get("body") or ""
    if not isinstance(body, str):
        return HttpResponse.message(502, "Internal server error")
    raw = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    headers.setdefault("Content-Type", "application/json")
    return HttpResponse(status, headers, raw, repeated_headers=repeated)


# -- requests built from mapping templates ---------------------------------------------------


def _request_body(call: IntegrationCall) -> str | HttpResponse:
    integration = call.integration
    templates = integration.request_templates or {}
    content_type = call.request.headers.get("content-type", "application/json").split(";")[0].strip()
    body = call.request.body.decode("utf-8", errors="replace")
    template = templates.get(content_type)
    if template is None:
        behaviour = (integration.passthrough_behaviour or "WHEN_NO_MATCH").upper()
        if behaviour == "NEVER" or (behaviour == "WHEN_NO_TEMPLATES" and templates):
            return HttpResponse.message(415, "Unsupported Media Type", "UnsupportedMediaTypeException")
        return body
    return render_template(template, body=body, call=call) if template else ""


def _parameter_value(call: IntegrationCall, source: str) -> str | None:
    if source.startswith("'") and source.endswith("'"):
        return source[1:-1]
    parts = source.split(".")
    if parts[:2] == ["method", "request"] and len(parts) >= 4:
        location, name = parts[2], ".".join(parts[3:])
        if location == "header":
            return call.request.headers.get(name.lower())
        return call.params.get(location, {}).get(name)
    if parts[0] == "stageVariables":
        return (call.stage.variables or {}).get(".".join(parts[1:]))
    if parts[0] == "context":
        value: Any = call.context
        for part in parts[1:]:
            value = value.get(part) if isinstance(value, dict) else None
        return None if value is None else str(value)
    return None


def _integration_parameters(call: IntegrationCall) -> dict[str, dict[str, str]]:
    mapped: dict[str, dict[str, str]] = {"header": {}, "querystring": {}, "path": {}}
    for target, source in (call.integration.request_parameters or {}).items():
        parts = target.split(".")  # integration.request.<location>.<name>
        value = _parameter_value(call, source)
        if len(parts) >= 4 and value is not None:
            mapped.setdefault(parts[2], {})[".".join(parts[3:])] = value
    return mapped


def _mock(call: IntegrationCall) -> BackendResponse | HttpResponse:
    rendered = _request_body(call)
    if isinstance(rendered, HttpResponse):
        return rendered
    try:
        status = int(json.loads(rendered or "{}").get("statusCode", 200))
    except (ValueError, AttributeError):
        return HttpResponse.message(500, "Internal server error")
    return BackendResponse(status, {}, b"", str(status))


def _send(
    method: str, url: str, headers: dict[str, str], body: bytes, timeout: float
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        url, data=body if method not in ("GET", "HEAD") else None, method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def _pass_trace_header(headers: dict[str, str]) -> None:
    """API Gateway calls its integration with the trace header (the stage's integration subsegment as parent)."""
    header = INCOMING.get()
    if header is not None:
        for name in [n for n in headers if n.lower() == "x-amzn-trace-id"]:
            del headers[name]
        headers["X-Amzn-Trace-Id"] = str(header)


def _service_model(name: str) -> Any:
    if name not in _service_models:
        _service_models[name] = get_session().get_service_model(name)
    return _service_models[name]


def _xml_to_dict(element: ElementTree.Element) -> Any:
    children = list(element)
    if not children:
        return element.text or ""
    result: dict[str, Any] = {}
    for child in children:
        tag = child.tag.split("}", 1)[-1]
        value = _xml_to_dict(child)
        if tag in result:
            result[tag] = result[tag] if isinstance(result[tag], list) else [result[tag]]
            result[tag].append(value)
        else:
            result[tag] = value
    return result


def _aws(call: IntegrationCall) -> BackendResponse | HttpResponse:
    integration = call.integration
    if LAMBDA_URI.search(integration.uri or ""):
        return _lambda_custom(call)
    match = SERVICE_URI.match(integration.uri or "")
    if not match:
        return HttpResponse.message(500, "Internal server error")
    body = _request_body(call)
    if isinstance(body, HttpResponse):
        return body
    region = match.group("region") or call.region
    service = match.group("service").split(".")[-1]
    model = _service_model(BOTOCORE_NAMES.get(service, service))
    mapped = _integration_parameters(call)
    headers = dict(mapped["header"])
    query = dict(mapped["querystring"])
    path = match.group("rest")
    for name, value in mapped["path"].items():
        path = path.replace("{" + name + "}", urllib.parse.quote(value, safe=""))
    if match.group("kind") == "action":
        action, path = path, ""
        protocol = model.metadata.get("protocol")
        if protocol == "json":
            headers["X-Amz-Target"] = f"{model.metadata['targetPrefix']}.{action}"
            headers.setdefault("Content-Type", f"application/x-amz-json-{model.metadata.get('jsonVersion', '1.0')}")
        else:
            query.update({"Action": action, "Version": model.metadata["apiVersion"]})
    url = call.gateway.endpoint_url.rstrip("/") + "/" + path.lstrip("/")
    if query:
        url += "?" + urllib.parse.urlencode(query)
    method = (integration.http_method or "POST").upper()
    credentials = integration_credentials(call)
    if credentials is None:
        # "Execution failed due to configuration error": no role, or one API Gateway may not assume.
        return HttpResponse.message(500, "Internal server error")
    _pass_trace_header(headers)
    aws_request = AWSRequest(method=method, url=url, data=body.encode(), headers=headers)
    SigV4Auth(credentials, model.metadata.get("signingName") or model.metadata["endpointPrefix"], region).add_auth(
        aws_request
    )
    timeout = int(integration.timeout_in_millis or DEFAULT_TIMEOUT_MS) / 1000
    status, response_headers, raw = _send(method, url, dict(aws_request.headers.items()), body.encode(), timeout)
    if raw.lstrip().startswith(b"<"):
        # API Gateway asks AWS services for JSON; query-protocol services answer XML locally.
        try:
            root = ElementTree.fromstring(raw)
            raw = json.dumps({root.tag.split("}", 1)[-1]: _xml_to_dict(root)}).encode()
        except ElementTree.ParseError:
            pass
    return BackendResponse(status, response_headers, raw, str(status))


def assumed_by_apigateway(role_arn: str | None, account_id: str, region: str, label: str) -> dict[str, str] | None:
    """A session of an integration's `credentials` role, which API Gateway assumes for each AWS service
    call: the call is then authorized as that role. None when there is no role or its trust policy does not
    admit apigateway.amazonaws.com ("Execution failed due to configuration error" in AWS). API Gateway
    assumes it without aws:SourceAccount or aws:SourceArn, so a trust policy requiring either admits nobody."""
    from localcloud.core import iam

    del account_id  # the request context carries no source keys
    return iam.service_session(role_arn, "apigateway.amazonaws.com", label, region)


def integration_credentials(call: IntegrationCall) -> Credentials | None:
    session = assumed_by_apigateway(
        call.integration.credentials, call.account_id, call.region, f"apigateway-{call.api.id}"
    )
    if session is None:
        return None
    return Credentials(session["AWS_ACCESS_KEY_ID"], session["AWS_SECRET_ACCESS_KEY"], session["AWS_SESSION_TOKEN"])


def _lambda_custom(call: IntegrationCall) -> BackendResponse | HttpResponse:
    fn = _function(call.integration.uri)
    if fn is None or not may_invoke(fn, method_arn(call)):
        return HttpResponse.message(500, "Internal server error")
    body = _request_body(call)
    if isinstance(body, HttpResponse):
        return body
    invocation = call.gateway.lambda_service.run(fn, body or "{}")
    if invocation.error_type is not None:
        # Lambda custom integrations select responses by the error message.
        message = json.loads(invocation.payload).get("errorMessage", "")
        return BackendResponse(200, {}, invocation.payload, message)
    return BackendResponse(200, {}, invocation.payload, "")


def _http(call: IntegrationCall) -> BackendResponse | HttpResponse:
    body = _request_body(call)
    if isinstance(body, HttpResponse):
        return body
    mapped = _integration_parameters(call)
    url = _http_url(call, mapped["path"])
    if mapped["querystring"]:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(mapped["querystring"])
    method = (call.integration.http_method or call.request.method).upper()
    timeout = int(call.integration.timeout_in_millis or DEFAULT_TIMEOUT_MS) / 1000
    headers = dict(mapped["header"])
    _pass_trace_header(headers)
    status, headers, raw = _send(method, url, headers, body.encode(), timeout)
    return BackendResponse(status, headers, raw, str(status))


def _http_url(call: IntegrationCall, path_values: dict[str, str]) -> str:
    url = call.integration.uri
    values = {**call.route.path_parameters, **path_values}
    for name, value in values.items():
        # Slashes stay: a greedy {proxy+} value mapped into the URI is a path.
        url = url.replace("{" + name + "+}", value).replace("{" + name + "}", urllib.parse.quote(value, safe="/"))
    return url


def _http_proxy(call: IntegrationCall) -> HttpResponse:
    request = call.request
    mapped = _integration_parameters(call)
    url = _http_url(call, mapped["path"])
    query = [(k, v) for k, values in request.query.items() for v in values]
    if query:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
    headers = {name: value for name, value in request.raw_headers if name.lower() not in HOP_BY_HOP}
    headers.update(mapped["header"])
    _pass_trace_header(headers)
    method = (call.integration.http_method or "ANY").upper()
    method = request.method if method == "ANY" else method
    timeout = int(call.integration.timeout_in_millis or DEFAULT_TIMEOUT_MS) / 1000
    try:
        status, response_headers, raw = _send(method, url, headers, request.body, timeout)
    except (urllib.error.URLError, OSError):
        return HttpResponse.message(502, "Internal server error")
    kept = {k: v for k, v in response_headers.items() if k.lower() not in HOP_BY_HOP}
    return HttpResponse(status, kept, raw)


# -- integration responses ---------------------------------------------------------------


def _map_response(call: IntegrationCall, backend: BackendResponse) -> HttpResponse:
    integration = call.integration
    chosen = select_integration_response(integration, backend.selector)
    if chosen is None:
        print(f"apigateway: no integration response matches '{backend.selector[:80]}' and none is default", flush=True)
        return HttpResponse.message(500, "Internal server error")
    status = int(chosen.status_code)
    body_text = backend.body.decode("utf-8", errors="replace")
    templates = chosen.response_templates or {}
    accept = call.request.headers.get("accept", "application/json").split(",")[0].split(";")[0].strip()
    content_type = (
        accept
        if accept in templates
        else ("application/json" if "application/json" in templates else next(iter(templates), "application/json"))
    )
    template = templates.get(content_type)
    out = render_template(template, body=body_text, call=call).encode() if template else backend.body
    headers = {"Content-Type": content_type}
    for target, source in (chosen.response_parameters or {}).items():
        name = target.split(".", 3)[-1]
        if source.startswith("'") and source.endswith("'"):
            headers[name] = source[1:-1]
        elif source.startswith("integration.response.header."):
            value = next((v for k, v in backend.headers.items() if k.lower() == source.split(".", 3)[-1].lower()), None)
            if value is not None:
                headers[name] = value
        elif source.startswith("integration.response.body"):
            try:
                document = json.loads(body_text)
                path = source[len("integration.response.body") :].lstrip(".")
                for part in [p for p in path.split(".") if p]:
                    document = document[part]
                headers[name] = document if isinstance(document, str) else json.dumps(document)
            except (ValueError, KeyError, TypeError):
                pass
    return HttpResponse(status, headers, out)


# REST API integrations time out after 29 s unless the integration says otherwise.
DEFAULT_TIMEOUT_MS = 29_000


def render_template(template: str, *, body: str, call: Any) -> str:
    return render(
        template, body=body, params=call.params, context=call.context, stage_variables=dict(call.stage.variables or {})
    )


def select_integration_response(integration: Any, selector: str) -> Any | None:
    """The integration response whose selection pattern matches, else the default one."""
    responses = list((integration.integration_responses or {}).values())
    default = None
    for response in responses:
        pattern = response.selection_pattern
        if not pattern:
            default = response
        elif re.fullmatch(pattern, selector, flags=re.DOTALL):
            return response
    return default


def matches_pattern(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern, value, flags=re.DOTALL) is not None
