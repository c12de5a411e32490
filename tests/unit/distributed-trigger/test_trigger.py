"""P15 trigger: an EventBridge event becomes the service's notification on its topic; bad events fail clearly."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context

pytestmark = pytest.mark.unit


def source_event(**detail) -> dict:
    return {
        "version": "0",
        "id": "e-1",
        "detail-type": "OrderPlaced",
        "source": "acme.orders",
        "account": "123456789012",
        "time": "2026-11-23T10:00:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": detail,
    }


def test_source_event_becomes_a_notification_with_stable_fields():
    from distributed_trigger import logic

    notification = logic.notification_from(source_event(id=" o-7 ", total=12), "orders")
    assert notification.message() == {
        "eventId": "e-1",
        "eventType": "OrderPlaced",
        "service": "orders",
        "source": "acme.orders",
        "subject": "o-7",
        "occurredAt": "2026-11-23T10:00:00Z",
        "data": {"id": " o-7 ", "total": 12},
    }


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ({"detail": {"id": "x"}}, "'id' is missing"),
        ({**source_event(), "detail": "text"}, "detail must be an object"),
        (source_event(total=3), "detail.id, the entity it is about, is required"),
        (source_event(id="  "), "detail.id"),
    ],
)
def test_events_that_cannot_become_notifications_fail_clearly(event, reason):
    from distributed_trigger import logic

    with pytest.raises(logic.InvalidSourceEvent, match=reason):
        logic.notification_from(event, "orders")


@pytest.fixture
def trigger(aws_credentials, monkeypatch):
    with mock_aws():
        sns, sqs = boto3.client("sns"), boto3.client("sqs")
        topic = sns.create_topic(Name="p15-orders")["TopicArn"]
        queue = sqs.create_queue(QueueName="p15-inbox")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
        monkeypatch.setenv("TOPIC_ARN", topic)
        monkeypatch.setenv("SERVICE_NAME", "orders")
        from distributed_trigger import handler

        cold_start("distributed_trigger")
        yield handler, sqs, queue
        cold_start("distributed_trigger")


def test_handler_publishes_the_notification_with_type_and_id_attributes(trigger):
    handler, sqs, queue = trigger
    answer = handler.handler(source_event(id="o-7"), lambda_context("p15-trigger"))
    assert answer["eventId"] == "e-1" and answer["messageId"]
    (message,) = sqs.receive_message(QueueUrl=queue, MessageAttributeNames=["All"])["Messages"]
    assert json.loads(message["Body"])["subject"] == "o-7"
    assert message["MessageAttributes"]["eventType"]["StringValue"] == "OrderPlaced"
    assert message["MessageAttributes"]["eventId"]["StringValue"] == "e-1"


def test_handler_raises_on_a_bad_event_and_publishes_nothing(trigger):
    handler, sqs, queue = trigger
    with pytest.raises(ValueError, match="detail.id"):
        handler.handler(source_event(total=1), lambda_context("p15-trigger"))
    assert sqs.receive_message(QueueUrl=queue).get("Messages") is None
