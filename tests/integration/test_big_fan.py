"""P12 big fan: API Gateway publishes to SNS directly; each subscriber's filter lets only its types through."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from harness import Stack, api_url, applied_stack, drain_queue, http, metric_datapoints, package_zip, sns_metric_sum

pytestmark = pytest.mark.integration

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "big-fan",
        local_cloud,
        tmp_path_factory.mktemp("p12"),
        code="p12",
        variables={"package_path": str(package_zip("big-fan"))},
    ) as applied:
        yield applied


def publish(stack: Stack, body: dict | str):
    outputs = stack.outputs["fan"]
    return http(
        "POST",
        api_url(stack, outputs["api_id"], outputs["stage_name"], "events"),
        body if isinstance(body, str) else json.dumps(body),
        JSON,
    )


def receivers(stack: Stack, event_id: str) -> set[str]:
    items = stack.client("dynamodb").query(
        TableName=stack.outputs["fan"]["deliveries_table_name"],
        ConsistentRead=True,
        KeyConditionExpression="eventId = :e",
        ExpressionAttributeValues={":e": {"S": event_id}},
    )["Items"]
    return {item["subscriber"]["S"] for item in items}


def wait_for_receivers(stack: Stack, event_id: str, count: int, timeout: float = 30) -> set[str]:
    deadline = time.monotonic() + timeout
    found = receivers(stack, event_id)
    while len(found) < count and time.monotonic() < deadline:
        time.sleep(0.3)
        found = receivers(stack, event_id)
    return found


def metric_sum(stack: Stack, metric: str) -> float:
    return sns_metric_sum(stack.client("cloudwatch"), stack.outputs["fan"]["topic_name"], metric)


def test_an_event_reaches_only_the_subscribers_whose_filter_names_its_type(stack):
    answer = publish(stack, {"type": "payment", "detail": {"amount": 12}})
    assert answer.status == 202, answer.text
    payment = answer.json()["eventId"]
    assert answer.json()["messageId"]
    refund = publish(stack, {"type": "refund", "detail": {"amount": 3}}).json()["eventId"]
    assert wait_for_receivers(stack, payment, 2) == {"payments", "audit"}
    assert wait_for_receivers(stack, refund, 2) == {"refunds", "audit"}
    time.sleep(1)  # room for a wrong delivery to land
    assert receivers(stack, payment) == {"payments", "audit"}
    assert receivers(stack, refund) == {"refunds", "audit"}


@pytest.mark.failure_mode
def test_an_event_no_filter_matches_is_accepted_dropped_and_counted(stack):
    filtered_before = metric_sum(stack, "NumberOfNotificationsFilteredOut")
    delivered_before = metric_sum(stack, "NumberOfNotificationsDelivered")
    answer = publish(stack, {"type": "chargeback", "detail": {"amount": 9}})
    assert answer.status == 202
    time.sleep(2)
    assert receivers(stack, answer.json()["eventId"]) == set()
    # each of the three subscriptions turned it away, and none delivered it
    assert metric_sum(stack, "NumberOfNotificationsFilteredOut") - filtered_before == 3
    assert metric_sum(stack, "NumberOfNotificationsDelivered") == delivered_before
    for subscriber in stack.outputs["fan"]["subscribers"].values():
        depth = stack.client("sqs").get_queue_attributes(
            QueueUrl=subscriber["queue_url"], AttributeNames=["ApproximateNumberOfMessages"]
        )["Attributes"]
        assert depth["ApproximateNumberOfMessages"] == "0"


@pytest.mark.failure_mode
def test_an_event_outside_the_model_is_rejected_at_the_gateway(stack):
    published_before = metric_sum(stack, "NumberOfMessagesPublished")
    for body in ({"detail": {}}, {"type": "has spaces"}, "{not json"):
        answer = publish(stack, body)
        assert (answer.status, answer.json()) == (400, {"message": "Invalid request body"}), body
    assert metric_sum(stack, "NumberOfMessagesPublished") == published_before


def dead_letters(stack: Stack, subscriber: str, wait_s: float, expect: int = 1) -> list[str]:
    url = stack.outputs["fan"]["subscribers"][subscriber]["dlq_url"]
    return [m["Body"] for m in drain_queue(stack.client("sqs"), url, wait_s, expect)]


@pytest.mark.failure_mode
@pytest.mark.parametrize("event_type, handlers", [("refund", {"refunds", "audit"}), ("payment", {"payments", "audit"})])
def test_a_message_that_cannot_be_handled_lands_in_the_dlqs_of_exactly_its_subscribers(stack, event_type, handlers):
    # published around the API (no eventId attribute): the consumers refuse it as poison
    poison = json.dumps({"type": event_type, "poison": time.time()})
    stack.client("sns").publish(
        TopicArn=stack.outputs["fan"]["topic_arn"],
        Message=poison,
        MessageAttributes={"eventType": {"DataType": "String", "StringValue": event_type}},
    )
    for name in sorted(handlers):
        assert dead_letters(stack, name, wait_s=60) == [poison], name
    (other,) = set(stack.outputs["fan"]["subscribers"]) - handlers
    # its consumer would give up on the same schedule: by now a wrongly delivered poison would be there
    assert dead_letters(stack, other, wait_s=3) == [], other


@pytest.mark.failure_mode
def test_an_event_sns_refuses_answers_500_and_reaches_nobody(stack):
    """SNS refuses messages over 256 KB: the gateway maps its error to 500, no subscriber sees the event."""
    published_before = metric_sum(stack, "NumberOfMessagesPublished")
    answer = publish(stack, {"type": "payment", "detail": {"blob": "x" * 300_000}})
    assert (answer.status, answer.json()) == (500, {"message": "the event could not be published"}), answer.text
    assert metric_sum(stack, "NumberOfMessagesPublished") == published_before
    for name in stack.outputs["fan"]["subscribers"]:
        assert dead_letters(stack, name, wait_s=1) == [], name


@pytest.mark.failure_mode
def test_an_event_sns_cannot_deliver_to_a_queue_lands_in_that_subscribers_dlq(stack):
    """A subscriber queue whose policy no longer admits the topic: SNS dead-letters the notification."""
    sqs = stack.client("sqs")
    audit = stack.outputs["fan"]["subscribers"]["audit"]
    policy = sqs.get_queue_attributes(QueueUrl=audit["queue_url"], AttributeNames=["Policy"])["Attributes"]["Policy"]
    failed_before = metric_sum(stack, "NumberOfNotificationsFailed")
    sqs.set_queue_attributes(QueueUrl=audit["queue_url"], Attributes={"Policy": ""})
    try:
        answer = publish(stack, {"type": "refund", "detail": {"amount": 4}})
        assert answer.status == 202, answer.text
        event_id = answer.json()["eventId"]
        (dead,) = dead_letters(stack, "audit", wait_s=30)
    finally:
        sqs.set_queue_attributes(QueueUrl=audit["queue_url"], Attributes={"Policy": policy})
    assert json.loads(dead)["type"] == "refund"
    assert wait_for_receivers(stack, event_id, 1) == {"refunds"}
    assert metric_sum(stack, "NumberOfNotificationsFailed") - failed_before == 1


@pytest.mark.failure_mode
def test_subscriber_queues_accept_only_this_topic_and_have_dlq_alarms(stack):
    sqs, cloudwatch = stack.client("sqs"), stack.client("cloudwatch")
    for subscriber in stack.outputs["fan"]["subscribers"].values():
        policy = json.loads(
            sqs.get_queue_attributes(QueueUrl=subscriber["queue_url"], AttributeNames=["Policy"])["Attributes"][
                "Policy"
            ]
        )
        (statement,) = policy["Statement"]
        assert statement["Principal"] == {"Service": "sns.amazonaws.com"}
        assert statement["Condition"] == {"ArnEquals": {"aws:SourceArn": stack.outputs["fan"]["topic_arn"]}}
        assert cloudwatch.describe_alarms(AlarmNames=[subscriber["dlq_alarm_name"]])["MetricAlarms"]


def test_each_subscriber_counts_its_events_under_its_own_service_name(stack):
    def recorded(subscriber: str) -> float:
        return sum(
            metric_datapoints(
                stack.client("cloudwatch"),
                "ServerlessPatterns",
                "EventsRecorded",
                {"service": f"{stack.prefix}-{subscriber}"},
            )
        )

    before = {name: recorded(name) for name in ("payments", "refunds", "audit")}
    event_id = publish(stack, {"type": "refund", "detail": {"amount": 1}}).json()["eventId"]
    assert wait_for_receivers(stack, event_id, 2) == {"refunds", "audit"}
    expected = {"payments": 0, "refunds": 1, "audit": 1}
    deadline = time.monotonic() + 15  # the batch's metrics are flushed as its invocation ends
    while True:
        counted = {name: recorded(name) - before[name] for name in before}
        if counted == expected or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert counted == expected


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
