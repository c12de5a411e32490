"""What EventBridge Scheduler's and EventBridge's APIs refuse about schedules, and the clock told of changes.

moto stores any expression (a rule's only against a loose pattern), any time zone, window and retry
policy; here CreateSchedule/UpdateSchedule and PutRule refuse what AWS refuses, with its error, and every
change to a schedule or scheduled rule wakes the clock.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from localcloud.scheduler import expressions
from localcloud.scheduler.clock import Occurrence
from localcloud.scheduler.targets import read_only_action

JSON_INPUT_SERVICES = {"lambda", "states", "events", "scheduler"}  # Input must be well-formed JSON for these


def _refuse(message: str) -> None:
    from moto.scheduler.exceptions import ValidationException

    raise ValidationException(message)


DLQ_ARN = re.compile(r"arn:aws(-[a-z]+)?:sqs:[a-z0-9\-]+:\d{12}:[a-zA-Z0-9\-_]+")


def validate_schedule(
    expression: str,
    timezone: str | None,
    window: dict[str, Any] | None,
    target: dict[str, Any] | None,
    start: Any = None,
    end: Any = None,
) -> None:
    try:
        expressions.parse(expression or "")
    except expressions.InvalidExpression:
        _refuse(f"Invalid Schedule Expression {expression}.")
    try:
        ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        _refuse(f"Invalid ScheduleExpressionTimezone {timezone}.")
    window = window or {}
    maximum = window.get("MaximumWindowInMinutes")
    if window.get("Mode") == "FLEXIBLE" and not (isinstance(maximum, int) and 1 <= maximum <= 1440):
        _refuse("MaximumWindowInMinutes must be between 1 and 1440 when Mode is FLEXIBLE.")
    if window.get("Mode") == "OFF" and maximum is not None:
        _refuse("MaximumWindowInMinutes is only allowed when Mode is FLEXIBLE.")
    if start is not None and end is not None and float(end) <= float(start):
        _refuse("The EndDate you specify must be after the StartDate.")
    _validate_target(target or {})


def _validate_target(target: dict[str, Any]) -> None:
    arn = str(target.get("Arn", ""))
    if read_only_action(arn):
        _refuse(f"Invalid target {arn}: read-only API actions cannot be a schedule's target.")
    dlq = (target.get("DeadLetterConfig") or {}).get("Arn")
    if dlq is not None and not DLQ_ARN.fullmatch(str(dlq)):  # a standard queue's ARN (no FIFO queues)
        _refuse(f"Invalid DeadLetterConfig Arn {dlq}: a standard SQS queue's ARN.")
    policy = target.get("RetryPolicy") or {}
    attempts, age = policy.get("MaximumRetryAttempts"), policy.get("MaximumEventAgeInSeconds")
    if attempts is not None and not 0 <= int(attempts) <= 185:
        _refuse("MaximumRetryAttempts must be between 0 and 185.")
    if age is not None and not 60 <= int(age) <= 86400:
        _refuse("MaximumEventAgeInSeconds must be between 60 and 86400.")
    service = arn.split(":")[2] if arn.count(":") >= 2 else ""
    if "Input" in target and service in JSON_INPUT_SERVICES:
        try:
            json.loads(target["Input"])
        except ValueError:
            _refuse(f"Invalid target input: {service} targets take well-formed JSON.")
    source = (target.get("EventBridgeParameters") or {}).get("Source", "")
    if str(source).startswith("aws."):
        _refuse(f"Invalid EventBridgeParameters Source {source}: it cannot start with aws.")


def install(poke: Callable[[], None]) -> None:
    from moto.events.models import EventsBackend
    from moto.scheduler.models import EventBridgeSchedulerBackend
    from moto.scheduler.responses import EventBridgeSchedulerResponse

    def validated(write: Any) -> Any:
        """CreateSchedule or UpdateSchedule: refused as Scheduler refuses it, else written and the clock told."""

        def checked(self: Any, **kwargs: Any) -> Any:
            validate_schedule(
                kwargs["schedule_expression"],
                kwargs.get("schedule_expression_timezone"),
                kwargs.get("flexible_time_window"),
                kwargs.get("target"),
                kwargs.get("start_date"),
                kwargs.get("end_date"),
            )
            schedule = write(self, **kwargs)
            poke()
            return schedule

        return checked

    EventBridgeSchedulerBackend.create_schedule = validated(EventBridgeSchedulerBackend.create_schedule)
    EventBridgeSchedulerBackend.update_schedule = validated(EventBridgeSchedulerBackend.update_schedule)

    respond_update = EventBridgeSchedulerResponse.update_schedule

    def respond_to_update(self: Any) -> str:
        """UpdateSchedule replaces the whole schedule, ActionAfterCompletion included (moto kept the old one)."""
        answer = respond_update(self)
        group = self.scheduler_backend.get_schedule_group(self._get_param("GroupName"))
        schedule = group.get_schedule(self.uri.split("?")[0].split("/")[-1])
        schedule.action_after_completion = self._get_param("ActionAfterCompletion")
        return answer  # type: ignore[no-any-return]

    EventBridgeSchedulerResponse.update_schedule = respond_to_update

    for name in ("delete_schedule", "delete_schedule_group"):
        _poke_after(EventBridgeSchedulerBackend, name, poke)
    for name in ("delete_rule", "enable_rule", "disable_rule"):
        _poke_after(EventsBackend, name, poke)

    put_rule = EventsBackend.put_rule

    def put_scheduled_rule(self: Any, name: str, **kwargs: Any) -> Any:
        expression = kwargs.get("scheduled_expression")
        if expression:
            try:
                expressions.parse(expression, allow_at=False)
            except expressions.InvalidExpression:
                from moto.events.exceptions import ValidationException

                raise ValidationException("Parameter ScheduleExpression is not valid.") from None
        rule = put_rule(self, name, **kwargs)
        rule.localcloud_created = datetime.now(UTC)  # a rate counts its periods from here
        poke()
        return rule

    EventsBackend.put_rule = put_scheduled_rule


def _poke_after(cls: Any, name: str, poke: Callable[[], None]) -> None:
    original = getattr(cls, name)

    def poked(self: Any, *args: Any, **kwargs: Any) -> Any:
        answer = original(self, *args, **kwargs)
        poke()
        return answer

    setattr(cls, name, poked)


def fire_rule(occurrence: Occurrence) -> None:
    """A scheduled rule's event, delivered to its targets as any matched event is."""
    rule = occurrence.source
    event = {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": rule.account_id,
        "time": occurrence.scheduled_time.timestamp(),  # epoch, as PutEvents keeps it: the targets see ISO 8601
        "region": rule.region_name,
        "resources": [rule.arn],
        "detail": {},
        "ingestion-time": time.time(),  # EventBridge's own, for input transformers' <aws.events.event.ingestion-time>
    }
    if rule.event_pattern.get_pattern():  # a rule with a pattern too fires its schedule regardless of it
        import copy

        rule = copy.copy(rule)
        from moto.events.models import EventPattern

        rule.event_pattern = EventPattern.load(None)
    rule.send_to_targets(event)
