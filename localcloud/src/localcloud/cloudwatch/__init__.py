"""CloudWatch alarms: evaluated over the metrics the local cloud holds, and acting on their state changes."""

from __future__ import annotations

from typing import Any

from localcloud.extension import Context, Endpoint, Extension, Feature


def install(context: Context) -> None:
    import os

    from localcloud.cloudwatch import alarms, statistics, streams
    from localcloud.core.scheduler import Periodic

    statistics.install()
    evaluator = alarms.install()
    context.on_stop(evaluator.stop)
    streams.install()
    # CloudWatch streams each minute's data: LOCALCLOUD_METRIC_STREAM_S here.
    interval_s = float(os.environ.get("LOCALCLOUD_METRIC_STREAM_S", "60"))
    context.on_stop(Periodic(interval_s, lambda: streams.flush(context.endpoint), "metric-streams").stop)


def flush_metric_streams(request: Any, context: Context) -> Any:
    """Send every running metric stream its data points so far now, instead of each minute once it has ended."""
    import json

    from werkzeug.wrappers import Response

    from localcloud.cloudwatch.streams import flush

    delivered = flush(context.endpoint, through_now=True)
    return Response(json.dumps({"delivered": delivered}), status=200, content_type="application/json")


EXTENSION = Extension(
    service="cloudwatch",
    summary="metric alarms evaluated, their actions delivered to SNS as CloudWatch delivers them",
    install=install,
    endpoints=(
        Endpoint(
            "POST",
            "/_localcloud/cloudwatch/flush-metric-streams",
            "sends every running metric stream its data points so far, the current minute's included, instead of "
            "each minute once it has ended (every `LOCALCLOUD_METRIC_STREAM_S`), for tests of what a stream delivers",
            flush_metric_streams,
        ),
    ),
    features=(
        Feature(
            title="Alarms that fire.",
            does=(
                "A new metric alarm starts at `INSUFFICIENT_DATA`. Every `LOCALCLOUD_ALARM_EVALUATION_S` seconds "
                "(10; CloudWatch: every minute) each alarm is evaluated over its last `EvaluationPeriods` clock-aligned "
                "periods of the metrics the local cloud holds (Lambda's, API Gateway's, SQS's, Step Functions', "
                "`PutMetricData`, embedded metric format): the statistic per period, `DatapointsToAlarm`, the "
                "comparison, `TreatMissingData`, with CloudWatch's reason text (`Threshold Crossed: 1 datapoint "
                "[2.0 (06/12/26 15:10:00)] was greater than or equal to the threshold (1.0).`) and reason data; "
                "metric math alarms whose expression is arithmetic and `FILL` over metric queries too. A state change "
                "(or `SetAlarmState`) runs that state's actions: SNS topics receive CloudWatch's alarm message (subject"
                ' `ALARM: "name" in EU (Ireland)`) as `cloudwatch.amazonaws.com` from the alarm, so the topic policy '
                "and the key policy must admit CloudWatch; a refused action is a `Failed to execute action` item of "
                "`DescribeAlarmHistory`, which answers state updates and actions."
            ),
            moto_without="alarms were stored and never evaluated (always `OK`); SetAlarmState ran no action",
            code=("cloudwatch/alarms.py",),
            tests=("localcloud/cloudwatch/test_alarms.py",),
        ),
        Feature(
            title="Metric streams deliver.",
            does=(
                "`PutMetricStream` (create or update), `GetMetricStream`, `ListMetricStreams`, `DeleteMetricStream`, "
                "`Start`/`StopMetricStreams` and tags keep a stream's state, filters and format; every "
                "`LOCALCLOUD_METRIC_STREAM_S` seconds (60) a running stream sends the data points its include or "
                "exclude filters admit to its Firehose delivery stream as its role (assumed as "
                "`streams.metrics.cloudwatch.amazonaws.com`), one JSON line per metric, dimensions and minute "
                "(`metric_stream_name`, `namespace`, `metric_name`, `dimensions`, `timestamp`, `value` with "
                "`max`/`min`/`sum`/`count`, `unit`). Both kinds of filter at once are refused; the OpenTelemetry "
                "formats are refused as not emulated."
            ),
            moto_without="`PutMetricStream` answered HTTP 500 and the provider retried it for minutes",
            code=("cloudwatch/streams.py",),
            tests=("localcloud/cloudwatch/test_metric_streams.py",),
        ),
        Feature(
            title="Services publish the metrics alarms watch.",
            does=(
                "Besides Lambda's own (Invocations, Errors, Throttles, Duration, ConcurrentExecutions) and SNS's: "
                "`AWS/ApiGateway` for every request an API answers (HTTP APIs: `Count`, `4xx`, `5xx`, `Latency`, "
                "`IntegrationLatency` per `ApiId` and per `ApiId`+`Stage`; REST APIs: `Count`, `4XXError`, "
                "`5XXError`, `Latency`, `IntegrationLatency` per `ApiName` and per `ApiName`+`Stage`); `AWS/States` "
                "per `StateMachineArn` (`ExecutionsStarted`, `ExecutionsSucceeded`, `ExecutionsFailed`, "
                "`ExecutionsAborted`, `ExecutionsTimedOut`); `AWS/Lambda` `IteratorAge` (ms) per function of a "
                "stream mapping, the age of each batch's last record at invoke; `AWS/SQS` per `QueueName`, sampled "
                "every `LOCALCLOUD_SQS_METRICS_S` seconds (60, as SQS samples): "
                "`ApproximateNumberOfMessagesVisible`, `ApproximateNumberOfMessagesNotVisible`, "
                "`ApproximateAgeOfOldestMessage`. `GetMetricStatistics` reads the metric with exactly the dimensions "
                "asked for, as CloudWatch does (`{ApiId}` and `{ApiId, Stage}` are two metrics)."
            ),
            moto_without="no service published metrics: alarms on them could never fire",
            code=(
                "core/metrics.py",
                "cloudwatch/statistics.py",
                "sqs/metrics.py",
                "apigateway/http_api.py",
                "apigateway/rest.py",
                "stepfunctions/executions.py",
                "lambda_/mappings/stream_lanes.py",
            ),
            tests=("localcloud/cloudwatch/test_service_metrics.py",),
        ),
    ),
)
