"""AWS adapters: the router's Lambda client and a task function's table, each made once per cold start."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

from . import settings
from .logic import Task


@lru_cache(maxsize=1)
def _lambda() -> Any:
    return boto3.client("lambda")


@lru_cache(maxsize=1)
def _table() -> Any:
    return boto3.resource("dynamodb").Table(settings.task_table())


def hand_to(function_name: str, task: Task) -> str:
    response = _lambda().invoke(
        FunctionName=function_name, InvocationType="Event", Payload=json.dumps(task.as_event()).encode()
    )
    return str(response["ResponseMetadata"]["RequestId"])


def record_once(task: Task, result: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Record the task's result unless this task id was done before: (the recorded result, whether new)."""
    try:
        _table().put_item(
            Item={"taskId": task.task_id, "taskType": task.task_type, "result": result},
            ConditionExpression="attribute_not_exists(taskId)",
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        existing = _table().get_item(Key={"taskId": task.task_id}, ConsistentRead=True)["Item"]
        return _plain(existing["result"]), False
    return result, True


def _plain(value: Any) -> Any:
    """DynamoDB's numbers (Decimal) as JSON numbers again."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
