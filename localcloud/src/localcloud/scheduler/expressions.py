"""Schedule expressions as EventBridge Scheduler and EventBridge rules read them: `at(...)`, `rate(...)` and
six-field `cron(...)`, with the time each fires next.

Cron is evaluated on the schedule's wall clock (`ScheduleExpressionTimezone`, UTC for rules): a time the
clock skips when daylight saving starts does not fire that day; a time it passes twice when daylight saving
ends fires once, the first time. A one-time `at()` time that the clock skips fires after the gap.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

MONTHS = {name: number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS = {name.upper(): number for name, number in MONTHS.items()}
DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
RATE_UNITS = {"minute": 60, "hour": 3600, "day": 86400}
LAST_YEAR = 2199


class InvalidExpression(ValueError):
    """An expression AWS would refuse; the message says what is wrong with it."""


@dataclass(frozen=True)
class At:
    moment: datetime  # naive, on the schedule's wall clock


@dataclass(frozen=True)
class Rate:
    seconds: int


@dataclass(frozen=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    days_of_month: str  # the field as written ("?" when days of week decide)
    months: frozenset[int]
    days_of_week: str
    years: frozenset[int]


Expression = At | Rate | Cron


def parse(text: str, allow_at: bool = True) -> Expression:
    match = re.fullmatch(r"(at|rate|cron)\((.*)\)", text.strip())
    if match is None:
        raise InvalidExpression("expected at(...), rate(...) or cron(...)" if allow_at else "expected rate or cron")
    kind, body = match.groups()
    if kind == "at":
        if not allow_at:
            raise InvalidExpression("at() is not a rule's expression")
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", body):
                raise ValueError(body)
            return At(datetime.strptime(body, "%Y-%m-%dT%H:%M:%S"))
        except ValueError:
            raise InvalidExpression("at() takes yyyy-mm-ddThh:mm:ss") from None
    if kind == "rate":
        return _rate(body)
    return _cron(body)


def _rate(body: str) -> Rate:
    match = re.fullmatch(r"\s*(\d+)\s+([a-z]+)\s*", body)
    if match is None:
        raise InvalidExpression("rate() takes a value and a unit: rate(5 minutes)")
    value, unit = int(match.group(1)), match.group(2)
    singular = unit.removesuffix("s")
    if singular not in RATE_UNITS or value <= 0:
        raise InvalidExpression("rate() takes a positive value in minutes, hours or days")
    if (value == 1) != (unit == singular):  # rate(1 minute), rate(5 minutes)
        raise InvalidExpression("rate() takes a singular unit for 1 and a plural one otherwise")
    return Rate(value * RATE_UNITS[singular])


def _cron(body: str) -> Cron:
    fields = body.split()
    if len(fields) != 6:
        raise InvalidExpression("cron() takes six fields: minutes hours day-of-month month day-of-week year")
    minutes, hours, dom, month, dow, year = fields
    if (dom == "?") == (dow == "?"):
        raise InvalidExpression("one of day-of-month and day-of-week must be ?, and only one")
    parsed = Cron(
        minutes=_values(minutes, 0, 59),
        hours=_values(hours, 0, 23),
        days_of_month=dom,
        months=_values(month, 1, 12, MONTHS),
        days_of_week=dow,
        years=_values(year, 1970, LAST_YEAR),
    )
    if dom != "?":
        _day_of_month_matcher(dom)  # refuses what it cannot read
    else:
        _day_of_week_matcher(dow)
    return parsed


def _number(text: str, low: int, high: int, names: dict[str, int] | None = None) -> int:
    value = (names or {}).get(text.upper()) if not text.isdigit() else int(text)
    if value is None or not low <= value <= high:
        raise InvalidExpression(f"{text!r} is not between {low} and {high}")
    return value


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    values: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = _number(step_text, 1, high - low + 1) if step_text else 1
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start, end = _number(first, low, high, names), _number(last, low, high, names)
        else:
            start = _number(base, low, high, names)
            end = high if step_text else start
        if start <= end:
            values.update(range(start, end + 1, step))
        else:  # a range across the end: FRI-MON, 22-2
            values.update(v for i, v in enumerate([*range(start, high + 1), *range(low, end + 1)]) if i % step == 0)
    return frozenset(values)


def _day_of_month_matcher(field: str) -> object:
    if field == "L":
        return lambda day: day == _month_length(day)
    if field == "LW":
        return lambda day: day == _nearest_weekday(day, _month_length(day))
    if re.fullmatch(r"\d+W", field):
        wanted = _number(field[:-1], 1, 31)
        return lambda day: day == _nearest_weekday(day, day.replace(day=min(wanted, _month_length(day).day)))
    values = _values(field, 1, 31)
    return lambda day: day.day in values


def _day_of_week_matcher(field: str) -> object:
    if field == "L":
        return lambda day: _aws_weekday(day) == 7
    if re.fullmatch(r"[A-Za-z0-9]+L", field):
        wanted = _number(field[:-1], 1, 7, DAYS)
        return lambda day: _aws_weekday(day) == wanted and day.day + 7 > _month_length(day).day
    if "#" in field:
        weekday_text, _, nth_text = field.partition("#")
        weekday, nth = _number(weekday_text, 1, 7, DAYS), _number(nth_text, 1, 5)
        return lambda day: _aws_weekday(day) == weekday and (day.day - 1) // 7 + 1 == nth
    values = _values(field, 1, 7, DAYS)
    return lambda day: _aws_weekday(day) in values


def _aws_weekday(day: date) -> int:
    return (day.weekday() + 1) % 7 + 1  # Monday is 2, Sunday 1


def _month_length(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _nearest_weekday(day: date, target: date) -> date:
    """The weekday nearest `target` within its month (`15W`): Saturday moves to Friday, Sunday to Monday."""
    target = day.replace(day=target.day)
    if target.weekday() == 5:
        return target - timedelta(days=1) if target.day > 1 else target + timedelta(days=2)
    if target.weekday() == 6:
        return target + timedelta(days=1) if target.day < _month_length(target).day else target - timedelta(days=2)
    return target


def _day_matches(cron: Cron, day: date) -> bool:
    if day.month not in cron.months or day.year not in cron.years:
        return False
    if cron.days_of_month != "?":
        return bool(_day_of_month_matcher(cron.days_of_month)(day))  # type: ignore[operator]
    return bool(_day_of_week_matcher(cron.days_of_week)(day))  # type: ignore[operator]


def _on_clock(local: datetime, zone: ZoneInfo) -> datetime | None:
    """The instant a wall-clock time names, or None when the clock skips it (daylight saving starts)."""
    aware = local.replace(tzinfo=zone, fold=0)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local:
        return None
    return aware.astimezone(UTC)


def next_cron(cron: Cron, after: datetime, zone: ZoneInfo) -> datetime | None:
    """The first instant strictly after `after` (aware) that the expression names; None when none is left."""
    local_after = after.astimezone(zone).replace(tzinfo=None)
    day = local_after.date()
    while day.year <= LAST_YEAR:
        if day.year not in cron.years:
            day = date(day.year + 1, 1, 1)
            continue
        if day.month not in cron.months:
            day = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
            continue
        if _day_matches(cron, day):
            for hour in sorted(cron.hours):
                for minute in sorted(cron.minutes):
                    local = datetime(day.year, day.month, day.day, hour, minute)
                    if local < local_after.replace(second=0, microsecond=0):
                        continue
                    instant = _on_clock(local, zone)
                    if instant is not None and instant > after:  # a time the clock skips does not fire
                        return instant
        day += timedelta(days=1)
    return None


def _after_gap(local: datetime, zone: ZoneInfo) -> datetime:
    probe = local
    while _on_clock(probe, zone) is None:
        probe += timedelta(minutes=1)
    return _on_clock(probe, zone)  # type: ignore[return-value]


def next_time(
    expression: Expression, after: datetime, zone: ZoneInfo, anchor: datetime, end: datetime | None = None
) -> datetime | None:
    """When the expression fires next strictly after `after`: a rate fires at `anchor` (when the schedule was
    created, or its start date) and every period from there; None once nothing is left before `end` (a
    one-time schedule has no end)."""
    if isinstance(expression, At):
        moment = _on_clock(expression.moment, zone) or _after_gap(expression.moment, zone)
        return moment if moment > after else None
    if isinstance(expression, Rate):
        periods = 0 if after < anchor else int((after - anchor).total_seconds() // expression.seconds) + 1
        found: datetime | None = anchor + timedelta(seconds=periods * expression.seconds)
    else:
        found = next_cron(expression, after, zone)
    if found is not None and end is not None and found > end:  # on, or before, the end date
        return None
    return found
