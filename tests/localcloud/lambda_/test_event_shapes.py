"""Events reaching handlers have AWS's documented shapes (samples in tests/events/)."""

from __future__ import annotations

import pytest

from harness import allow_service_to_invoke
from sample_events import load

pytestmark = pytest.mark.localcloud


def test_sns_delivers_the_real_topic_message_id_and_attributes(aws, forwarder, unique):
    function_arn, received = forwarder
    sns = aws("sns")
    topic = sns.create_topic(Name=f"{unique}-topic")["TopicArn"]
    allow_service_to_invoke(aws("lambda"), function_arn, "sns.amazonaws.com", topic)
    subscription = sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=function_arn)["SubscriptionArn"]
    published = sns.publish(
        TopicArn=topic,
        Message="hello",
        Subject="greeting",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "billing"}},
    )
    record = received()["Records"][0]
    sample = load("sns_record")
    assert set(record) == set(sample) and set(record["Sns"]) == set(sample["Sns"])
    assert record["EventSubscriptionArn"] == subscription
    assert record["Sns"]["TopicArn"] == topic
    assert record["Sns"]["MessageId"] == published["MessageId"]
    assert record["Sns"]["MessageAttributes"] == {"kind": {"Type": "String", "Value": "billing"}}
    assert record["Sns"]["Timestamp"][:2] == "20", "timestamp is the publish time, not 1970"


def test_sns_publish_returns_before_the_function_runs(aws, make_function, unique):
    """SNS invokes Lambda asynchronously: a slow subscriber does not slow the publisher, and still runs."""
    import time

    sqs = aws("sqs")
    out = sqs.create_queue(QueueName=f"{unique}-done")["QueueUrl"]
    name = make_function(
        "import os, time, boto3\nsqs = boto3.client('sqs')\n"
        "def handler(e, c):\n    time.sleep(3)\n"
        "    sqs.send_message(QueueUrl=os.environ['OUT'], MessageBody=e['Records'][0]['Sns']['Message'])\n",
        Timeout=10,
        Environment={"Variables": {"OUT": out}},
    )
    arn = aws("lambda").get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    sns = aws("sns")
    topic = sns.create_topic(Name=f"{unique}-slow")["TopicArn"]
    allow_service_to_invoke(aws("lambda"), arn, "sns.amazonaws.com", topic)
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)
    started = time.monotonic()
    sns.publish(TopicArn=topic, Message="slow one")
    assert time.monotonic() - started < 1.0
    (done,) = sqs.receive_message(QueueUrl=out, WaitTimeSeconds=15)["Messages"]
    assert done["Body"] == "slow one"
    assert time.monotonic() - started >= 3.0, "the function ran after the publish returned"


def test_s3_keys_are_url_encoded_like_s3_but_keep_their_slashes(aws, forwarder, unique):
    function_arn, received = forwarder
    s3 = aws("s3")
    s3.create_bucket(Bucket=unique)
    allow_service_to_invoke(aws("lambda"), function_arn, "s3.amazonaws.com", f"arn:aws:s3:::{unique}")
    s3.put_bucket_notification_configuration(
        Bucket=unique,
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [{"LambdaFunctionArn": function_arn, "Events": ["s3:ObjectCreated:*"]}]
        },
    )
    s3.put_object(Bucket=unique, Key="in/red flower.jpg", Body=b"x")
    record = received()["Records"][0]
    assert record["s3"]["object"]["key"] == "in/red+flower.jpg"
    assert record["s3"]["bucket"]["name"] == unique


def test_s3_records_of_a_versioned_bucket_name_the_version_and_order_events_of_a_key(aws, forwarder, unique):
    function_arn, received = forwarder
    s3 = aws("s3")
    s3.create_bucket(Bucket=unique)
    s3.put_bucket_versioning(Bucket=unique, VersioningConfiguration={"Status": "Enabled"})
    allow_service_to_invoke(aws("lambda"), function_arn, "s3.amazonaws.com", f"arn:aws:s3:::{unique}")
    s3.put_bucket_notification_configuration(
        Bucket=unique,
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [{"LambdaFunctionArn": function_arn, "Events": ["s3:ObjectCreated:*"]}]
        },
    )
    versions = [s3.put_object(Bucket=unique, Key="report.csv", Body=body)["VersionId"] for body in (b"1", b"2")]
    # S3 invokes Lambda asynchronously: the events may arrive in any order, and the sequencer orders them
    records = sorted((received()["Records"][0] for _ in versions), key=lambda r: r["s3"]["object"]["sequencer"])
    assert [r["s3"]["object"]["versionId"] for r in records] == versions, "a later event has a larger sequencer"
    assert records[0]["userIdentity"]["principalId"] and records[0]["s3"]["bucket"]["ownerIdentity"]["principalId"]
    assert set(records[0]["responseElements"]) == {"x-amz-request-id", "x-amz-id-2"}
