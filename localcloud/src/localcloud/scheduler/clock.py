"""The clock that fires schedules and scheduled rules on time: one thread sleeping until the next one is due.

Every EventBridge Scheduler schedule and every EventBridge rule with a `ScheduleExpression` is a timer: the
scheduled time it fired last (or when it was created, for a rate) and the next one. The thread wakes when
the earliest timer is due, or when a schedule or rule changes (`poke`), and hands each due occurrence to
the pool; an idle local cloud with no schedules sleeps. `advance` fires a timer's next occurrence now, for
tests that cannot wait for a daily report.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from localcloud.core.scheduler import Scheduler
from localcloud.scheduler import expressions

UTC_ZONE = ZoneInfo("UTC")
TICK = timedelta(microseconds=1)
MAX_SLEEP_S = 60.0  # wake at least this often: a suspended host's monotonic clock does not advance


@dataclass(frozen=True)
class Occurrence:
    """One time a schedule or rule fires: what fired, at which scheduled time."""

    arn: str
    source: Any  # the moto Schedule or Rule, as it was when it fired
    scheduled_time: datetime
    advanced: bool = False  # fired by `advance`, ahead of its time: at once, whatever its window


@dataclass
class Timer:
    version: tuple[Any, ...]
    cursor: datetime  # the last scheduled time fired, or the rate's anchor
    expression: expressions.Expression
    zone: ZoneInfo
    start: datetime | None
    end: datetime | None
    anchor: datetime

    def next_due(self) -> datetime | None:
        after = self.cursor
        if self.start is not None and not isinstance(self.expression, expressions.At):
            after = max(after, self.start - TICK)  # on, or after, the start date (one-time schedules ignore it)
        return expressions.next_time(self.expression, after, self.zone, self.anchor, self.end)


def as_utc(value: Any) -> datetime | None:
    """moto keeps times as epoch seconds (or datetimes); timers compare aware UTC instants."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromtimestamp(float(value), UTC)


def schedules() -> Iterator[Any]:
    from moto.scheduler.models import scheduler_backends

    for regions in list(scheduler_backends.values()):
        for backend in list(regions.values()):
            for group in list(backend.schedule_groups.values()):
                yield from list(group.schedules.values())


def scheduled_rules() -> Iterator[Any]:
    from moto.events.models import events_backends

    for regions in list(events_backends.values()):
        for backend in list(regions.values()):
            bus = backend.event_buses.get("default")
            for rule in list(bus.rules.values()) if bus else []:
                if rule.scheduled_expression:
                    yield rule


def _timer_of_schedule(schedule: Any) -> Timer:
    # Created or changed: a rate without a start date fires at once, then every period (AWS's "starts
    # immediately"); a cron fires at its first time after the change.
    created = as_utc(schedule.last_modified_date) or datetime.now(UTC)
    start = as_utc(schedule.start_date)
    return Timer(
        version=(schedule.last_modified_date,),
        cursor=created - TICK,
        expression=expressions.parse(schedule.schedule_expression),
        zone=ZoneInfo(schedule.schedule_expression_timezone or "UTC"),
        start=start,
        end=as_utc(schedule.end_date),
        anchor=start or created,
    )


def _timer_of_rule(rule: Any) -> Timer:
    # A rule's rate fires a period after the rule is put; a rule enabled again picks up from now.
    created = getattr(rule, "localcloud_created", None) or datetime.now(UTC)
    return Timer(
        version=(id(rule), rule.scheduled_expression),
        cursor=max(created, datetime.now(UTC)),
        expression=expressions.parse(rule.scheduled_expression, allow_at=False),
        zone=UTC_ZONE,
        start=None,
        end=None,
        anchor=created,
    )


class Clock:
    def __init__(
        self,
        fire_schedule: Callable[[Occurrence], None],
        fire_rule: Callable[[Occurrence], None],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._fire = {"schedule": fire_schedule, "rule": fire_rule}
        self._now = now
        self._pool = Scheduler(workers=4, name="schedules")
        self._timers: dict[str, Timer] = {}
        self._condition = threading.Condition()
        self._stopped = False
        threading.Thread(target=self._run, name="schedules-clock", daemon=True).start()

    def poke(self) -> None:
        """A schedule or rule changed: look again at what is due next."""
        with self._condition:
            self._condition.notify()

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify()
        self._pool.shutdown()

    def _sources(self) -> Iterator[tuple[str, str, Any, Callable[[Any], Timer]]]:
        for schedule in schedules():
            if schedule.state == "ENABLED":
                yield schedule.arn, "schedule", schedule, _timer_of_schedule
        for rule in scheduled_rules():
            if rule.state == "ENABLED":
                yield rule.arn, "rule", rule, _timer_of_rule

    def _timer(self, arn: str, source: Any, make: Callable[[Any], Timer]) -> Timer | None:
        timer = self._timers.get(arn)
        try:
            fresh = make(source)
        except (ValueError, KeyError):  # an expression the API let through that cannot fire
            return None
        if timer is None or timer.version != fresh.version:
            self._timers[arn] = timer = fresh
        return timer

    def _run(self) -> None:
        with self._condition:
            while not self._stopped:
                earliest = self._fire_due(self._now())
                wait = MAX_SLEEP_S if earliest is None else (earliest - self._now()).total_seconds()
                self._condition.wait(min(MAX_SLEEP_S, max(0.0, wait)))

    def _fire_due(self, now: datetime) -> datetime | None:
        """Fire what is due (one occurrence each: a timer that fell behind, as after a suspended host, skips to
        now rather than firing every missed time); the earliest time due next."""
        earliest: datetime | None = None
        live = set()
        for arn, kind, source, make in list(self._sources()):
            live.add(arn)
            try:
                timer = self._timer(arn, source, make)
                due = timer.next_due() if timer else None
                if timer is not None and due is not None and due <= now:
                    timer.cursor = max(due, now)
                    self._submit(kind, Occurrence(arn, source, due))
                    due = timer.next_due()
            except Exception as exc:  # one bad schedule must not stop the others
                print(f"schedules: {arn}: {exc!r}", flush=True)
                continue
            if due is not None and (earliest is None or due < earliest):
                earliest = due
        for gone in set(self._timers) - live:
            del self._timers[gone]
        return earliest

    def _submit(self, kind: str, occurrence: Occurrence) -> None:
        self._pool.submit(lambda: self._fire[kind](occurrence))

    def advance(self, arn: str) -> Occurrence:
        """Fire the next occurrence of a schedule or scheduled rule now, as if its time had come; the one after
        it follows on the clock. KeyError when no enabled schedule or rule has that ARN; LookupError when
        nothing is left to fire (a one-time schedule that fired, an end date passed)."""
        with self._condition:
            for found, kind, source, make in self._sources():
                if found != arn:
                    continue
                timer = self._timer(arn, source, make)
                due = timer.next_due() if timer else None
                if timer is None or due is None:
                    raise LookupError(f"{arn} has nothing left to fire")
                timer.cursor = due
                occurrence = Occurrence(arn, source, due, advanced=True)
                self._submit(kind, occurrence)
                self._condition.notify()
                return occurrence
        raise KeyError(arn)
