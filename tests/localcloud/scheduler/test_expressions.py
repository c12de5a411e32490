"""Schedule expressions read as Scheduler and EventBridge read them, and the times they fire next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from localcloud.scheduler.expressions import InvalidExpression, next_time, parse

pytestmark = pytest.mark.localcloud

UTC_ZONE = ZoneInfo("UTC")
LONDON = ZoneInfo("Europe/London")
ANCHOR = datetime(2026, 12, 7, 10, 0, 30, tzinfo=UTC)


def after(expression: str, moment: datetime, zone: ZoneInfo = UTC_ZONE, count: int = 1) -> list[str]:
    parsed, found = parse(expression), []
    for _ in range(count):
        nxt = next_time(parsed, moment, zone, ANCHOR)
        assert nxt is not None
        found.append(nxt.strftime("%Y-%m-%dT%H:%M:%SZ"))
        moment = nxt
    return found


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("cron(0 8 * * ? *)", ["2026-12-08T08:00:00Z", "2026-12-09T08:00:00Z"]),
        ("cron(0/15 * * * ? *)", ["2026-12-07T10:15:00Z", "2026-12-07T10:30:00Z"]),
        ("cron(0 9 ? * MON-FRI *)", ["2026-12-08T09:00:00Z", "2026-12-09T09:00:00Z"]),  # the 7th is a Monday
        ("cron(0 18 L * ? *)", ["2026-12-31T18:00:00Z", "2027-01-31T18:00:00Z"]),
        ("cron(0 10 ? * 6L *)", ["2026-12-25T10:00:00Z", "2027-01-29T10:00:00Z"]),  # last Friday
        ("cron(0 10 ? * 2#1 *)", ["2027-01-04T10:00:00Z", "2027-02-01T10:00:00Z"]),  # first Monday
        ("cron(0 10 1W * ? *)", ["2027-01-01T10:00:00Z", "2027-02-01T10:00:00Z"]),
        ("cron(0 10 15W 8 ? 2027)", ["2027-08-16T10:00:00Z"]),  # the 15th is a Sunday
        ("rate(5 minutes)", ["2026-12-07T10:05:30Z", "2026-12-07T10:10:30Z"]),
        ("rate(1 day)", ["2026-12-08T10:00:30Z", "2026-12-09T10:00:30Z"]),
    ],
)
def test_cron_and_rate_fire_at_the_times_aws_documents(expression: str, expected: list[str]) -> None:
    assert after(expression, datetime(2026, 12, 7, 10, 1, tzinfo=UTC), count=len(expected)) == expected


def test_cron_runs_on_the_schedules_time_zone_across_daylight_saving() -> None:
    # 08:00 in London is 08:00 UTC in winter and 07:00 UTC in summer (clocks go forward on 2027-03-28).
    assert after("cron(0 8 * * ? *)", datetime(2027, 3, 27, 9, 0, tzinfo=UTC), LONDON, 2) == [
        "2027-03-28T07:00:00Z",
        "2027-03-29T07:00:00Z",
    ]


def test_a_time_daylight_saving_skips_does_not_fire_and_a_repeated_one_fires_once() -> None:
    # London skips 01:00-02:00 on 2027-03-28 and passes 01:00-02:00 twice on 2027-10-31.
    assert after("cron(30 1 * * ? *)", datetime(2027, 3, 27, 12, 0, tzinfo=UTC), LONDON, 2) == [
        "2027-03-29T00:30:00Z",  # no 01:30 on the 28th
        "2027-03-30T00:30:00Z",
    ]
    assert after("cron(30 1 * * ? *)", datetime(2027, 10, 30, 12, 0, tzinfo=UTC), LONDON, 2) == [
        "2027-10-31T00:30:00Z",  # the first 01:30 (BST), not the second
        "2027-11-01T01:30:00Z",
    ]


def test_a_one_time_schedule_fires_once_on_its_wall_clock() -> None:
    at = parse("at(2027-01-15T09:30:00)")
    assert next_time(at, ANCHOR, ZoneInfo("America/New_York"), ANCHOR) == datetime(2027, 1, 15, 14, 30, tzinfo=UTC)
    assert next_time(at, datetime(2027, 1, 15, 14, 30, tzinfo=UTC), UTC_ZONE, ANCHOR) is None


def test_a_rate_fires_at_its_anchor_then_every_period() -> None:
    parsed = parse("rate(1 hour)")
    assert next_time(parsed, ANCHOR - timedelta(microseconds=1), UTC_ZONE, ANCHOR) == ANCHOR
    assert next_time(parsed, ANCHOR, UTC_ZONE, ANCHOR) == ANCHOR + timedelta(hours=1)


def test_an_end_date_stops_a_schedule_after_its_last_time_on_or_before_it() -> None:
    parsed = parse("rate(1 hour)")
    end = datetime(2026, 12, 7, 12, 0, 30, tzinfo=UTC)
    assert next_time(parsed, datetime(2026, 12, 7, 11, 0, 30, tzinfo=UTC), UTC_ZONE, ANCHOR, end) == end
    assert next_time(parsed, end, UTC_ZONE, ANCHOR, end) is None


@pytest.mark.parametrize(
    "expression",
    [
        "rate(10 seconds)",
        "rate(1 minutes)",
        "rate(5 minute)",
        "rate(0 hours)",
        "cron(0 8 * * * *)",  # neither day field is ?
        "cron(0 8 ? * ? *)",
        "cron(0 8 * * ?)",
        "cron(60 8 * * ? *)",
        "cron(0 8 32 * ? *)",
        "cron(0 8 ? * 8 *)",
        "at(2027-01-15T09:30:00Z)",
        "at(2027-1-5T9:30:00)",
        "every day",
    ],
)
def test_expressions_aws_refuses_are_refused(expression: str) -> None:
    with pytest.raises(InvalidExpression):
        parse(expression)


def test_a_rule_cannot_be_a_one_time_schedule() -> None:
    with pytest.raises(InvalidExpression):
        parse("at(2027-01-15T09:30:00)", allow_at=False)
