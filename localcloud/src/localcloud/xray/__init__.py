"""X-Ray: a daemon on loopback, traces assembled from real segments, and the services' own segments."""

from __future__ import annotations

import os
from typing import Any

from localcloud.extension import Context, Extension, Feature

DEFAULT_ACCOUNT = "123456789012"


def install(context: Context) -> None:
    from localcloud.xray import api, daemon

    api.install()
    port = int(context.endpoint.rsplit(":", 1)[1])
    region = os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION") or "us-east-1"
    try:  # the daemon listens on the server's own port number, over UDP
        running = daemon.Daemon(port, DEFAULT_ACCOUNT, region)
    except OSError:
        running = daemon.Daemon(0, DEFAULT_ACCOUNT, region)
    context.services["xray-daemon"] = running
    context.on_stop(running.stop)
    host, _, daemon_port = running.address.partition(":")
    # What Lambda sets in every execution environment; the SDKs send their segments there.
    context.runner.machine_environment.update(
        {
            "AWS_XRAY_DAEMON_ADDRESS": running.address,
            "_AWS_XRAY_DAEMON_ADDRESS": host,
            "_AWS_XRAY_DAEMON_PORT": daemon_port,
        }
    )


def trace_header_middleware(app: Any, context: Context) -> Any:
    """Each request's `X-Amzn-Trace-Id` is the trace the services it reaches continue (SQS keeps it with a
    message, Lambda's Invoke continues it, SNS passes it to its subscribers)."""
    from localcloud.xray.traces import INCOMING, TraceHeader

    def serve(environ: dict[str, Any], start_response: Any) -> Any:
        INCOMING.set(TraceHeader.parse(environ.get("HTTP_X_AMZN_TRACE_ID")))
        return app(environ, start_response)

    return serve


EXTENSION = Extension(
    service="xray",
    summary="a daemon on loopback; traces from real segments, Lambda's own segments, filters, the service graph",
    install=install,
    middleware=trace_header_middleware,
    features=(
        Feature(
            title="X-Ray traces what really ran.",
            does=(
                "A daemon listens on loopback over UDP (the server's port number; `AWS_XRAY_DAEMON_ADDRESS` in "
                "every function's environment), so Powertools Tracer and `aws-xray-sdk` in a function send their "
                "segments, uploaded as the function's role (a role without `xray:PutTraceSegments` loses them, and "
                "Lambda refuses active tracing for it at CreateFunction with AWS's message). Lambda records its "
                "own `AWS::Lambda` and `AWS::Lambda::Function` segments (Initialization, Invocation, Overhead; a "
                "fault with the error's cause; a throttle with 429) for sampled invocations: an incoming "
                "`Sampled=1` header whatever the mode, or Lambda's own decision (one a second and 5%) for an "
                "`Active` function; `_X_AMZN_TRACE_ID` is set per invocation. A REST stage with tracing on samples by "
                "the account's sampling rules and records its `AWS::ApiGateway::Stage` segment with the "
                "integration's subsegment, under which the function or service continues the trace. A request's "
                "`X-Amzn-Trace-Id` is continued by Lambda's Invoke, passed by SNS to its subscribers (an `Active` "
                "topic records its own segment, with a subsegment per delivery, where X-Ray's resource policy "
                "admits `sns.amazonaws.com` for it), passed by EventBridge to a rule's targets (its retries included) "
                "and kept by SQS as `AWSTraceHeader` (in Lambda's SQS records too). "
                "`PutTraceSegments` validates documents as X-Ray does; `BatchGetTraces` assembles subsegments "
                "sent on their own into their parents; `GetTraceSummaries` evaluates filter expressions (ok, "
                "error, fault, throttle, responsetime, duration, http.*, annotation.*, service() with a "
                "sub-filter); `GetServiceGraph` and `GetTraceGraph` draw nodes per service and inferred nodes "
                "for AWS and remote calls, with ok/error/throttle/fault statistics; groups, sampling rules "
                "(the Default rule included) and resource policies are kept, validated, tagged, and decide. `localcloud traces` prints the "
                "latest traces as timelines in the terminal."
            ),
            moto_without=(
                "functions ran with tracing disabled; segments were stored as sent, summaries were guesses, "
                "filters answered 500, the service graph was always empty, groups and sampling rules did not exist"
            ),
            code=(
                "xray/traces.py",
                "xray/daemon.py",
                "xray/api.py",
                "xray/filters.py",
                "xray/graph.py",
                "xray/sampling.py",
                "xray/lambda_segments.py",
                "xray/gateway_segments.py",
                "xray/topic_segments.py",
                "xray/resources.py",
                "xray/timeline.py",
            ),
            tests=("localcloud/xray/test_xray.py",),
        ),
    ),
)
