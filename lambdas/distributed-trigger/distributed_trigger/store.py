"""The service's SNS topic (the client made once per cold start)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import boto3

from . import logic, settings


@lru_cache(maxsize=1)
def _sns() -> Any:
    return boto3.client("sns")


def publish(notification: logic.Notification) -> str:
    """At least once: a retried invocation publishes again, so subscribers dedupe on eventId."""
    answer = _sns().publish(
        TopicArn=settings.topic_arn(),
        Message=json.dumps(notification.message()),
        MessageAttributes={
            "eventType": {"DataType": "String", "StringValue": notification.event_type},
            "eventId": {"DataType": "String", "StringValue": notification.event_id},
        },
    )
    return str(answer["MessageId"])
