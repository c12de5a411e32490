"""The breaker's state in DynamoDB: one item per circuit, changed only by conditional writes, so callers
running at once cannot both open the breaker, both take the trial, or overwrite each other's counts."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

from . import settings
from .logic import Circuit, Rules, open_period


@lru_cache(maxsize=1)
def _dynamodb() -> Any:
    return boto3.client("dynamodb")


def _table() -> str:
    return settings.circuits_table()


def _key(name: str) -> dict[str, Any]:
    return {"circuit": {"S": name}}


def _n(value: float) -> dict[str, str]:
    return {"N": str(Decimal(str(round(value, 3))))}


def _lost(error: ClientError) -> bool:
    if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
        return True
    raise error


def read(name: str) -> Circuit:
    item = _dynamodb().get_item(TableName=_table(), Key=_key(name), ConsistentRead=True).get("Item")
    if not item:
        return Circuit()

    def number(field: str) -> float:
        return float(item.get(field, {}).get("N", "0"))

    return Circuit(
        state=item.get("state", {}).get("S", "CLOSED"),
        failures=int(number("failures")),
        window_start=number("windowStart"),
        open_until=number("openUntil"),
        openings=int(number("openings")),
        trial_until=number("trialUntil"),
        version=int(number("version")),
    )


def claim_trial(name: str, seen: Circuit, now: float, rules: Rules) -> bool:
    """Become the one caller that tries the service; False when another caller changed the state first."""
    try:
        _dynamodb().update_item(
            TableName=_table(),
            Key=_key(name),
            UpdateExpression="SET #state = :half, trialUntil = :until, version = :next",
            ConditionExpression="version = :seen",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={
                ":half": {"S": "HALF_OPEN"},
                ":until": _n(now + rules.trial_lease_s),
                ":next": _n(seen.version + 1),
                ":seen": _n(seen.version),
            },
        )
    except ClientError as error:
        return not _lost(error)
    return True


def close_after_trial(name: str, trial_version: int) -> bool:
    try:
        _dynamodb().update_item(
            TableName=_table(),
            Key=_key(name),
            UpdateExpression="SET #state = :closed, failures = :zero, openings = :zero, version = :next",
            ConditionExpression="#state = :half AND version = :mine",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={
                ":closed": {"S": "CLOSED"},
                ":half": {"S": "HALF_OPEN"},
                ":zero": _n(0),
                ":next": _n(trial_version + 1),
                ":mine": _n(trial_version),
            },
        )
    except ClientError as error:
        return not _lost(error)
    return True


def reopen_after_trial(name: str, trial_version: int, openings: int, now: float, rules: Rules) -> float:
    """The trial failed: open again for longer. The new open period (0.0 if another caller moved first)."""
    period = open_period(rules, openings + 1)
    try:
        _dynamodb().update_item(
            TableName=_table(),
            Key=_key(name),
            UpdateExpression="SET #state = :open, openUntil = :until, openings = :openings, version = :next",
            ConditionExpression="#state = :half AND version = :mine",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={
                ":open": {"S": "OPEN"},
                ":half": {"S": "HALF_OPEN"},
                ":until": _n(now + period),
                ":openings": _n(openings + 1),
                ":next": _n(trial_version + 1),
                ":mine": _n(trial_version),
            },
        )
    except ClientError as error:
        _lost(error)
        return 0.0
    return period


def reset_failures(name: str) -> None:
    """A call succeeded while CLOSED: forget earlier failures (only while still CLOSED)."""
    try:
        _dynamodb().update_item(
            TableName=_table(),
            Key=_key(name),
            UpdateExpression="SET failures = :zero",
            ConditionExpression="#state = :closed AND failures > :zero",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={":closed": {"S": "CLOSED"}, ":zero": _n(0)},
        )
    except ClientError as error:
        _lost(error)


def count_failure(name: str, now: float, rules: Rules) -> int:
    """One more failure in the current window (a new window if the last one is over); the new count."""
    closed = "(attribute_not_exists(#state) OR #state = :closed)"
    values = {":closed": {"S": "CLOSED"}, ":now": _n(now), ":one": _n(1)}
    try:  # a window that is over starts again at this failure
        _dynamodb().update_item(
            TableName=_table(),
            Key=_key(name),
            UpdateExpression="SET failures = :one, windowStart = :now, #state = :closed, "
            "version = if_not_exists(version, :zero)",
            ConditionExpression=f"{closed} AND (attribute_not_exists(windowStart) OR windowStart < :cutoff)",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={**values, ":cutoff": _n(now - rules.failure_window_s), ":zero": _n(0)},
        )
        return 1
    except ClientError as error:
        _lost(error)
    try:
        answer = _dynamodb().update_item(
            TableName=_table(),
            Key=_key(name),
            UpdateExpression="ADD failures :one",
            ConditionExpression=closed,
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={":closed": {"S": "CLOSED"}, ":one": _n(1)},
            ReturnValues="UPDATED_NEW",
        )
    except ClientError as error:
        _lost(error)
        return 0  # the breaker opened meanwhile: this failure no longer counts
    return int(answer["Attributes"]["failures"]["N"])


def open_circuit(name: str, now: float, rules: Rules) -> bool:
    """CLOSED -> OPEN, once: of the callers that reach the threshold together, one opens it."""
    try:
        _dynamodb().update_item(
            TableName=_table(),
            Key=_key(name),
            UpdateExpression="SET #state = :open, openUntil = :until, openings = :one, "
            "version = if_not_exists(version, :zero) + :one",
            ConditionExpression="#state = :closed",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={
                ":open": {"S": "OPEN"},
                ":closed": {"S": "CLOSED"},
                ":until": _n(now + open_period(rules, 1)),
                ":one": _n(1),
                ":zero": _n(0),
            },
        )
    except ClientError as error:
        return not _lost(error)
    return True
