"""SQS event source mappings behave like Lambda's poller (batching, partial failures, redrive, cap, FIFO)."""

from __future__ import annotations

import json
import time

import pytest

from conftest import make_role
from harness import drain_queue, expire_sqs_deduplication

pytestmark = pytest.mark.localcloud

# Records every delivery (one item per record) in a table; a body containing "poison"
# is reported as failed; "crash" fails the whole invocation; "slow" sleeps half a second.
RECORDER = """
import json, os, time, uuid, boto3
ddb = boto3.client("dynamodb")
def handler(event, context):
    invocation, started = str(uuid.uuid4()), time.time()
    failures = []
    for record in event["Records"]:
        if "crash" in record["body"]:
            raise RuntimeError("crash")
        if "slow" in record["body"]:
            time.sleep(0.5)
        if "poison" in record["body"]:
            failures.append({"itemIdentifier": record["messageId"]})
    for record in event["Records"]:
        ddb.put_item(TableName=os.environ["TABLE"], Item={
            "pk": {"S": record["messageId"] + ":" + record["attributes"]["ApproximateReceiveCount"]},
            "body": {"S": record["body"]}, "invocation": {"S": invocation},
            "size": {"N": str(len(event["Records"]))},
            "start": {"N": repr(started)}, "end": {"N": repr(time.time())},
            "group": {"S": record["attributes"].get("MessageGroupId", "")},
            "seq": {"S": record["attributes"].get("SequenceNumber", "")}})
    return {"batchItemFailures": failures}
"""


@pytest.fixture
def recorder(aws, make_function, unique):
    ddb = aws("dynamodb")
    ddb.create_table(
        TableName=unique,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )
    # At most the shortest visibility timeout below: Lambda refuses a mapping whose queue times out first.
    name = make_function(RECORDER, Environment={"Variables": {"TABLE": unique}}, Timeout=3)

    def deliveries() -> list[dict]:
        items = ddb.scan(TableName=unique)["Items"]
        return [{k: list(v.values())[0] for k, v in item.items()} for item in items]

    return name, deliveries


# Visibility timeouts stay above a cold start on a loaded machine: a batch still running when its
# messages become visible again is (correctly) delivered twice, which these tests do not expect.
def make_queue(aws, name: str, *, visibility: int = 5, max_receives: int | None = None, fifo: bool = False):
    sqs = aws("sqs")
    attributes = {"VisibilityTimeout": str(visibility)}
    dlq_url = None
    if fifo:
        attributes.update({"FifoQueue": "true", "ContentBasedDeduplication": "true"})
    if max_receives:
        dlq_url = sqs.create_queue(
            QueueName=f"{name}-dlq" + (".fifo" if fifo else ""), Attributes={"FifoQueue": "true"} if fifo else {}
        )["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        attributes["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receives})
    url = sqs.create_queue(QueueName=name + (".fifo" if fifo else ""), Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn, dlq_url


def wait_until(condition, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    return condition()


def test_messages_queued_before_the_mapping_are_consumed_in_one_batch_within_the_window(aws, recorder, unique):
    function, deliveries = recorder
    url, arn, _ = make_queue(aws, unique)
    aws("sqs").send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": f"m{i}"} for i in range(5)])
    aws("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName=function, BatchSize=10, MaximumBatchingWindowInSeconds=1
    )
    seen = wait_until(lambda: len(deliveries()) == 5 and deliveries())
    assert seen, deliveries()
    assert {d["invocation"] for d in seen} == {seen[0]["invocation"]}, "one invocation for the whole batch"
    assert wait_until(
        lambda: (
            aws("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"][
                "ApproximateNumberOfMessagesNotVisible"
            ]
            == "0"
        )
    )


def test_partial_batch_failure_retries_only_the_failed_item_then_dead_letters_it(aws, recorder, unique):
    function, deliveries = recorder
    url, arn, dlq = make_queue(aws, unique, visibility=3, max_receives=2)
    aws("lambda").create_event_source_mapping(
        EventSourceArn=arn,
        FunctionName=function,
        BatchSize=10,
        MaximumBatchingWindowInSeconds=1,
        FunctionResponseTypes=["ReportBatchItemFailures"],
    )
    aws("sqs").send_message_batch(
        QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "good"}, {"Id": "2", "MessageBody": "poison"}]
    )
    dead = wait_until(lambda: aws("sqs").receive_message(QueueUrl=dlq).get("Messages"), timeout=40)
    assert dead and dead[0]["Body"] == "poison"
    bodies = sorted(d["body"] for d in deliveries())
    assert bodies == ["good", "poison", "poison"], "good once; poison on each of its 2 receives"


def test_failed_invocation_is_retried_after_the_visibility_timeout(aws, recorder, unique):
    function, deliveries = recorder
    url, arn, dlq = make_queue(aws, unique, visibility=3, max_receives=3)
    aws("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName=function, BatchSize=1)
    aws("sqs").send_message(QueueUrl=url, MessageBody="crash")
    dead = wait_until(lambda: aws("sqs").receive_message(QueueUrl=dlq).get("Messages"), timeout=40)
    assert dead and dead[0]["Body"] == "crash"
    # the function ran (and failed) three times: three START lines in its log
    group = f"/aws/lambda/{function}"
    starts = [
        e for e in aws("logs").filter_log_events(logGroupName=group)["events"] if e["message"].startswith("START")
    ]
    assert len(starts) == 3


def test_maximum_concurrency_caps_batches_in_flight(aws, recorder, unique):
    function, deliveries = recorder
    url, arn, _ = make_queue(aws, unique, visibility=30)
    for chunk in range(2):
        aws("sqs").send_message_batch(
            QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": f"slow {chunk}-{i}"} for i in range(6)]
        )
    aws("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName=function, BatchSize=1, ScalingConfig={"MaximumConcurrency": 2}
    )
    seen = wait_until(lambda: len(deliveries()) == 12 and deliveries(), timeout=30)
    assert seen, len(deliveries())
    events = sorted([(float(d["start"]), 1) for d in seen] + [(float(d["end"]), -1) for d in seen])
    running = peak = 0
    for _, step in events:
        running += step
        peak = max(peak, running)
    assert peak == 2, f"peak concurrency {peak}, cap 2"


def test_fifo_message_groups_are_processed_in_order(aws, recorder, unique):
    function, deliveries = recorder
    url, arn, _ = make_queue(aws, unique, visibility=30, fifo=True)
    sqs = aws("sqs")
    for i in range(6):
        sqs.send_message(QueueUrl=url, MessageBody=f"a{i}", MessageGroupId="A")
        sqs.send_message(QueueUrl=url, MessageBody=f"b{i}", MessageGroupId="B")
    aws("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName=function, BatchSize=2)
    seen = wait_until(lambda: len(deliveries()) == 12 and deliveries())
    assert seen
    for group in ("A", "B"):
        ordered = sorted((d for d in seen if d["group"] == group), key=lambda d: (float(d["start"]), int(d["seq"])))
        assert [d["body"] for d in ordered] == [f"{group.lower()}{i}" for i in range(6)]


def test_a_fifo_group_back_from_flight_is_delivered_again_from_its_first_message(aws, unique):
    url, _, _ = make_queue(aws, unique, fifo=True)
    sqs = aws("sqs")
    for n in range(4):
        sqs.send_message(QueueUrl=url, MessageBody=f"step {n}", MessageGroupId="A")
    taken = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=1)["Messages"]
    assert [m["Body"] for m in taken] == ["step 0", "step 1", "step 2", "step 3"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=taken[0]["ReceiptHandle"])  # step 0 done, 1-3 failed
    assert sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages") is None  # in flight
    time.sleep(1.2)
    again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=30)["Messages"]
    assert [m["Body"] for m in again] == ["step 1", "step 2", "step 3"]


def test_fifo_duplicate_is_dropped_even_after_the_first_was_consumed(aws, unique):
    url, _, _ = make_queue(aws, unique, fifo=True)
    sqs = aws("sqs")
    sqs.send_message(QueueUrl=url, MessageBody="pay 10", MessageGroupId="A", MessageDeduplicationId="order-1")
    first = sqs.receive_message(QueueUrl=url)["Messages"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"])
    # the same id within five minutes, and the same body (content-based id), are both duplicates
    sqs.send_message(QueueUrl=url, MessageBody="pay 10 again", MessageGroupId="A", MessageDeduplicationId="order-1")
    sqs.send_message(QueueUrl=url, MessageBody="pay 10", MessageGroupId="B")
    sqs.send_message(QueueUrl=url, MessageBody="pay 10", MessageGroupId="B")
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    assert [m["Body"] for m in received] == ["pay 10"]


def test_fifo_duplicate_is_accepted_again_once_the_deduplication_window_has_passed(aws, unique, local_cloud):
    url, _, _ = make_queue(aws, unique, fifo=True)
    sqs = aws("sqs")
    first = sqs.send_message(QueueUrl=url, MessageBody="pay 10", MessageGroupId="A", MessageDeduplicationId="order-1")
    assert expire_sqs_deduplication(local_cloud, url) == 1  # five minutes later, as far as SQS remembers
    again = sqs.send_message(QueueUrl=url, MessageBody="pay 10", MessageGroupId="A", MessageDeduplicationId="order-1")
    assert again["MessageId"] != first["MessageId"]
    received = drain_queue(sqs, url, wait_s=5, expect=2)
    assert [m["MessageId"] for m in received] == [first["MessageId"], again["MessageId"]]
    assert expire_sqs_deduplication(local_cloud, url) == 1, "the second send was remembered anew"


def test_fifo_deduplication_scope_message_group_keeps_equal_ids_of_other_groups(aws, unique):
    sqs = aws("sqs")
    url = sqs.create_queue(
        QueueName=f"{unique}.fifo",
        Attributes={
            "FifoQueue": "true",
            "DeduplicationScope": "messageGroup",
            "FifoThroughputLimit": "perMessageGroupId",
        },
    )["QueueUrl"]
    for group in ("A", "B", "A"):
        sqs.send_message(QueueUrl=url, MessageBody=group, MessageGroupId=group, MessageDeduplicationId="same")
    bodies = sorted(m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"])
    assert bodies == ["A", "B"]


def test_disabled_mapping_consumes_nothing_until_enabled(aws, recorder, unique):
    function, deliveries = recorder
    url, arn, _ = make_queue(aws, unique)
    mapping = aws("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName=function, Enabled=False)
    aws("sqs").send_message(QueueUrl=url, MessageBody="waiting")
    time.sleep(1.5)
    assert deliveries() == []
    aws("lambda").update_event_source_mapping(UUID=mapping["UUID"], Enabled=True)
    assert wait_until(lambda: deliveries())


def test_a_role_that_may_not_decrypt_the_queues_key_receives_nothing_until_it_may(aws, make_function, unique):
    """Lambda polls as the function's role: an encrypted queue's consumer needs kms:Decrypt on its key."""
    kms, sqs, lam = aws("kms"), aws("sqs"), aws("lambda")
    key = kms.create_key()["KeyMetadata"]["Arn"]
    url = sqs.create_queue(QueueName=unique, Attributes={"KmsMasterKeyId": key, "VisibilityTimeout": "30"})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    consume = {
        "Effect": "Allow",
        "Resource": arn,
        "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
    }
    role = make_role(aws("iam"), f"{unique}-consumer", consume)
    function = make_function("def handler(e, c):\n    return None\n", Role=role)
    mapping = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=function, BatchSize=1)["UUID"]
    sqs.send_message(QueueUrl=url, MessageBody="sealed")
    deadline = time.monotonic() + 10
    while "PROBLEM" not in (lam.get_event_source_mapping(UUID=mapping).get("LastProcessingResult") or ""):
        assert time.monotonic() < deadline, "the mapping never reported the missing permission"
        time.sleep(0.2)
    assert "kms:Decrypt" in lam.get_event_source_mapping(UUID=mapping)["LastProcessingResult"]
    assert (
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"][
            "ApproximateNumberOfMessages"
        ]
        == "1"
    )
    aws("iam").put_role_policy(
        RoleName=f"{unique}-consumer",
        PolicyName="key",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key}]}
        ),
    )
    deadline = time.monotonic() + 15
    while (
        int(
            sqs.get_queue_attributes(
                QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
            )["Attributes"]["ApproximateNumberOfMessages"]
        )
        > 0
    ):
        assert time.monotonic() < deadline, "the fixed role never consumed the message"
        time.sleep(0.2)
    lam.delete_event_source_mapping(UUID=mapping)
