"""P12 big fan: API Gateway publishes to SNS directly; each subscriber's filter lets only its types through."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from harness import Stack, api_url, applied_stack, http, package_zip, sns_metric_sum

pytestmark = pytest.mark.integration

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack("big-fan", local_cloud, tmp_path_factory.mktemp("p12"), code="p12",
                       variables={"package_path": str(package_zip("big-fan"))}) as applied:
        yield applied


def publish(stack: Stack, body: dict | str):
    outputs = stack.outputs["fan"]
    return http("POST", api_url(stack, outputs["api_id"], outputs["stage_name"], "events"),
                body if isinstance(body, str) else json.dumps(body), JSON)


def receivers(stack: Stack, event_id: str) -> set[str]:
    items = stack.client("dynamodb").query(
        TableName=stack.outputs["fan"]["deliveries_table_name"], ConsistentRead=True,
        KeyConditionExpression="eventId = :e", ExpressionAttributeValues={":e": {"S": event_id}})["Items"]
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
            QueueUrl=subscriber["queue_url"], AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
        assert depth["ApproximateNumberOfMessages"] == "0"


def test_an_event_outside_the_model_is_rejected_at_the_gateway(stack):
    published_before = metric_sum(stack, "NumberOfMessagesPublished")
    for body in ({"detail": {}}, {"type": "has spaces"}, "{not json"):
        answer = publish(stack, body)
        assert (answer.status, answer.json()) == (400, {"message": "Invalid request body"}), body
    assert metric_sum(stack, "NumberOfMessagesPublished") == published_before


def test_a_message_that_cannot_be_handled_lands_in_that_subscribers_dlq_only(stack):
    # published around the API (no eventId attribute): the consumers refuse it as poison
    subscribers = stack.outputs["fan"]["subscribers"]
    stack.client("sns").publish(TopicArn=stack.outputs["fan"]["topic_arn"], Message='{"type": "refund"}',
                                MessageAttributes={"eventType": {"DataType": "String", "StringValue": "refund"}})
    sqs = stack.client("sqs")
    for name in ("refunds", "audit"):
        dead: list = []
        deadline = time.monotonic() + 60
        while not dead and time.monotonic() < deadline:
            dead = sqs.receive_message(QueueUrl=subscribers[name]["dlq_url"], WaitTimeSeconds=2).get("Messages", [])
        assert [m["Body"] for m in dead] == ['{"type": "refund"}'], name
    assert sqs.receive_message(QueueUrl=subscribers["payments"]["dlq_url"], WaitTimeSeconds=1).get("Messages") is None


def test_subscriber_queues_accept_only_this_topic_and_have_dlq_alarms(stack):
    sqs, cloudwatch = stack.client("sqs"), stack.client("cloudwatch")
    for subscriber in stack.outputs["fan"]["subscribers"].values():
        policy = json.loads(sqs.get_queue_attributes(QueueUrl=subscriber["queue_url"],
                                                     AttributeNames=["Policy"])["Attributes"]["Policy"])
        (statement,) = policy["Statement"]
        assert statement["Principal"] == {"Service": "sns.amazonaws.com"}
        assert statement["Condition"] == {"ArnEquals": {"aws:SourceArn": stack.outputs["fan"]["topic_arn"]}}
        assert cloudwatch.describe_alarms(AlarmNames=[subscriber["dlq_alarm_name"]])["MetricAlarms"]


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
