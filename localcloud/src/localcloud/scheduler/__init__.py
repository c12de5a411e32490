"""EventBridge Scheduler schedules and EventBridge scheduled rules fire on time and invoke their targets."""

from __future__ import annotations

import json
from typing import Any

from localcloud.extension import Context, Endpoint, Extension, Feature


def install(context: Context) -> None:
    from localcloud.scheduler import api
    from localcloud.scheduler.clock import Clock
    from localcloud.scheduler.targets import Deliverer

    deliverer = Deliverer(context.endpoint, context.async_retry_delay_s)
    clock = Clock(deliverer.fire, api.fire_rule)
    api.install(clock.poke)
    context.services["schedules"] = clock
    context.on_stop(deliverer.stop)
    context.on_stop(clock.stop)


def advance(request: Any, context: Context) -> Any:
    """Fire a schedule's or scheduled rule's next occurrence now."""
    from werkzeug.wrappers import Response

    try:
        arn = json.loads(request.get_data() or b"{}")["Arn"]
        occurrence = context.services["schedules"].advance(arn)
        answer: dict[str, Any] = {"Arn": arn, "ScheduledTime": occurrence.scheduled_time.strftime("%Y-%m-%dT%H:%M:%SZ")}
        status = 200
    except (KeyError, ValueError, TypeError) as exc:
        answer, status = {"message": f'expected {{"Arn": <an enabled schedule or scheduled rule>}}: {exc}'}, 400
    except LookupError as exc:
        answer, status = {"message": str(exc)}, 409
    return Response(json.dumps(answer), status=status, content_type="application/json")


EXTENSION = Extension(
    service="scheduler",
    summary="schedules and scheduled rules fire on time, as the schedule's role, with retries and a DLQ",
    install=install,
    endpoints=(
        Endpoint(
            "POST",
            "/_localcloud/schedules/advance",
            "`{\"Arn\"}` fires an enabled schedule's or scheduled rule's next occurrence now (its scheduled time is "
            "the one it would have had; the one after follows on the clock), for tests of a daily report",
            advance,
        ),
    ),
    features=(
        Feature(
            title="Schedules fire.",
            does=(
                "EventBridge Scheduler schedules (`at`, `rate`, six-field `cron` with `L`, `W` and `#`, on the "
                "schedule's IANA time zone: a time daylight saving skips does not fire, a repeated one fires once; "
                "a rate starts at once or at its start date; end dates; `FLEXIBLE` windows pick a time within the "
                "window) invoke their target as the schedule's role, assumed as `scheduler.amazonaws.com` with the "
                "schedule group as `aws:SourceArn`: Lambda (asynchronous), SQS (`MessageGroupId`), SNS, Step "
                "Functions, EventBridge (`Source`, `DetailType`), Kinesis, Firehose and universal `aws-sdk` targets, "
                "with the Input's `<aws.scheduler.*>` context attributes filled in where written as text. A "
                "retryable failure is retried under the `RetryPolicy`; then, or at once for a permanent one (an "
                "`AccessDenied`), the payload goes to the dead-letter queue as the role, with `ERROR_CODE`, "
                "`ERROR_MESSAGE`, `EXECUTION_ID`, `RETRY_ATTEMPTS`, `SCHEDULED_TIME`, `SCHEDULE_ARN`, `TARGET_ARN`, "
                "`IS_PAYLOAD_TRUNCATED` and `EXHAUSTED_RETRY_CONDITION`; `ActionAfterCompletion: DELETE` removes a "
                "finished schedule; `AWS/Scheduler` metrics per schedule group. EventBridge rules with a "
                "`ScheduleExpression` fire AWS's `Scheduled Event` to their targets (a rate a period after the rule "
                "is put). CreateSchedule, UpdateSchedule and PutRule refuse an invalid expression, time zone, window, "
                "retry policy, dead-letter queue, date range, JSON input or read-only universal target with AWS's "
                "`ValidationException`. One clock sleeps until the next schedule is due; one that fell behind fires "
                "once, not once per missed time."
            ),
            moto_without="schedules and scheduled rules were stored and never fired; any expression was accepted",
            code=("scheduler/expressions.py", "scheduler/clock.py", "scheduler/targets.py", "scheduler/api.py"),
            tests=("localcloud/scheduler/test_schedules.py", "localcloud/scheduler/test_expressions.py"),
        ),
    ),
)
