"""CloudWatch alarms: evaluated over the metrics the local cloud holds, and acting on their state changes."""

from __future__ import annotations

from localcloud.extension import Context, Extension, Feature


def install(context: Context) -> None:
    from localcloud.cloudwatch import alarms, statistics

    statistics.install()
    evaluator = alarms.install()
    context.on_stop(evaluator.stop)


EXTENSION = Extension(
    service="cloudwatch",
    summary="metric alarms evaluated, their actions delivered to SNS as CloudWatch delivers them",
    install=install,
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
