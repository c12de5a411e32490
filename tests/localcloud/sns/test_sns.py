"""SNS delivers as AWS does: topic policies, queue policies, raw delivery, filters, metrics, subscription DLQs."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from harness import allow_topic_to_send, client_as_role, role_in_account, sns_metric_sum

pytestmark = pytest.mark.localcloud

OTHER_ACCOUNT, OUTSIDER_ACCOUNT = "222222222222", "999999999999"


@pytest.fixture
def topic(aws, unique) -> str:
    return aws("sns").create_topic(Name=unique)["TopicArn"]


def make_queue(aws, name: str, topic_arn: str | None = None) -> tuple[str, str]:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    if topic_arn:
        allow_topic_to_send(sqs, url, arn, topic_arn)
    return url, arn


def receive(aws, url: str, wait: int = 2) -> list[dict]:
    return (
        aws("sqs")
        .receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=wait, MessageAttributeNames=["All"])
        .get("Messages", [])
    )


def sns_as(aws, account: str, role: str = "publisher"):
    """An SNS client with the credentials of a role session in another account."""
    return client_as_role(aws("sts"), aws("sns").meta.endpoint_url, f"arn:aws:iam::{account}:role/{role}", "sns")


def publisher_role(local_cloud, account: str, role: str) -> None:
    role_in_account(local_cloud, account, role, "sns:Publish")


def metric_sum(aws, topic_arn: str, metric: str) -> float:
    return sns_metric_sum(aws("cloudwatch"), topic_arn.split(":")[-1], metric)


def test_publisher_from_another_account_needs_the_topic_policy(aws, topic, local_cloud):
    for account, role in ((OTHER_ACCOUNT, "publisher"), (OTHER_ACCOUNT, "intern"), (OUTSIDER_ACCOUNT, "publisher")):
        publisher_role(local_cloud, account, role)
    url, arn = make_queue(aws, f"{topic.split(':')[-1]}-q", topic)
    aws("sns").subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    with pytest.raises(ClientError) as refused:
        sns_as(aws, OTHER_ACCOUNT).publish(TopicArn=topic, Message="not yet")
    assert refused.value.response["Error"]["Code"] == "AuthorizationError"
    assert "no resource-based policy allows the SNS:Publish action" in refused.value.response["Error"]["Message"]
    aws("sns").set_topic_attributes(
        TopicArn=topic,
        AttributeName="Policy",
        AttributeValue=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sns:Publish",
                        "Resource": topic,
                        "Principal": {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:role/publisher"},
                    }
                ],
            }
        ),
    )
    sns_as(aws, OTHER_ACCOUNT).publish(TopicArn=topic, Message="invoice 7")
    with pytest.raises(ClientError, match="AuthorizationError"):
        sns_as(aws, OTHER_ACCOUNT, role="intern").publish(TopicArn=topic, Message="not me")
    with pytest.raises(ClientError, match="AuthorizationError"):
        sns_as(aws, OUTSIDER_ACCOUNT).publish(TopicArn=topic, Message="nor me")
    assert [m["Body"] for m in receive(aws, url)] == ["invoice 7"]


def test_explicit_deny_in_the_topic_policy_refuses_callers_of_its_own_account(aws, topic):
    aws("sns").set_topic_attributes(
        TopicArn=topic,
        AttributeName="Policy",
        AttributeValue=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sns:Publish", "Resource": topic}],
            }
        ),
    )
    with pytest.raises(ClientError) as refused:
        aws("sns").publish(TopicArn=topic, Message="x")
    assert "explicit deny" in refused.value.response["Error"]["Message"]


def test_queue_without_a_policy_for_sns_gets_nothing_and_the_failure_is_counted(aws, topic):
    url, arn = make_queue(aws, f"{topic.split(':')[-1]}-closed")
    aws("sns").subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    aws("sns").publish(TopicArn=topic, Message="knock")
    assert receive(aws, url, wait=1) == []
    assert metric_sum(aws, topic, "NumberOfNotificationsFailed") == 1
    assert metric_sum(aws, topic, "NumberOfMessagesPublished") == 1


def test_undeliverable_notification_goes_to_the_subscriptions_dead_letter_queue(aws, topic, unique):
    sns = aws("sns")
    url, arn = make_queue(aws, f"{unique}-gone", topic)
    dlq_url, dlq_arn = make_queue(aws, f"{unique}-sub-dlq", topic)
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=arn,
        Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn})},
    )
    aws("sqs").delete_queue(QueueUrl=url)
    sns.publish(
        TopicArn=topic, Message="still here", MessageAttributes={"kind": {"DataType": "String", "StringValue": "audit"}}
    )  # Publish itself succeeds
    dead = receive(aws, dlq_url)
    assert len(dead) == 1
    envelope = json.loads(dead[0]["Body"])
    assert (envelope["Message"], envelope["TopicArn"]) == ("still here", topic)
    assert metric_sum(aws, topic, "NumberOfNotificationsRedrivenToDlq") == 1


def test_lambda_subscription_to_a_missing_function_is_dead_lettered(aws, topic, unique):
    dlq_url, dlq_arn = make_queue(aws, f"{unique}-fn-dlq", topic)
    aws("sns").subscribe(
        TopicArn=topic,
        Protocol="lambda",
        Endpoint=f"arn:aws:lambda:us-east-1:123456789012:function:{unique}-missing",
        Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn})},
    )
    aws("sns").publish(TopicArn=topic, Message="for nobody")
    assert [json.loads(m["Body"])["Message"] for m in receive(aws, dlq_url)] == ["for nobody"]


def test_lambda_subscription_without_an_invoke_permission_is_dead_lettered_not_run(aws, topic, unique, forwarder):
    function_arn, received = forwarder
    dlq_url, dlq_arn = make_queue(aws, f"{unique}-perm-dlq", topic)
    aws("sns").subscribe(
        TopicArn=topic,
        Protocol="lambda",
        Endpoint=function_arn,
        Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn})},
    )
    aws("sns").publish(TopicArn=topic, Message="not allowed in")
    assert [json.loads(m["Body"])["Message"] for m in receive(aws, dlq_url)] == ["not allowed in"]
    with pytest.raises(AssertionError, match="never received"):
        received(timeout=1)


def test_raw_delivery_sends_the_message_itself_and_false_means_the_envelope(aws, topic, unique):
    sns = aws("sns")
    raw_url, raw_arn = make_queue(aws, f"{unique}-raw", topic)
    wrapped_url, wrapped_arn = make_queue(aws, f"{unique}-wrapped", topic)
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=raw_arn, Attributes={"RawMessageDelivery": "true"})
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=wrapped_arn, Attributes={"RawMessageDelivery": "false"})
    sns.publish(
        TopicArn=topic,
        Message='{"order": 1}',
        Subject="orders",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "created"}},
    )
    raw = receive(aws, raw_url)
    assert raw[0]["Body"] == '{"order": 1}'
    assert raw[0]["MessageAttributes"]["kind"] == {"StringValue": "created", "DataType": "String"}
    envelope = json.loads(receive(aws, wrapped_url)[0]["Body"])
    assert (envelope["Type"], envelope["Message"], envelope["Subject"]) == ("Notification", '{"order": 1}', "orders")
    assert envelope["MessageAttributes"]["kind"] == {"Type": "String", "Value": "created"}


def test_filter_policies_on_the_body_route_and_what_no_filter_matches_is_counted(aws, topic, unique):
    sns = aws("sns")
    queues = {}
    for kind in ("payment", "refund"):
        url, arn = make_queue(aws, f"{unique}-{kind}", topic)
        sns.subscribe(
            TopicArn=topic,
            Protocol="sqs",
            Endpoint=arn,
            Attributes={
                "RawMessageDelivery": "true",
                "FilterPolicyScope": "MessageBody",
                "FilterPolicy": json.dumps({"detail": {"type": [kind]}}),
            },
        )
        queues[kind] = url
    for kind in ("payment", "refund", "chargeback"):
        sns.publish(TopicArn=topic, Message=json.dumps({"detail": {"type": kind}}))
    assert [json.loads(m["Body"])["detail"]["type"] for m in receive(aws, queues["payment"])] == ["payment"]
    assert [json.loads(m["Body"])["detail"]["type"] for m in receive(aws, queues["refund"])] == ["refund"]
    assert metric_sum(aws, topic, "NumberOfNotificationsDelivered") == 2
    # each subscription that turns a message away counts it: 1 + 1 + 2
    assert metric_sum(aws, topic, "NumberOfNotificationsFilteredOut") == 4
