"""CloudWatch metric alarms that are evaluated and act, as CloudWatch runs them.

moto stores alarms and never evaluates them: a new alarm sat at `OK`, and `SetAlarmState` changed the
state without running any action. Here:

- A new alarm starts at `INSUFFICIENT_DATA` ("Unchecked: Initial alarm creation"); updating an alarm keeps
  its state.
- Every `LOCALCLOUD_ALARM_EVALUATION_S` seconds (default 10; CloudWatch evaluates every minute) each alarm is
  evaluated over its last `EvaluationPeriods` periods (aligned to the clock, the current one included) of
  the metric the local cloud holds: its statistic per period, `DatapointsToAlarm` of them breaching the
  threshold for `ALARM`, missing periods treated as `TreatMissingData` says (`missing`, `notBreaching`,
  `breaching`, `ignore`), with CloudWatch's reason text and reason data. Metric math alarms are evaluated
  when their returned expression is arithmetic (`+ - * /`, numbers, `FILL(id, value)`) over `MetricStat`
  queries; any other expression leaves the alarm `INSUFFICIENT_DATA` with a reason naming it.
- A state change (evaluated, or set by `SetAlarmState`, which in AWS runs actions too) runs the new state's
  actions when `ActionsEnabled`: an SNS topic receives CloudWatch's alarm message (JSON, subject
  `ALARM: "name" in Region`), published as `cloudwatch.amazonaws.com` from the alarm (`aws:SourceArn`,
  `aws:SourceAccount`), so the topic's policy and its key's policy must admit CloudWatch; a refused action
  is recorded in the alarm's history ("Failed to execute action ...") and nothing is delivered.
- `DescribeAlarmHistory` (moto had no route) answers state updates and actions, newest first, filtered by
  alarm name, item type and time.
"""

from __future__ import annotations

import ast
import json
import logging
import math
import os
from datetime import UTC, datetime, timedelta
from typing import Any

from moto.cloudwatch import models as cw_models
from moto.cloudwatch import responses as cw_responses
from moto.core.responses import ActionResult

from localcloud.core.scheduler import Periodic

log = logging.getLogger(__name__)

COMPARISONS = {
    "GreaterThanOrEqualToThreshold": ("greater than or equal to", lambda v, t: v >= t),
    "GreaterThanThreshold": ("greater than", lambda v, t: v > t),
    "LessThanThreshold": ("less than", lambda v, t: v < t),
    "LessThanOrEqualToThreshold": ("less than or equal to", lambda v, t: v <= t),
}
REGION_NAMES = {
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
    "eu-west-1": "EU (Ireland)",
    "eu-west-2": "EU (London)",
    "eu-west-3": "EU (Paris)",
    "eu-central-1": "EU (Frankfurt)",
    "eu-north-1": "EU (Stockholm)",
    "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
}


class NotEvaluable(Exception):
    """An alarm whose metric math the local cloud does not evaluate."""


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


Index = dict[tuple[str, str], list[Any]]


def index_of(backend: Any, since: datetime) -> Index:
    """The backend's datapoints since a moment, by namespace and metric name: one pass over the metrics for
    all of an evaluation's alarms."""
    found: Index = {}
    for datum in backend.get_all_metrics():
        if _aware(datum.timestamp) >= since:
            found.setdefault((datum.namespace, datum.name), []).append(datum)
    return found


def _samples(
    index: Index, namespace: str, name: str, dimensions: list[Any], start: datetime, end: datetime
) -> list[Any]:
    wanted = [{"Name": d.name, "Value": d.value} for d in dimensions]
    return [
        datum
        for datum in index.get((namespace, name), [])
        if start <= _aware(datum.timestamp) < end
        # an alarm's metric is the one with exactly its dimensions
        and len(datum.dimensions) == len(wanted)
        and datum.filter(None, None, wanted)
    ]


def _statistic(data: list[Any], stat: str) -> float | None:
    values: list[float] = []
    total, count, low, high = 0.0, 0.0, math.inf, -math.inf
    for datum in data:
        if hasattr(datum, "sum") and hasattr(datum, "sample_count"):  # a statistic set
            total += float(datum.sum)
            count += float(datum.sample_count)
            low, high = min(low, float(datum.min)), max(high, float(datum.max))
        else:
            value = float(datum.value)
            values.append(value)
            total, count, low, high = total + value, count + 1, min(low, value), max(high, value)
    if count == 0:
        return None
    if stat == "Sum":
        return total
    if stat == "SampleCount":
        return count
    if stat == "Average":
        return total / count
    if stat == "Minimum":
        return low
    if stat == "Maximum":
        return high
    if stat.startswith("p") and values:
        ordered = sorted(values)
        rank = max(0, math.ceil(float(stat[1:]) / 100 * len(ordered)) - 1)
        return ordered[rank]
    raise NotEvaluable(f"statistic {stat}")


def _periods(now: datetime, period: int, count: int) -> list[datetime]:
    """The starts of the last `count` periods, aligned to the clock, the current one last."""
    epoch = int(now.timestamp())
    current = epoch - epoch % period
    return [datetime.fromtimestamp(current - period * i, UTC) for i in range(count - 1, -1, -1)]


def _metric_series(
    index: Index, namespace: str, name: str, dimensions: list[Any], stat: str, period: int, starts: list[datetime]
) -> list[float | None]:
    delta = timedelta(seconds=period)
    return [_statistic(_samples(index, namespace, name, dimensions, start, start + delta), stat) for start in starts]


class _Expression(ast.NodeVisitor):
    """`+ - * /` over query ids and numbers, and FILL(id, value): evaluated per period."""

    def __init__(self, series: dict[str, list[float | None]], index: int) -> None:
        self.series, self.index = series, index

    def visit_Expression(self, node: ast.Expression) -> float | None:  # noqa: N802 - ast's naming
        return self.visit(node.body)

    def visit_BinOp(self, node: ast.BinOp) -> float | None:  # noqa: N802
        left, right = self.visit(node.left), self.visit(node.right)
        if left is None or right is None:
            return None
        operations = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b}
        if isinstance(node.op, ast.Div):
            return left / right if right else None
        if type(node.op) not in operations:
            raise NotEvaluable("an operator")
        return float(operations[type(node.op)](left, right))

    def visit_Name(self, node: ast.Name) -> float | None:  # noqa: N802
        if node.id not in self.series:
            raise NotEvaluable(f"the id {node.id}")
        return self.series[node.id][self.index]

    def visit_Constant(self, node: ast.Constant) -> float:  # noqa: N802
        if not isinstance(node.value, int | float):
            raise NotEvaluable("a constant")
        return float(node.value)

    def visit_Call(self, node: ast.Call) -> float | None:  # noqa: N802
        if not (isinstance(node.func, ast.Name) and node.func.id == "FILL" and len(node.args) == 2):
            raise NotEvaluable("a function")
        value = self.visit(node.args[0])
        return self.visit(node.args[1]) if value is None else value

    def generic_visit(self, node: ast.AST) -> Any:
        raise NotEvaluable(type(node).__name__)


def _series(alarm: Any, index: Index, starts: list[datetime]) -> tuple[list[float | None], str, int]:
    """The values the alarm compares, per period; its statistic and period as CloudWatch reports them."""
    if not alarm.metric_data_queries:
        stat = alarm.statistic or alarm.extended_statistic
        values = _metric_series(
            index, alarm.namespace, alarm.metric_name, alarm.dimensions, stat, int(alarm.period), starts
        )
        return values, stat, int(alarm.period)
    series: dict[str, list[float | None]] = {}
    returned = None
    for query in alarm.metric_data_queries:
        if query.metric_stat is not None:
            metric = query.metric_stat.metric
            series[query.id] = _metric_series(
                index, metric.namespace, metric.metric_name, metric.dimensions, query.metric_stat.stat,
                int(query.metric_stat.period), starts,
            )  # fmt: skip
        if str(query.return_data).lower() in ("true", "none") and (query.expression or query.metric_stat):
            returned = query
    period = int(next((q.metric_stat.period for q in alarm.metric_data_queries if q.metric_stat), 60))
    if returned is None:
        raise NotEvaluable("no query returns data")
    if returned.expression is None:
        return series[returned.id], returned.metric_stat.stat, period
    try:
        tree = ast.parse(returned.expression, mode="eval")
    except SyntaxError:
        raise NotEvaluable(returned.expression) from None
    return [_Expression(series, i).visit(tree) for i in range(len(starts))], "", period


def _stamp(moment: datetime) -> str:
    return moment.strftime("%d/%m/%y %H:%M:%S")


def _iso(moment: datetime) -> str:
    return _aware(moment).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"


def _metrics_of(alarm: Any) -> list[tuple[str, str, list[Any], int]]:
    """Each metric the alarm reads: namespace, name, dimensions, period."""
    if not alarm.metric_data_queries:
        return [(alarm.namespace, alarm.metric_name, alarm.dimensions, int(alarm.period or 60))]
    return [
        (
            q.metric_stat.metric.namespace,
            q.metric_stat.metric.metric_name,
            q.metric_stat.metric.dimensions,
            int(q.metric_stat.period),
        )
        for q in alarm.metric_data_queries
        if q.metric_stat is not None
    ]


def _window(alarm: Any, index: Index, now: datetime, count: int) -> list[datetime]:
    """The starts of the periods evaluated: the last `count` ending with the current one once it has a
    datapoint, else ending with the last complete one (so a datapoint near a period's end is still seen)."""
    metrics = _metrics_of(alarm)
    period = metrics[0][3] if metrics else 60
    (current,) = _periods(now, period, 1)
    started = any(
        _samples(index, namespace, name, dimensions, current, current + timedelta(seconds=period))
        for namespace, name, dimensions, _ in metrics
    )
    return _periods(now if started else current - timedelta(seconds=1), period, count)


def evaluate(alarm: Any, index: Index, now: datetime) -> tuple[str, str, str]:
    """The state the alarm is in now, CloudWatch's reason for it and the reason data (JSON)."""
    count = int(alarm.evaluation_periods or 1)
    needed = int(alarm.datapoints_to_alarm or count)
    try:
        starts = _window(alarm, index, now, count)
        values, stat, period = _series(alarm, index, starts)
    except NotEvaluable as exc:
        return "INSUFFICIENT_DATA", f"Unchecked: the local cloud does not evaluate {exc}", "{}"
    words, breaches = COMPARISONS.get(alarm.comparison_operator, ("greater than or equal to", lambda v, t: v >= t))
    threshold = float(alarm.threshold)
    treat = alarm.treat_missing_data or "missing"
    present = [(start, value) for start, value in zip(starts, values, strict=True) if value is not None]
    missing = count - len(present)
    breaching = sum(1 for _, value in present if breaches(value, threshold))
    if treat == "breaching":
        breaching += missing
    data = {
        "version": "1.0",
        "queryDate": _iso(now),
        "startDate": _iso(starts[0]),
        **({"statistic": stat} if stat else {}),
        "period": period,
        "recentDatapoints": [value for _, value in reversed(present)],
        "threshold": threshold,
        "evaluatedDatapoints": [{"timestamp": _iso(start), "value": value} for start, value in reversed(present)],
    }
    points = ", ".join(f"{value} ({_stamp(start)})" for start, value in reversed(present))
    if not present:
        if treat in ("missing", "ignore"):
            state = "INSUFFICIENT_DATA" if treat == "missing" else alarm.state_value
            return (
                state,
                f"Insufficient Data: {count} datapoint{'s were' if count > 1 else ' was'} unknown.",
                json.dumps(data),
            )
        kind = "Breaching" if treat == "breaching" else "NonBreaching"
        state = "ALARM" if treat == "breaching" and missing >= needed else "OK"
        reason = (
            f"Threshold Crossed: no datapoints were received for {count} period{'s' if count > 1 else ''} and "
            f"{missing} missing datapoint{'s were' if missing > 1 else ' was'} treated as [{kind}]."
        )
        return state, reason, json.dumps(data)
    state = "ALARM" if breaching >= needed else "OK"
    relation = words if state == "ALARM" else f"not {words}"
    if count == 1:
        reason = f"Threshold Crossed: 1 datapoint [{points}] was {relation} the threshold ({threshold})."
    else:
        reason = (
            f"Threshold Crossed: {breaching if state == 'ALARM' else len(present) - breaching} out of the last "
            f"{count} datapoints [{points}] were {relation} the threshold ({threshold}) (minimum {needed} "
            f"datapoint{'s' if needed > 1 else ''} for {alarm.state_value} -> {state} transition)."
        )
    return state, reason, json.dumps(data)


def alarm_message(alarm: Any, account: str, region: str, old_state: str) -> dict[str, Any]:
    """The JSON CloudWatch publishes to an alarm's topics."""
    trigger: dict[str, Any] = {
        "Period": int(alarm.period or 0),
        "EvaluationPeriods": int(alarm.evaluation_periods or 1),
        "DatapointsToAlarm": int(alarm.datapoints_to_alarm or alarm.evaluation_periods or 1),
        "ComparisonOperator": alarm.comparison_operator,
        "Threshold": float(alarm.threshold),
        "TreatMissingData": alarm.treat_missing_data or "missing",
        "EvaluateLowSampleCountPercentile": alarm.evaluate_low_sample_count_percentile or "",
    }
    if alarm.metric_data_queries:
        trigger["Metrics"] = [
            {
                "Id": q.id,
                **({"Expression": q.expression} if q.expression else {}),
                **({"Label": q.label} if q.label else {}),
                "ReturnData": str(q.return_data).lower() in ("true", "none"),
                **(
                    {
                        "MetricStat": {
                            "Metric": {
                                "Namespace": q.metric_stat.metric.namespace,
                                "MetricName": q.metric_stat.metric.metric_name,
                                "Dimensions": [
                                    {"value": d.value, "name": d.name} for d in q.metric_stat.metric.dimensions
                                ],
                            },
                            "Period": int(q.metric_stat.period),
                            "Stat": q.metric_stat.stat,
                        }
                    }
                    if q.metric_stat
                    else {}
                ),
            }
            for q in alarm.metric_data_queries
        ]
    else:
        trigger.update(
            {
                "MetricName": alarm.metric_name,
                "Namespace": alarm.namespace,
                "StatisticType": "ExtendedStatistic" if alarm.extended_statistic else "Statistic",
                "Statistic": (alarm.statistic or alarm.extended_statistic or "").upper(),
                "Unit": alarm.unit,
                "Dimensions": [{"value": d.value, "name": d.name} for d in alarm.dimensions],
            }
        )
    return {
        "AlarmName": alarm.name,
        "AlarmDescription": alarm.description,
        "AWSAccountId": account,
        "AlarmConfigurationUpdatedTimestamp": _iso(alarm.configuration_updated_timestamp),
        "NewStateValue": alarm.state_value,
        "NewStateReason": alarm.state_reason,
        "StateChangeTime": _iso(alarm.state_updated_timestamp),
        "Region": REGION_NAMES.get(region, region),
        "AlarmArn": alarm.alarm_arn,
        "OldStateValue": old_state,
        "OKActions": list(alarm.ok_actions),
        "AlarmActions": list(alarm.alarm_actions),
        "InsufficientDataActions": list(alarm.insufficient_data_actions),
        "Trigger": trigger,
    }


def _publish(alarm: Any, topic_arn: str, account: str, region: str, message: dict[str, Any]) -> str | None:
    """Deliver to a topic as CloudWatch does; the reason it was refused, or None."""
    from localcloud.sns.topics import find_topic, service_publish_refusal

    topic = find_topic(topic_arn, region)
    if topic is None:
        return f"topic {topic_arn} does not exist"
    refused = service_publish_refusal(topic, "cloudwatch.amazonaws.com", alarm.alarm_arn, account)
    if refused:
        return refused
    subject = f'{alarm.state_value}: "{alarm.name}" in {REGION_NAMES.get(region, region)}'
    topic.publish(json.dumps(message), subject=subject[:100])
    return None


def run_actions(alarm: Any, account: str, region: str, old_state: str) -> None:
    if not alarm.actions_enabled:
        return
    actions = {
        "ALARM": alarm.alarm_actions,
        "OK": alarm.ok_actions,
        "INSUFFICIENT_DATA": alarm.insufficient_data_actions,
    }
    message = alarm_message(alarm, account, region, old_state)
    for arn in actions.get(alarm.state_value) or []:
        if ":sns:" not in arn:
            continue  # Auto Scaling, EC2 and Systems Manager actions are not emulated
        refused = _publish(alarm, arn, account, region, message)
        summary = (
            f"Failed to execute action {arn}. Received error: {refused}"
            if refused
            else f"Successfully executed action {arn}"
        )
        record(
            alarm, "Action", summary, {"actionState": "Failed" if refused else "Succeeded", "notificationResource": arn}
        )
        if refused:
            log.warning("alarm %s: %s", alarm.name, summary)


def record(alarm: Any, kind: str, summary: str, data: dict[str, Any]) -> None:
    """One item of the alarm's history, as DescribeAlarmHistory answers it."""
    items = alarm.__dict__.setdefault("localcloud_history", [])
    items.append(
        {
            "AlarmName": alarm.name,
            "AlarmType": "MetricAlarm",
            "Timestamp": datetime.now(UTC),
            "HistoryItemType": kind,
            "HistorySummary": summary,
            "HistoryData": json.dumps(data),
        }
    )


def state_changed(alarm: Any, account: str, region: str, old: str) -> None:
    """After the alarm left `old` (evaluated, or SetAlarmState): its history item, then the new state's actions."""
    record(
        alarm,
        "StateUpdate",
        f"Alarm updated from {old} to {alarm.state_value}",
        {
            "version": "1.0",
            "oldState": {"stateValue": old},
            "newState": {"stateValue": alarm.state_value, "stateReason": alarm.state_reason},
        },
    )
    run_actions(alarm, account, region, old)


def change_state(alarm: Any, account: str, region: str, state: str, reason: str, reason_data: str) -> None:
    old = alarm.state_value
    alarm.update_state(reason, reason_data, state)
    if state != old:
        state_changed(alarm, account, region, old)


def evaluate_all() -> None:
    """Evaluate every alarm of every account and region now."""
    now = datetime.now(UTC)
    for account, regions in list(cw_models.cloudwatch_backends.items()):
        for region, backend in list(regions.items()):
            alarms = [a for a in list(backend.alarms.values()) if not getattr(a, "rule", None)]  # not composites
            if not alarms:
                continue
            horizon = max(int(a.period or 60) * int(a.evaluation_periods or 1) for a in alarms)
            index = index_of(backend, now - timedelta(seconds=horizon + 3600))
            for alarm in alarms:
                state, reason, data = evaluate(alarm, index, now)
                if state != alarm.state_value:
                    change_state(alarm, account, region, state, reason, data)


def install() -> Periodic:
    Backend = cw_models.CloudWatchBackend
    put_metric_alarm, set_alarm_state = Backend.put_metric_alarm, Backend.set_alarm_state

    def created_insufficient(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        previous = self.alarms.get(name)
        alarm = put_metric_alarm(self, name, *args, **kwargs)
        if previous is None:
            alarm.state_value = "INSUFFICIENT_DATA"
        else:  # an update keeps the alarm's state and history
            alarm.state_value, alarm.state_reason = previous.state_value, previous.state_reason
            alarm.state_reason_data, alarm.state_updated_timestamp = (
                previous.state_reason_data,
                previous.state_updated_timestamp,
            )
            alarm.history = previous.history
        return alarm

    def acting_set_alarm_state(self: Any, alarm_name: str, reason: str, reason_data: str, state_value: str) -> None:
        alarm = self.alarms.get(alarm_name)
        old = alarm.state_value if alarm is not None else None
        set_alarm_state(self, alarm_name, reason, reason_data, state_value)
        if old is not None and state_value != old:
            state_changed(self.alarms[alarm_name], self.account_id, self.region_name, old)

    def describe_alarm_history(self: Any) -> ActionResult:
        backend = self.cloudwatch_backend
        name, kind = self._get_param("AlarmName"), self._get_param("HistoryItemType")
        start, end = self._get_param("StartDate"), self._get_param("EndDate")
        items = [
            item
            for alarm in backend.alarms.values()
            if name in (None, alarm.name)
            for item in alarm.__dict__.get("localcloud_history", [])
            if kind in (None, item["HistoryItemType"])
            and (start is None or item["Timestamp"] >= _aware(start))
            and (end is None or item["Timestamp"] <= _aware(end))
        ]
        items.sort(key=lambda item: item["Timestamp"], reverse=self._get_param("ScanBy") != "TimestampAscending")
        return ActionResult({"AlarmHistoryItems": items[: int(self._get_param("MaxRecords") or 100)]})

    Backend.put_metric_alarm = created_insufficient
    Backend.set_alarm_state = acting_set_alarm_state
    cw_responses.CloudWatchResponse.describe_alarm_history = describe_alarm_history
    return Periodic(float(os.environ.get("LOCALCLOUD_ALARM_EVALUATION_S", "10")), evaluate_all, "alarm-evaluator")
