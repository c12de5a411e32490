"""P15 distributed trigger: a source event reaches every subscribing service's queue through the service's topic."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest

from harness import Stack, applied_stack, drain_queue, package_zip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "distributed-trigger",
        local_cloud,
        tmp_path_factory.mktemp("p15"),
        code="p15",
        variables={"package_path": str(package_zip("distributed-trigger"))},
    ) as applied:
        yield applied


def put_event(stack: Stack, detail_type: str, detail: dict, source: str = "acme.orders") -> None:
    answer = stack.client("events").put_events(
        Entries=[
            {
                "EventBusName": stack.outputs["trigger"]["event_bus_name"],
                "Source": source,
                "DetailType": detail_type,
                "Detail": json.dumps(detail),
            }
        ]
    )
    assert answer["FailedEntryCount"] == 0, answer


def drain(stack: Stack, url: str, wait_s: float = 20, expect: int = 1) -> list[dict]:
    return drain_queue(stack.client("sqs"), url, wait_s, expect)


def notifications(messages: list[dict]) -> list[dict]:
    return [json.loads(m["Body"]) for m in messages]


def test_one_source_event_reaches_every_subscribers_queue(stack):
    order = f"o-{uuid.uuid4().hex[:8]}"
    put_event(stack, "OrderPlaced", {"id": order, "total": 42})
    subscribers = stack.outputs["trigger"]["subscribers"]
    for name in ("billing", "shipping", "analytics"):
        (notification,) = notifications(drain(stack, subscribers[name]["queue_url"]))
        assert notification["subject"] == order, name
        assert (notification["eventType"], notification["service"], notification["data"]["total"]) == (
            "OrderPlaced",
            "orders",
            42,
        )


def test_each_subscriber_buffers_only_the_types_it_asked_for(stack):
    order = f"o-{uuid.uuid4().hex[:8]}"
    put_event(stack, "OrderCancelled", {"id": order})
    subscribers = stack.outputs["trigger"]["subscribers"]
    assert [n["subject"] for n in notifications(drain(stack, subscribers["shipping"]["queue_url"]))] == [order]
    assert [n["subject"] for n in notifications(drain(stack, subscribers["analytics"]["queue_url"]))] == [order]
    assert drain(stack, subscribers["billing"]["queue_url"], wait_s=2) == []


@pytest.mark.failure_mode
def test_events_outside_the_rules_pattern_trigger_nothing(stack):
    put_event(stack, "OrderPlaced", {"id": "o-elsewhere"}, source="acme.returns")
    assert drain(stack, stack.outputs["trigger"]["subscribers"]["analytics"]["queue_url"], wait_s=2) == []


@pytest.mark.failure_mode
def test_a_source_event_the_trigger_fails_on_lands_in_its_dlq_after_the_retry(stack):
    put_event(stack, "OrderPlaced", {"total": 5})  # no detail.id: the trigger refuses it
    dead = drain(stack, stack.outputs["trigger"]["trigger_dlq_url"], wait_s=30)
    assert len(dead) == 1
    assert json.loads(dead[0]["Body"])["detail"] == {"total": 5}
    attributes = dead[0]["MessageAttributes"]
    assert "detail.id, the entity it is about, is required" in attributes["ErrorMessage"]["StringValue"]
    # nothing reached the subscribers
    assert drain(stack, stack.outputs["trigger"]["subscribers"]["analytics"]["queue_url"], wait_s=2) == []


@pytest.mark.failure_mode
def test_trigger_dlq_has_an_alarm_and_admits_only_the_rule(stack):
    outputs = stack.outputs["trigger"]
    assert stack.client("cloudwatch").describe_alarms(AlarmNames=[outputs["trigger_dlq_alarm_name"]])["MetricAlarms"]
    policy = json.loads(
        stack.client("sqs").get_queue_attributes(QueueUrl=outputs["trigger_dlq_url"], AttributeNames=["Policy"])[
            "Attributes"
        ]["Policy"]
    )
    (statement,) = policy["Statement"]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    rule_arn = stack.client("events").describe_rule(Name=outputs["rule_name"], EventBusName=outputs["event_bus_name"])[
        "Arn"
    ]
    assert statement["Condition"] == {"ArnEquals": {"aws:SourceArn": rule_arn}}


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
