"""P10 notifier: a KMS-encrypted topic as a service, whose policy names who may publish and subscribe."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from harness import Stack, applied_stack, client_as_role, drain_queue, role_in_account

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    # Callers from other accounts whose own policies allow them: the topic policy is what decides.
    for account, role in (("222222222222", "billing"), ("222222222222", "intern"), ("999999999999", "billing")):
        role_in_account(local_cloud, account, role, "sns:Publish")
    for account in ("333333333333", "444444444444"):
        role_in_account(local_cloud, account, "ops", "sns:Subscribe")
    with applied_stack("notifier", local_cloud, tmp_path_factory.mktemp("p10"), code="p10") as applied:
        yield applied


def sns_as(stack: Stack, role_arn: str):
    return client_as_role(stack.client("sts"), stack.cloud.endpoint, role_arn, "sns")


def billing_event(invoice: str) -> str:
    return json.dumps({"type": "InvoiceIssued", "invoice": invoice, "amount": 120})


def invoices_in(stack: Stack, subscriber: str, wait_s: float = 10) -> list[str]:
    found = []
    url = stack.outputs["notifier"]["queue_subscribers"][subscriber]["queue_url"]
    for message in drain_queue(stack.client("sqs"), url, wait_s):
        body = json.loads(message["Body"])
        found.append(json.loads(body["Message"] if "Message" in body else message["Body"])["invoice"])
    return found


def test_a_billing_event_from_a_named_publisher_reaches_every_subscribed_queue(stack):
    topic = stack.outputs["notifier"]["topic_arn"]
    for publisher in ("arn:aws:iam::222222222222:role/billing", stack.outputs["billing_role_arn"]):
        invoice = f"inv-{uuid.uuid4().hex[:6]}"
        sns_as(stack, publisher).publish(TopicArn=topic, Message=billing_event(invoice))
        assert invoices_in(stack, "ledger") == [invoice], publisher
        assert invoices_in(stack, "audit") == [invoice], publisher  # as SNS's envelope: raw delivery off


def test_eventbridge_publishes_as_a_listed_publisher_service(stack):
    """publisher_services = [events.amazonaws.com]: a rule of this account delivers to every subscriber."""
    topic = stack.outputs["notifier"]["topic_arn"]
    events, source = stack.client("events"), f"acme.billing.{uuid.uuid4().hex[:6]}"
    rule = f"{stack.prefix}-to-topic"
    events.put_rule(Name=rule, EventPattern=json.dumps({"source": [source]}))
    events.put_targets(Rule=rule, Targets=[{"Id": "topic", "Arn": topic, "InputPath": "$.detail"}])
    try:
        invoice = f"inv-{uuid.uuid4().hex[:6]}"
        answer = events.put_events(
            Entries=[{"Source": source, "DetailType": "InvoiceIssued", "Detail": billing_event(invoice)}]
        )
        assert answer["FailedEntryCount"] == 0
        assert invoices_in(stack, "ledger") == [invoice]
    finally:
        events.remove_targets(Rule=rule, Ids=["topic"])
        events.delete_rule(Name=rule)


@pytest.mark.parametrize(
    "outsider",
    [
        "arn:aws:iam::999999999999:role/billing",  # another account
        "arn:aws:iam::222222222222:role/intern",  # a listed account's other role
        "this account's deployer",
    ],
)
@pytest.mark.failure_mode
def test_a_publisher_outside_the_policy_is_denied_and_nothing_is_delivered(stack, outsider):
    topic = stack.outputs["notifier"]["topic_arn"]
    sns = stack.client("sns") if outsider == "this account's deployer" else sns_as(stack, outsider)
    with pytest.raises(ClientError) as refused:
        sns.publish(TopicArn=topic, Message=billing_event("forged"))
    assert refused.value.response["Error"]["Code"] == "AuthorizationError"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert invoices_in(stack, "ledger", wait_s=1.5) == []


@pytest.mark.failure_mode
def test_only_named_accounts_may_subscribe_and_only_with_allowed_protocols(stack):
    topic = stack.outputs["notifier"]["topic_arn"]
    allowed = sns_as(stack, "arn:aws:iam::333333333333:role/ops")
    subscription = allowed.subscribe(
        TopicArn=topic, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:333333333333:billing-inbox"
    )
    assert subscription["SubscriptionArn"].startswith(topic)
    with pytest.raises(ClientError, match="AuthorizationError"):
        allowed.subscribe(TopicArn=topic, Protocol="http", Endpoint="http://example.com/hook")
    with pytest.raises(ClientError, match="AuthorizationError"):
        sns_as(stack, "arn:aws:iam::444444444444:role/ops").subscribe(
            TopicArn=topic, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:444444444444:spy"
        )
    stack.client("sns").unsubscribe(SubscriptionArn=subscription["SubscriptionArn"])


def test_topic_is_encrypted_with_its_own_rotating_key(stack):
    outputs = stack.outputs["notifier"]
    attributes = stack.client("sns").get_topic_attributes(TopicArn=outputs["topic_arn"])["Attributes"]
    assert attributes["KmsMasterKeyId"] == outputs["kms_key_arn"]
    kms = stack.client("kms")
    assert kms.get_key_rotation_status(KeyId=outputs["kms_key_arn"])["KeyRotationEnabled"]
    key_policy = json.loads(kms.get_key_policy(KeyId=outputs["kms_key_arn"], PolicyName="default")["Policy"])
    publishers = next(s for s in key_policy["Statement"] if s["Sid"] == "PublishersThroughSns")
    assert publishers["Condition"] == {"StringEquals": {"kms:ViaService": "sns.us-east-1.amazonaws.com"}}


@pytest.mark.failure_mode
def test_delivery_failures_and_subscriber_dlqs_have_alarms(stack):
    outputs = stack.outputs["notifier"]
    names = [outputs["delivery_failures_alarm_name"]] + [
        s["dlq_alarm_name"] for s in outputs["queue_subscribers"].values()
    ]
    alarms = stack.client("cloudwatch").describe_alarms(AlarmNames=names)["MetricAlarms"]
    assert sorted(a["MetricName"] for a in alarms) == ["ApproximateNumberOfMessagesVisible"] * 2 + [
        "NumberOfNotificationsFailed"
    ]


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
