"""CloudWatch metrics the local cloud publishes as AWS does.

- ``AWS/Lambda`` per function (dimension FunctionName): Invocations, Errors,
  Throttles, Duration (ms) and ConcurrentExecutions (the function's invocations
  in flight when each one started; read it with the Maximum statistic);
  DestinationDeliveryFailures and DeadLetterErrors when Lambda cannot hand an
  asynchronous event's record on (the role may not, or the key policy refuses).
- ``AWS/Lambda`` IteratorAge (ms) per function for stream mappings: the age of a batch's last record when
  the function is invoked with it (read it with Maximum).
- ``AWS/ApiGateway``: an HTTP API's Count, 4xx, 5xx, Latency and IntegrationLatency per ApiId and per
  ApiId and Stage; a REST API's Count, 4XXError, 5XXError, Latency and IntegrationLatency per ApiName
  and per ApiName and Stage.
- ``AWS/States`` per state machine (StateMachineArn): ExecutionsStarted, ExecutionsSucceeded,
  ExecutionsFailed, ExecutionsAborted, ExecutionsTimedOut.
- ``AWS/SQS`` per queue (QueueName), sampled every ``LOCALCLOUD_SQS_METRICS_S`` seconds (60, as SQS
  samples): ApproximateNumberOfMessagesVisible, ApproximateNumberOfMessagesNotVisible,
  ApproximateAgeOfOldestMessage (seconds; 0 for an empty queue).
- ``AWS/Firehose`` per delivery stream (DeliveryStreamName): IncomingRecords, IncomingBytes,
  IncomingPutRequests, DeliveryToS3.Records/.Bytes/.Success/.DataFreshness, ExecuteProcessing.Success/
  .Duration, SucceedProcessing.Records/.Bytes, DataReadFromKinesisStream.Records/.Bytes,
  KinesisMillisBehindLatest (each minute, for a Kinesis source).
- ``AWS/Scheduler`` per schedule group (ScheduleGroup): InvocationAttemptCount, TargetErrorCount,
  TargetErrorThrottledCount, InvocationDroppedCount, InvocationsSentToDeadLetterCount and
  InvocationsFailedToBeSentToDeadLetterCount (with its `_<error code>` twin).
- ``AWS/EventBridge/Pipes`` per pipe (PipeName): Invocations, EventCount, ExecutionFailed,
  ExecutionPartiallyFailed, EnrichmentStageFailed, TargetStageFailed, TargetStagePartiallyFailed,
  TargetStageSkipped.
- ``AWS/CloudFront`` per distribution (DistributionId, Region=Global; in us-east-1 as CloudFront publishes
  them): Requests, BytesDownloaded, and per request 4xxErrorRate, 5xxErrorRate and TotalErrorRate as 0 or
  100 percent (their Average over a period is the period's rate).
- CloudWatch embedded metric format (EMF): a JSON log line of a function with an
  ``_aws.CloudWatchMetrics`` directive becomes metric data, as CloudWatch Logs
  extracts it in AWS (Powertools Metrics writes these lines).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends

from localcloud.lambda_.runner import Invocation

LAMBDA_NAMESPACE = "AWS/Lambda"


def _put(account: str, region: str, namespace: str, data: list[dict[str, Any]]) -> None:
    if data:
        cloudwatch_backends[account][region].put_metric_data(namespace, data)


def _datum(
    name: str, value: float, unit: str, dimensions: dict[str, str], timestamp: datetime | None = None
) -> dict[str, Any]:
    datum: dict[str, Any] = {
        "MetricName": name,
        "Value": value,
        "Unit": unit,
        "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()],
    }
    if timestamp is not None:
        datum["Timestamp"] = timestamp.astimezone(UTC).replace(tzinfo=None)  # moto compares naive UTC times
    return datum


def lambda_invoked(account: str, region: str, function_name: str, invocation: Invocation) -> None:
    dimensions = {"FunctionName": function_name}
    _put(
        account,
        region,
        LAMBDA_NAMESPACE,
        [
            _datum("Invocations", 1, "Count", dimensions),
            _datum("Errors", 1 if invocation.error_type is not None else 0, "Count", dimensions),
            _datum("Duration", round(invocation.duration_ms, 2), "Milliseconds", dimensions),
            _datum("ConcurrentExecutions", invocation.concurrent_executions, "Count", dimensions),
        ],
    )


def lambda_throttled(account: str, region: str, function_name: str) -> None:
    _put(account, region, LAMBDA_NAMESPACE, [_datum("Throttles", 1, "Count", {"FunctionName": function_name})])


def lambda_delivery_failed(account: str, region: str, function_name: str, metric: str) -> None:
    """DestinationDeliveryFailures or DeadLetterErrors: a record Lambda could not hand on."""
    _put(account, region, LAMBDA_NAMESPACE, [_datum(metric, 1, "Count", {"FunctionName": function_name})])


def firehose(account: str, region: str, stream: str, values: dict[str, tuple[float, str]]) -> None:
    """A delivery stream's metrics: name -> (value, unit)."""
    dimensions = {"DeliveryStreamName": stream}
    _put(account, region, "AWS/Firehose", [_datum(n, v, unit, dimensions) for n, (v, unit) in values.items()])


def scheduler(account: str, region: str, group: str, names: Iterable[str]) -> None:
    """One count of each named metric for a schedule group."""
    dimensions = {"ScheduleGroup": group}
    _put(account, region, "AWS/Scheduler", [_datum(name, 1, "Count", dimensions) for name in names])


def pipes(account: str, region: str, pipe: str, values: dict[str, float]) -> None:
    """A pipe's metrics: name -> value."""
    dimensions = {"PipeName": pipe}
    _put(account, region, "AWS/EventBridge/Pipes", [_datum(n, v, "None", dimensions) for n, v in values.items()])


def stream_batch_invoked(account: str, region: str, function_name: str, age_ms: float) -> None:
    _put(
        account,
        region,
        LAMBDA_NAMESPACE,
        [_datum("IteratorAge", round(age_ms), "Milliseconds", {"FunctionName": function_name})],
    )


def api_served(
    account: str,
    region: str,
    api: dict[str, str],
    stage: str,
    status: int,
    latency_ms: float,
    integration_ms: float,
    *,
    rest: bool,
) -> None:
    """One request an API answered: `api` is {"ApiId": id} (HTTP API) or {"ApiName": name} (REST API)."""
    client_error, server_error = ("4XXError", "5XXError") if rest else ("4xx", "5xx")
    data = []
    for dimensions in (api, {**api, "Stage": stage}):
        data += [
            _datum("Count", 1, "Count", dimensions),
            _datum(client_error, 1 if 400 <= status < 500 else 0, "Count", dimensions),
            _datum(server_error, 1 if status >= 500 else 0, "Count", dimensions),
            _datum("Latency", round(latency_ms, 2), "Milliseconds", dimensions),
            _datum("IntegrationLatency", round(integration_ms, 2), "Milliseconds", dimensions),
        ]
    _put(account, region, "AWS/ApiGateway", data)


def execution_metric(state_machine_arn: str, metric: str) -> None:
    parts = state_machine_arn.split(":")
    _put(parts[4], parts[3], "AWS/States", [_datum(metric, 1, "Count", {"StateMachineArn": state_machine_arn})])


def queue_sampled(
    account: str, region: str, queue_name: str, visible: int, in_flight: int, oldest_age_s: float
) -> None:
    dimensions = {"QueueName": queue_name}
    _put(
        account,
        region,
        "AWS/SQS",
        [
            _datum("ApproximateNumberOfMessagesVisible", visible, "Count", dimensions),
            _datum("ApproximateNumberOfMessagesNotVisible", in_flight, "Count", dimensions),
            _datum("ApproximateAgeOfOldestMessage", round(oldest_age_s), "Seconds", dimensions),
        ],
    )


def database_sampled(account: str, region: str, instance_id: str, sessions: int, free_bytes: int) -> None:
    dimensions = {"DBInstanceIdentifier": instance_id}
    _put(
        account,
        region,
        "AWS/RDS",
        [
            _datum("DatabaseConnections", sessions, "Count", dimensions),
            _datum("FreeStorageSpace", free_bytes, "Bytes", dimensions),
        ],
    )


def proxy_sampled(account: str, region: str, proxy_name: str, available: bool) -> None:
    dimensions = {"ProxyName": proxy_name, "TargetGroup": "default", "TargetRole": "READ_WRITE"}
    _put(
        account,
        region,
        "AWS/RDS",
        [_datum("AvailabilityPercentage", 100.0 if available else 0.0, "Percent", dimensions)],
    )


def emf_metrics(line: str) -> list[tuple[str, dict[str, Any]]]:
    """(namespace, datum) for each metric an EMF log line declares; [] for any other line."""
    if not line.startswith("{") or '"_aws"' not in line:
        return []
    try:
        document = json.loads(line)
        directives = document["_aws"]["CloudWatchMetrics"]
        timestamp = datetime.fromtimestamp(int(document["_aws"]["Timestamp"]) / 1000, UTC)
    except (ValueError, KeyError, TypeError):
        return []  # CloudWatch Logs keeps such a line as a plain log event
    found = []
    for directive in directives:
        for dimension_set in directive.get("Dimensions") or [[]]:
            if any(not isinstance(document.get(name), str) for name in dimension_set):
                continue  # a dimension without a string value: CloudWatch drops the metric
            dimensions = {name: document[name] for name in dimension_set}
            for metric in directive.get("Metrics", []):
                raw = document.get(metric["Name"])
                values = raw if isinstance(raw, list) else [raw]
                for value in values:
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        found.append(
                            (
                                directive["Namespace"],
                                _datum(metric["Name"], value, metric.get("Unit", "None"), dimensions, timestamp),
                            )
                        )
    return found


def publish_emf(account: str, region: str, lines: Iterable[str]) -> None:
    by_namespace: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        for namespace, datum in emf_metrics(line):
            by_namespace.setdefault(namespace, []).append(datum)
    for namespace, data in by_namespace.items():
        _put(account, region, namespace, data)


def cloudfront_served(account: str, distribution_id: str, status: int, size: int) -> None:
    """One viewer request a distribution answered."""
    dimensions = {"DistributionId": distribution_id, "Region": "Global"}
    data = [
        _datum("Requests", 1, "None", dimensions),
        _datum("BytesDownloaded", size, "None", dimensions),
        _datum("4xxErrorRate", 100 if 400 <= status < 500 else 0, "Percent", dimensions),
        _datum("5xxErrorRate", 100 if status >= 500 else 0, "Percent", dimensions),
        _datum("TotalErrorRate", 100 if status >= 400 else 0, "Percent", dimensions),
    ]
    _put(account, "us-east-1", "AWS/CloudFront", data)
