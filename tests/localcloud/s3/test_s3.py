"""S3 as AWS runs it: notification destinations validated, bucket policies read with their conditions."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from harness import allow_service_to_invoke, allow_topic_to_send, drain_queue

pytestmark = pytest.mark.localcloud


def admit_bucket(service: str, resource: str, bucket: str) -> str:
    action = "SNS:Publish" if service == "sns" else "sqs:SendMessage"
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "s3.amazonaws.com"},
                    "Action": action,
                    "Resource": resource,
                    "Condition": {
                        "ArnLike": {"aws:SourceArn": f"arn:aws:s3:::{bucket}"},
                        "StringEquals": {"aws:SourceAccount": "123456789012"},
                    },
                }
            ],
        }
    )


def notify_topic(s3, bucket: str, topic: str) -> None:
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={"TopicConfigurations": [{"TopicArn": topic, "Events": ["s3:ObjectCreated:*"]}]},
    )


def test_topic_without_a_policy_for_the_bucket_is_refused_then_accepted_and_notified(aws, unique):
    s3, sns, sqs = aws("s3"), aws("sns"), aws("sqs")
    s3.create_bucket(Bucket=unique)
    topic = sns.create_topic(Name=unique)["TopicArn"]
    with pytest.raises(ClientError) as refused:
        notify_topic(s3, unique, topic)
    assert refused.value.response["Error"]["Code"] == "InvalidArgument"
    assert topic in refused.value.response["Error"]["Message"]
    # a policy for another bucket does not do either
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=admit_bucket("sns", topic, "other"))
    with pytest.raises(ClientError, match="Unable to validate"):
        notify_topic(s3, unique, topic)
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=admit_bucket("sns", topic, unique))
    notify_topic(s3, unique, topic)
    queue = sqs.create_queue(QueueName=unique)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    allow_topic_to_send(sqs, queue, queue_arn, topic)
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    s3.put_object(Bucket=unique, Key="in/a b.txt", Body=b"x")
    (message,) = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=2)["Messages"]
    assert json.loads(message["Body"])["Records"][0]["s3"]["object"]["key"] == "in/a+b.txt"


def test_queue_destination_needs_its_policy_too(aws, unique):
    s3, sqs = aws("s3"), aws("sqs")
    s3.create_bucket(Bucket=unique)
    queue = sqs.create_queue(QueueName=unique)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    config = {"QueueConfigurations": [{"QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"]}]}
    with pytest.raises(ClientError, match="Unable to validate"):
        s3.put_bucket_notification_configuration(Bucket=unique, NotificationConfiguration=config)
    sqs.set_queue_attributes(QueueUrl=queue, Attributes={"Policy": admit_bucket("sqs", queue_arn, unique)})
    s3.put_bucket_notification_configuration(Bucket=unique, NotificationConfiguration=config)
    s3.put_object(Bucket=unique, Key="in/c.txt", Body=b"x")
    bodies = [json.loads(m["Body"]) for m in drain_queue(sqs, queue, wait_s=5, expect=2)]
    assert [b.get("Event") for b in bodies if "Records" not in b] == ["s3:TestEvent"], "S3 tests a new destination"
    (record,) = [r for b in bodies for r in b.get("Records", [])]
    assert (record["eventSource"], record["s3"]["object"]["key"]) == ("aws:s3", "in/c.txt")


def test_lambda_destination_needs_an_invoke_permission_for_the_bucket(aws, forwarder, unique):
    function_arn, received = forwarder
    s3 = aws("s3")
    s3.create_bucket(Bucket=unique)
    config = {"LambdaFunctionConfigurations": [{"LambdaFunctionArn": function_arn, "Events": ["s3:ObjectCreated:*"]}]}
    with pytest.raises(ClientError, match="Unable to validate"):
        s3.put_bucket_notification_configuration(Bucket=unique, NotificationConfiguration=config)
    allow_service_to_invoke(aws("lambda"), function_arn, "s3.amazonaws.com", "arn:aws:s3:::another-bucket")
    with pytest.raises(ClientError, match="Unable to validate"):
        s3.put_bucket_notification_configuration(Bucket=unique, NotificationConfiguration=config)
    allow_service_to_invoke(aws("lambda"), function_arn, "s3.amazonaws.com", f"arn:aws:s3:::{unique}")
    s3.put_bucket_notification_configuration(Bucket=unique, NotificationConfiguration=config)
    s3.put_object(Bucket=unique, Key="a.txt", Body=b"x")
    assert received()["Records"][0]["s3"]["object"]["key"] == "a.txt"


def test_missing_topic_is_refused(aws, unique):
    aws("s3").create_bucket(Bucket=unique)
    with pytest.raises(ClientError, match="Unable to validate"):
        notify_topic(aws("s3"), unique, f"arn:aws:sns:us-east-1:123456789012:{unique}-nowhere")


def test_bucket_policy_conditions_apply_and_the_local_endpoint_counts_as_tls(aws, unique):
    s3 = aws("s3")
    s3.create_bucket(Bucket=unique)

    def deny(condition: dict) -> None:
        s3.put_bucket_policy(
            Bucket=unique,
            Policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [f"arn:aws:s3:::{unique}", f"arn:aws:s3:::{unique}/*"],
                            "Condition": condition,
                        }
                    ],
                }
            ),
        )

    deny({"Bool": {"aws:SecureTransport": "false"}})
    s3.put_object(Bucket=unique, Key="a.txt", Body=b"over TLS")  # moto alone: 403
    assert s3.get_object(Bucket=unique, Key="a.txt")["Body"].read() == b"over TLS"
    deny({"Bool": {"aws:SecureTransport": "true"}})
    with pytest.raises(ClientError) as refused:
        s3.put_object(Bucket=unique, Key="b.txt", Body=b"x")
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_a_bucket_with_a_delete_marker_can_be_emptied_after_versioning_is_suspended(aws, unique):
    """What Terraform's force_destroy does once the bucket's versioning resource is destroyed."""
    s3 = aws("s3")
    s3.create_bucket(Bucket=unique)
    s3.put_bucket_versioning(Bucket=unique, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=unique, Key="k", Body=b"x")
    s3.delete_object(Bucket=unique, Key="k")
    s3.put_bucket_versioning(Bucket=unique, VersioningConfiguration={"Status": "Suspended"})
    listed = s3.list_object_versions(Bucket=unique)
    versions = [
        {"Key": v["Key"], "VersionId": v["VersionId"]}
        for v in listed.get("Versions", []) + listed.get("DeleteMarkers", [])
    ]
    answer = s3.delete_objects(Bucket=unique, Delete={"Objects": versions})
    assert not answer.get("Errors")
    s3.delete_bucket(Bucket=unique)
