"""S3 as AWS runs it: notification destinations validated, bucket policies read with their conditions."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from harness import allow_eventbridge_to_send, allow_service_to_invoke, allow_topic_to_send, drain_queue

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


def test_s3_events_reach_the_default_bus_as_s3_sends_them_through_the_rules_transformers(aws, unique):
    s3, events, sqs = aws("s3"), aws("events"), aws("sqs")
    s3.create_bucket(Bucket=unique)
    s3.put_bucket_notification_configuration(Bucket=unique, NotificationConfiguration={"EventBridgeConfiguration": {}})
    queues = {}
    for name in ("whole", "shaped", "other-bus"):
        url = sqs.create_queue(QueueName=f"{unique}-{name}")["QueueUrl"]
        queues[name] = (
            url,
            sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"],
        )
    pattern = json.dumps({"source": ["aws.s3"], "detail": {"bucket": {"name": [unique]}}})
    for name, bus in (("whole", "default"), ("shaped", "default"), ("other-bus", unique)):
        if bus != "default":
            events.create_event_bus(Name=bus)  # S3 sends to the default bus only
        rule = events.put_rule(Name=f"{unique}-{name}", EventBusName=bus, EventPattern=pattern)["RuleArn"]
        allow_eventbridge_to_send(sqs, *queues[name], rule)
    events.put_targets(Rule=f"{unique}-whole", Targets=[{"Id": "q", "Arn": queues["whole"][1]}])
    events.put_targets(
        Rule=f"{unique}-shaped",
        Targets=[
            {
                "Id": "q",
                "Arn": queues["shaped"][1],
                "InputTransformer": {
                    "InputPathsMap": {"key": "$.detail.object.key", "reason": "$.detail.reason"},
                    "InputTemplate": '{"key": "<key>", "why": "<reason>"}',
                },
            }
        ],
    )
    events.put_targets(
        Rule=f"{unique}-other-bus", EventBusName=unique, Targets=[{"Id": "q", "Arn": queues["other-bus"][1]}]
    )

    etag = s3.put_object(Bucket=unique, Key="in/a.csv", Body=b"x,y\n")["ETag"].strip('"')
    s3.delete_object(Bucket=unique, Key="in/a.csv")

    whole = [json.loads(m["Body"]) for m in drain_queue(sqs, queues["whole"][0], wait_s=10, expect=2)]
    created, deleted = sorted(whole, key=lambda e: e["detail-type"])
    assert (created["detail-type"], deleted["detail-type"]) == ("Object Created", "Object Deleted")
    assert created["detail"]["object"] | {"sequencer": None} == {
        "key": "in/a.csv",
        "size": 4,
        "etag": etag,
        "sequencer": None,
    }
    assert (created["detail"]["reason"], deleted["detail"]["reason"]) == ("PutObject", "DeleteObject")
    assert deleted["detail"]["deletion-type"] == "Permanently Deleted"
    assert created["id"] != deleted["id"] and created["detail"]["request-id"] != deleted["detail"]["request-id"]
    assert created["detail"]["object"]["sequencer"] < deleted["detail"]["object"]["sequencer"]
    assert (created["account"], created["resources"]) == ("123456789012", [f"arn:aws:s3:::{unique}"])
    shaped = [json.loads(m["Body"]) for m in drain_queue(sqs, queues["shaped"][0], wait_s=10, expect=2)]
    assert sorted(shaped, key=lambda e: e["why"]) == [
        {"key": "in/a.csv", "why": "DeleteObject"},
        {"key": "in/a.csv", "why": "PutObject"},
    ]
    assert drain_queue(sqs, queues["other-bus"][0], wait_s=2) == []


def test_a_delete_in_a_versioned_bucket_reports_the_delete_marker_it_created(aws, unique):
    s3, events, sqs = aws("s3"), aws("events"), aws("sqs")
    s3.create_bucket(Bucket=unique)
    s3.put_bucket_versioning(Bucket=unique, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_notification_configuration(Bucket=unique, NotificationConfiguration={"EventBridgeConfiguration": {}})
    url = sqs.create_queue(QueueName=unique)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    pattern = {"source": ["aws.s3"], "detail-type": ["Object Deleted"], "detail": {"bucket": {"name": [unique]}}}
    rule = events.put_rule(Name=unique, EventPattern=json.dumps(pattern))["RuleArn"]
    allow_eventbridge_to_send(sqs, url, arn, rule)
    events.put_targets(Rule=unique, Targets=[{"Id": "q", "Arn": arn}])

    s3.put_object(Bucket=unique, Key="kept.csv", Body=b"x")
    marker = s3.delete_object(Bucket=unique, Key="kept.csv")
    assert marker["DeleteMarker"] is True

    [event] = [json.loads(m["Body"]) for m in drain_queue(sqs, url, wait_s=10)]
    assert event["detail"]["deletion-type"] == "Delete Marker Created"
    assert event["detail"]["object"]["version-id"] == marker["VersionId"]
    assert event["detail"]["reason"] == "DeleteObject"
