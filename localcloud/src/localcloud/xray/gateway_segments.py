"""The segment a REST API stage records for a traced request, as API Gateway records it.

A stage with tracing enabled samples by the account's sampling rules (service name `<api>/<stage>`, type
`AWS::ApiGateway::Stage`, host, method, path), unless the caller's header already decided; a stage without
tracing records only requests a caller sampled. A request without a header gets a new trace. The segment
(`<api>/<stage>`, its HTTP request and status, `aws.api_gateway`, the deciding rule) has one subsegment for
the integration: `Lambda` for a function, the service for an AWS integration, the host for HTTP; the
integration is called with the trace header naming that subsegment as parent, so the function's or
service's own segments continue the trace under it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from localcloud.xray import sampling, traces

SERVICE_NAMES = {"sqs": "SQS", "sns": "SNS", "dynamodb": "DynamoDB", "kinesis": "Kinesis", "states": "SFN",
                 "events": "EventBridge", "firehose": "Firehose", "s3": "S3", "lambda": "Lambda"}  # fmt: skip


@dataclass(frozen=True)
class StageTrace:
    header: traces.TraceHeader  # what the integration is called with
    incoming_parent: str | None
    segment_id: str
    integration_id: str
    rule: str
    started: float


def begin(api: Any, account: str, region: str, stage_name: str, stage: Any, method: str, path: str,
          host: str, header: str | None) -> StageTrace:  # fmt: skip
    incoming = traces.TraceHeader.parse(header)
    rule = ""
    if incoming is not None and incoming.sampled is not None:
        sampled = incoming.sampled
    elif stage is not None and getattr(stage, "tracing_enabled", False):
        request = sampling.Request(
            service_name=f"{api.name}/{stage_name}",
            service_type="AWS::ApiGateway::Stage",
            host=host,
            method=method,
            path=path,
            resource_arn=stage_arn(api, region, stage_name),
        )
        sampled, rule = sampling.RULES.decide(account, region, request)
    else:
        sampled = False
    root = incoming.root if incoming is not None else traces.new_trace_id()
    integration_id = traces.new_segment_id()
    return StageTrace(
        traces.TraceHeader(root, integration_id, sampled),
        incoming.parent if incoming is not None else None,
        traces.new_segment_id(),
        integration_id,
        rule,
        time.time(),
    )


def stage_arn(api: Any, region: str, stage_name: str) -> str:
    return f"arn:aws:apigateway:{region}::/restapis/{api.id}/stages/{stage_name}"


def _integration_subsegment(trace: StageTrace, integration: Any, region: str, start: float, end: float) -> dict | None:
    if integration is None or (integration.integration_type or "").upper() == "MOCK":
        return None
    uri = integration.uri or ""
    sub: dict[str, Any] = {"id": trace.integration_id, "start_time": start, "end_time": end}
    if "functions/" in uri and uri.endswith("/invocations"):
        function_arn = uri.split("functions/", 1)[1].rsplit("/invocations", 1)[0]
        function_name = function_arn.split(":")[6] if function_arn.count(":") >= 6 else function_arn
        sub.update(
            name="Lambda",
            namespace="aws",
            http={
                "request": {
                    "url": f"https://lambda.{region}.amazonaws.com/2015-03-31/functions/{function_arn}/invocations"
                }
            },
            aws={
                "function_name": function_name,
                "region": region,
                "operation": "Invoke",
                "resource_names": [function_name],
            },
        )
    elif uri.startswith("arn:"):
        service = uri.split(":")[4].split(".")[-1]
        action = uri.split(":", 5)[5].split("/", 1)[-1]
        sub.update(
            name=SERVICE_NAMES.get(service, service), namespace="aws", aws={"operation": action, "region": region}
        )
    else:
        sub.update(
            name=urlsplit(uri).hostname or uri,
            namespace="remote",
            http={"request": {"url": uri, "method": (integration.http_method or "").upper()}},
        )
    return sub


def finished(
    trace: StageTrace,
    api: Any,
    account: str,
    region: str,
    stage_name: str,
    integration: Any,
    method: str,
    url: str,
    client_ip: str,
    status: int,
    length: int,
    request_id: str,
    integration_ms: float,
) -> None:
    if not trace.header.sampled:
        return
    end = time.time()
    segment: dict[str, Any] = {
        "id": trace.segment_id,
        "trace_id": trace.header.root,
        "name": f"{api.name}/{stage_name}",
        "origin": "AWS::ApiGateway::Stage",
        "start_time": trace.started,
        "end_time": end,
        "resource_arn": stage_arn(api, region, stage_name),
        "http": {
            "request": {"url": url, "method": method, "client_ip": client_ip},
            "response": {"status": status, "content_length": length},
        },
        "aws": {
            "api_gateway": {
                "account_id": account,
                "rest_api_id": api.id,
                "stage": stage_name,
                "request_id": request_id,
            },
            "xray": {"sampling_rule_name": trace.rule} if trace.rule else {},
        },
        "annotations": {"aws:api_id": api.id, "aws:api_stage": stage_name},
    }
    if trace.incoming_parent:
        segment["parent_id"] = trace.incoming_parent
    if status >= 500:
        segment["fault"] = True
    elif status == 429:
        segment.update(throttle=True, error=True)
    elif status >= 400:
        segment["error"] = True
    if integration_ms > 0:
        start = max(trace.started, end - integration_ms / 1000)
        sub = _integration_subsegment(trace, integration, region, start, start + integration_ms / 1000)
        if sub is not None:
            segment["subsegments"] = [sub]
    traces.STORE.put(account, region, segment)
