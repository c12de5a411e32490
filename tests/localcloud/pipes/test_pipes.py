"""EventBridge Pipes with an SQS source poll, filter, enrich, transform and deliver as the pipe's role; what
fails stays on the queue for its redrive policy, and a role that may not read the queue fails the pipe."""

from __future__ import annotations

import json
import time

import pytest
from botocore.exceptions import ClientError

from conftest import make_role, trust
from harness import allow_eventbridge_to_send

pytestmark = pytest.mark.localcloud

PIPES_TRUST = trust("pipes.amazonaws.com", {"StringEquals": {"aws:SourceAccount": "123456789012"}})


def queue(aws, name: str, **attributes: str) -> tuple[str, str]:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def receive_all(aws, url: str, expect: int, timeout: float = 15) -> list[dict]:
    sqs, found = aws("sqs"), []
    deadline = time.monotonic() + timeout
    while len(found) < expect and time.monotonic() < deadline:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        for message in batch:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        found += batch
    return found


def queue_is_empty(aws, url: str) -> bool:
    counts = aws("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return counts["ApproximateNumberOfMessages"] == "0" and counts["ApproximateNumberOfMessagesNotVisible"] == "0"


def source_role(aws, name: str, source_arn: str, *statements: dict) -> str:
    reads = {"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]}
    return make_role(aws("iam"), name, {**reads, "Resource": source_arn}, *statements, trust=PIPES_TRUST)


def test_a_pipe_delivers_each_message_to_its_target_through_the_template_as_its_role(aws, unique):
    source_url, source_arn = queue(aws, f"{unique}-in")
    target_url, target_arn = queue(aws, f"{unique}-out")
    role = source_role(
        aws, unique, source_arn, {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": target_arn}
    )
    aws("pipes").create_pipe(
        Name=unique,
        RoleArn=role,
        Source=source_arn,
        SourceParameters={"SqsQueueParameters": {"BatchSize": 5}},
        Target=target_arn,
        TargetParameters={
            "InputTemplate": '{"order": <$.body.order>, "items": <$.body.items>, "pipe": <aws.pipes.pipe-name>, '
            '"note": "order <$.body.order> of <$.body.items>", "missing": "<$.body.nothing>"}'
        },
    )
    for order in (1, 2):
        aws("sqs").send_message(QueueUrl=source_url, MessageBody=json.dumps({"order": order, "items": ["a", "b"]}))

    delivered = sorted((json.loads(m["Body"]) for m in receive_all(aws, target_url, 2)), key=lambda b: b["order"])
    assert delivered == [
        {"order": n, "items": ["a", "b"], "pipe": unique, "note": f"order {n} of [a,b]", "missing": ""} for n in (1, 2)
    ]
    assert queue_is_empty(aws, source_url), "delivered messages are deleted from the source"


def test_messages_no_filter_matches_are_deleted_and_never_delivered(aws, unique):
    source_url, source_arn = queue(aws, f"{unique}-in")
    target_url, target_arn = queue(aws, f"{unique}-out")
    role = source_role(
        aws, unique, source_arn, {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": target_arn}
    )
    aws("pipes").create_pipe(
        Name=unique,
        RoleArn=role,
        Source=source_arn,
        SourceParameters={"FilterCriteria": {"Filters": [{"Pattern": json.dumps({"body": {"kind": ["order"]}})}]}},
        Target=target_arn,
    )
    for kind in ("noise", "order", "noise"):
        aws("sqs").send_message(QueueUrl=source_url, MessageBody=json.dumps({"kind": kind}))

    [delivered] = receive_all(aws, target_url, 1)
    record = json.loads(delivered["Body"])  # without a template the target gets the SQS record
    assert (json.loads(record["body"]), record["eventSource"], record["eventSourceARN"]) == (
        {"kind": "order"},
        "aws:sqs",
        source_arn,
    )
    assert receive_all(aws, target_url, 1, timeout=3) == []
    assert queue_is_empty(aws, source_url)


ENRICH = """
import json
def handler(event, context):
    return [{"id": r["messageId"], "order": json.loads(r["body"])["order"], "enriched": True} for r in event]
"""

# Reports the event whose order is 13 as failed; forwards the batch it got to a queue.
TARGET = """
import json, os, boto3
sqs = boto3.client("sqs")
def handler(event, context):
    sqs.send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps(event))
    return {"batchItemFailures": [{"itemIdentifier": e["id"]} for e in event if e["order"] == 13]}
"""


def test_a_lambda_enrichment_reshapes_the_batch_and_a_failure_the_target_reports_goes_to_the_redrive(
    aws, make_function, unique
):
    dlq_url, dlq_arn = queue(aws, f"{unique}-dlq")
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})
    source_url, source_arn = queue(aws, f"{unique}-in", VisibilityTimeout="1", RedrivePolicy=redrive)
    out_url, _ = queue(aws, f"{unique}-out")
    lam = aws("lambda")
    enrich = lam.get_function(FunctionName=make_function(ENRICH))["Configuration"]["FunctionArn"]
    target = lam.get_function(FunctionName=make_function(TARGET, Environment={"Variables": {"OUT": out_url}}))
    target_arn = target["Configuration"]["FunctionArn"]
    role = source_role(
        aws,
        unique,
        source_arn,
        {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": [enrich, target_arn]},
    )
    aws("pipes").create_pipe(
        Name=unique,
        RoleArn=role,
        Source=source_arn,
        SourceParameters={"SqsQueueParameters": {"BatchSize": 10}},
        Enrichment=enrich,
        Target=target_arn,
    )
    aws("sqs").send_message_batch(
        QueueUrl=source_url,
        Entries=[{"Id": str(n), "MessageBody": json.dumps({"order": n})} for n in (12, 13)],
    )

    batches = [json.loads(m["Body"]) for m in receive_all(aws, out_url, 1)]
    assert [sorted(e["order"] for e in batch) for batch in batches] == [[12, 13]]
    assert all(e["enriched"] for e in batches[0])
    [kept] = receive_all(aws, dlq_url, 1, timeout=20)
    assert json.loads(kept["Body"]) == {"order": 13}, "only the reported failure is kept"
    assert queue_is_empty(aws, source_url)


def test_a_target_the_role_may_not_reach_leaves_the_batch_to_the_queues_redrive(aws, unique):
    dlq_url, dlq_arn = queue(aws, f"{unique}-dlq")
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2})
    source_url, source_arn = queue(aws, f"{unique}-in", VisibilityTimeout="1", RedrivePolicy=redrive)
    topic = aws("sns").create_topic(Name=unique)["TopicArn"]
    role = source_role(aws, unique, source_arn)  # no sns:Publish
    aws("pipes").create_pipe(Name=unique, RoleArn=role, Source=source_arn, Target=topic)
    aws("sqs").send_message(QueueUrl=source_url, MessageBody="lost?")

    [kept] = receive_all(aws, dlq_url, 1, timeout=20)
    assert kept["Body"] == "lost?"
    failed = aws("cloudwatch").get_metric_statistics(
        Namespace="AWS/EventBridge/Pipes",
        MetricName="TargetStageFailed",
        Dimensions=[{"Name": "PipeName", "Value": unique}],
        StartTime=time.time() - 300,
        EndTime=time.time() + 60,
        Period=60,
        Statistics=["Sum"],
    )["Datapoints"]
    assert sum(p["Sum"] for p in failed) >= 2, "each receive failed at the target"


def test_a_role_that_may_not_read_the_queue_fails_the_pipe_at_creation(aws, unique):
    _, source_arn = queue(aws, f"{unique}-in")
    _, target_arn = queue(aws, f"{unique}-out")
    role = make_role(
        aws("iam"), unique, {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}, trust=PIPES_TRUST
    )
    aws("pipes").create_pipe(Name=unique, RoleArn=role, Source=source_arn, Target=target_arn)
    pipe = aws("pipes").describe_pipe(Name=unique)
    assert pipe["CurrentState"] == "CREATE_FAILED"
    assert pipe["StateReason"].endswith("does not have permissions to call ReceiveMessage on SQS")


def test_a_pipe_to_an_event_bus_puts_each_event_in_the_detail(aws, unique):
    source_url, source_arn = queue(aws, f"{unique}-in")
    out_url, out_arn = queue(aws, f"{unique}-out")
    events = aws("events")
    bus = events.create_event_bus(Name=unique)["EventBusArn"]
    rule = events.put_rule(Name=unique, EventBusName=unique, EventPattern=json.dumps({"source": [f"Pipe {unique}"]}))
    allow_eventbridge_to_send(aws("sqs"), out_url, out_arn, rule["RuleArn"])
    events.put_targets(Rule=unique, EventBusName=unique, Targets=[{"Id": "out", "Arn": out_arn}])
    role = source_role(aws, unique, source_arn, {"Effect": "Allow", "Action": "events:PutEvents", "Resource": bus})
    aws("pipes").create_pipe(Name=unique, RoleArn=role, Source=source_arn, Target=bus)
    aws("sqs").send_message(QueueUrl=source_url, MessageBody=json.dumps({"order": 5}))

    [message] = receive_all(aws, out_url, 1)
    event = json.loads(message["Body"])
    assert (event["source"], event["detail-type"]) == (f"Pipe {unique}", "Event from aws:sqs")
    assert json.loads(event["detail"]["body"]) == {"order": 5}


def kinesis_stream(aws, name: str) -> str:
    kinesis = aws("kinesis")
    kinesis.create_stream(StreamName=name, ShardCount=1)
    return kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]


KINESIS_READS = {
    "Effect": "Allow",
    "Action": ["kinesis:DescribeStream", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"],
}


def test_a_kinesis_pipe_delivers_records_in_order_with_their_data_addressed_in_the_template(aws, unique):
    stream = kinesis_stream(aws, unique)
    out_url, out_arn = queue(aws, f"{unique}-out")
    role = make_role(
        aws("iam"),
        unique,
        {**KINESIS_READS, "Resource": stream},
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": out_arn},
        trust=PIPES_TRUST,
    )
    aws("kinesis").put_record(StreamARN=stream, Data=b'{"order": 0}', PartitionKey="before")  # before: LATEST
    aws("pipes").create_pipe(
        Name=unique,
        RoleArn=role,
        Source=stream,
        SourceParameters={"KinesisStreamParameters": {"StartingPosition": "LATEST", "BatchSize": 10}},
        Target=out_arn,
        TargetParameters={"InputTemplate": '{"order": <$.data.order>, "key": <$.partitionKey>}'},
    )
    for order in (1, 2, 3):
        aws("kinesis").put_record(
            StreamARN=stream, Data=json.dumps({"order": order}).encode(), PartitionKey=f"k{order}"
        )

    delivered = [json.loads(m["Body"]) for m in receive_all(aws, out_url, 3)]
    assert delivered == [{"order": n, "key": f"k{n}"} for n in (1, 2, 3)]


ALWAYS_FAILS = """
def handler(event, context):
    raise RuntimeError("downstream is down")
"""


def test_a_dynamodb_stream_batch_that_keeps_failing_goes_to_the_pipes_dead_letter_queue(aws, make_function, unique):
    dynamodb = aws("dynamodb")
    stream = dynamodb.create_table(
        TableName=unique,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )["TableDescription"]["LatestStreamArn"]
    dlq_url, dlq_arn = queue(aws, f"{unique}-dlq")
    target = aws("lambda").get_function(FunctionName=make_function(ALWAYS_FAILS))["Configuration"]["FunctionArn"]
    role = make_role(
        aws("iam"),
        unique,
        {
            "Effect": "Allow",
            "Action": [
                "dynamodb:DescribeStream",
                "dynamodb:GetRecords",
                "dynamodb:GetShardIterator",
                "dynamodb:ListStreams",
            ],
            "Resource": stream,
        },
        {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": target},
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": dlq_arn},
        trust=PIPES_TRUST,
    )
    aws("pipes").create_pipe(
        Name=unique,
        RoleArn=role,
        Source=stream,
        SourceParameters={
            "DynamoDBStreamParameters": {
                "StartingPosition": "TRIM_HORIZON",
                "MaximumRetryAttempts": 1,
                "DeadLetterConfig": {"Arn": dlq_arn},
            }
        },
        Target=target,
    )
    dynamodb.put_item(TableName=unique, Item={"id": {"S": "a"}})

    [kept] = receive_all(aws, dlq_url, 1, timeout=30)
    description = json.loads(kept["Body"])
    assert description["context"]["condition"] == "RetryAttemptsExhausted"
    assert description["context"]["partnerResourceArn"].endswith(f":pipe/{unique}")
    assert (description["DDBStreamBatchInfo"]["batchSize"], description["DDBStreamBatchInfo"]["streamArn"]) == (
        1,
        stream,
    )


def test_a_role_that_may_not_read_the_stream_fails_the_pipe_at_creation(aws, unique):
    stream = kinesis_stream(aws, unique)
    _, out_arn = queue(aws, f"{unique}-out")
    role = make_role(
        aws("iam"), unique, {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}, trust=PIPES_TRUST
    )
    aws("pipes").create_pipe(
        Name=unique,
        RoleArn=role,
        Source=stream,
        SourceParameters={"KinesisStreamParameters": {"StartingPosition": "LATEST"}},
        Target=out_arn,
    )
    pipe = aws("pipes").describe_pipe(Name=unique)
    assert (pipe["CurrentState"], pipe["StateReason"].rsplit(" call ", 1)[1]) == (
        "CREATE_FAILED",
        "DescribeStream on Kinesis",
    )


# Forwards the batch it got (bodies or Kinesis data, and attributes) to a queue; reports failed the records whose
# order is in FAIL, by the identifier AWS documents (an SQS messageId, a stream record's eventID).
BATCH_TARGET = """
import base64, json, os, boto3
sqs = boto3.client("sqs")
FAIL = json.loads(os.environ.get("FAIL", "[]"))
def handler(event, context):
    seen = []
    for record in event:
        payload = record["body"] if "body" in record else base64.b64decode(record["data"]).decode()
        seen.append({"order": json.loads(payload)["order"], "attributes": record.get("messageAttributes", {})})
    sqs.send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps(seen))
    return {"batchItemFailures": [
        {"itemIdentifier": r.get("messageId") or r["eventID"]} for r, s in zip(event, seen) if s["order"] in FAIL
    ]}
"""


def batch_target(aws, make_function, unique: str, fail: list[int] = ()) -> tuple[str, str]:
    out_url, _ = queue(aws, f"{unique}-out")
    variables = {"OUT": out_url, "FAIL": json.dumps(list(fail))}
    name = make_function(BATCH_TARGET, Environment={"Variables": variables})
    return aws("lambda").get_function(FunctionName=name)["Configuration"]["FunctionArn"], out_url


def test_an_sqs_pipe_gathers_a_batch_for_its_window_and_passes_binary_attributes_as_base64(aws, make_function, unique):
    source_url, source_arn = queue(aws, f"{unique}-in")
    target, out_url = batch_target(aws, make_function, unique)
    role = source_role(
        aws, unique, source_arn, {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": target}
    )
    aws("pipes").create_pipe(
        Name=unique,
        RoleArn=role,
        Source=source_arn,
        SourceParameters={"SqsQueueParameters": {"BatchSize": 10, "MaximumBatchingWindowInSeconds": 3}},
        Target=target,
    )
    sqs = aws("sqs")
    sqs.send_message(
        QueueUrl=source_url,
        MessageBody=json.dumps({"order": 1}),
        MessageAttributes={"blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}},
    )
    time.sleep(1)
    sqs.send_message(QueueUrl=source_url, MessageBody=json.dumps({"order": 2}))

    batches = [json.loads(m["Body"]) for m in receive_all(aws, out_url, 1)]
    assert [sorted(e["order"] for e in batch) for batch in batches] == [[1, 2]], "one batch within the window"
    first = next(e for e in batches[0] if e["order"] == 1)
    assert first["attributes"]["blob"]["binaryValue"] == "AAE="
    assert receive_all(aws, out_url, 1, timeout=2) == []


def test_a_kinesis_pipe_retries_from_the_first_record_the_target_reports_by_event_id_then_dead_letters(
    aws, make_function, unique
):
    stream = kinesis_stream(aws, unique)
    target, out_url = batch_target(aws, make_function, unique, fail=[2])
    dlq_url, dlq_arn = queue(aws, f"{unique}-dlq")
    role = make_role(
        aws("iam"),
        unique,
        {**KINESIS_READS, "Resource": stream},
        {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": target},
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": dlq_arn},
        trust=PIPES_TRUST,
    )
    kinesis = aws("kinesis")
    sequences = [
        kinesis.put_record(StreamARN=stream, Data=json.dumps({"order": n}).encode(), PartitionKey="k")["SequenceNumber"]
        for n in (1, 2, 3)
    ]
    aws("pipes").create_pipe(
        Name=unique,
        RoleArn=role,
        Source=stream,
        SourceParameters={
            "KinesisStreamParameters": {
                "StartingPosition": "TRIM_HORIZON",
                "BatchSize": 10,
                "MaximumRetryAttempts": 1,
                "DeadLetterConfig": {"Arn": dlq_arn},
            }
        },
        Target=target,
    )

    [kept] = receive_all(aws, dlq_url, 1, timeout=30)
    info = json.loads(kept["Body"])["KinesisBatchInfo"]
    assert (info["startSequenceNumber"], info["endSequenceNumber"], info["batchSize"]) == (
        sequences[1],
        sequences[2],
        2,
    )
    batches = [[e["order"] for e in json.loads(m["Body"])] for m in receive_all(aws, out_url, 2)]
    assert batches == [[1, 2, 3], [2, 3]], "the retry starts at the record the target reported"


def test_a_pipe_created_stopped_delivers_nothing_until_it_is_started(aws, unique):
    source_url, source_arn = queue(aws, f"{unique}-in")
    target_url, target_arn = queue(aws, f"{unique}-out")
    role = source_role(
        aws, unique, source_arn, {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": target_arn}
    )
    pipes = aws("pipes")
    pipes.create_pipe(Name=unique, RoleArn=role, Source=source_arn, Target=target_arn, DesiredState="STOPPED")
    assert pipes.describe_pipe(Name=unique)["CurrentState"] == "STOPPED"
    aws("sqs").send_message(QueueUrl=source_url, MessageBody="{}")
    assert receive_all(aws, target_url, 1, timeout=3) == []

    pipes.start_pipe(Name=unique)
    assert len(receive_all(aws, target_url, 1)) == 1


def test_a_filter_pipes_cannot_read_is_refused_at_creation(aws, unique):
    _, source_arn = queue(aws, f"{unique}-in")
    _, target_arn = queue(aws, f"{unique}-out")
    role = source_role(aws, unique, source_arn)
    with pytest.raises(ClientError) as refused:
        aws("pipes").create_pipe(
            Name=unique,
            RoleArn=role,
            Source=source_arn,
            SourceParameters={"FilterCriteria": {"Filters": [{"Pattern": "not json"}]}},
            Target=target_arn,
        )
    assert refused.value.response["Error"]["Code"] == "ValidationException"
