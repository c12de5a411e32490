"""Firehose through its API: buffering, the Lambda transform, S3 writes as the stream's role, a Kinesis source,
and what Firehose refuses."""

from __future__ import annotations

import base64
import gzip
import json
import re
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import ROOT_TRUST, make_role, trust
from harness import client_as_role

pytestmark = pytest.mark.localcloud

ACCOUNT = "123456789012"
FIREHOSE_TRUST = trust("firehose.amazonaws.com", {"StringEquals": {"sts:ExternalId": ACCOUNT}})

TRANSFORM = """
import base64

def handler(event, context):
    out = []
    for record in event["records"]:
        text = base64.b64decode(record["data"]).decode()
        if text.startswith("drop"):
            out.append({"recordId": record["recordId"], "result": "Dropped"})
        elif text.startswith("bad"):
            out.append({"recordId": record["recordId"], "result": "ProcessingFailed", "data": record["data"]})
        else:
            data = base64.b64encode(text.upper().encode()).decode()
            out.append({"recordId": record["recordId"], "result": "Ok", "data": data})
    return {"records": out}
"""
FAILING = "def handler(event, context):\n    raise RuntimeError('the transform is broken')\n"


def bucket(aws: Any, name: str) -> str:
    aws("s3").create_bucket(Bucket=name)
    return name


def writer_role(aws: Any, name: str, bucket_name: str, *more: dict[str, Any]) -> str:
    statements = [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket_name}/*"}, *more]
    return make_role(aws("iam"), name, *statements, trust=FIREHOSE_TRUST)


def delivery_stream(aws: Any, name: str, role: str, bucket_name: str, **destination: Any) -> str:
    config = {
        "RoleARN": role,
        "BucketARN": f"arn:aws:s3:::{bucket_name}",
        "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 1},
        **destination,
    }
    return aws("firehose").create_delivery_stream(
        DeliveryStreamName=name, DeliveryStreamType="DirectPut", ExtendedS3DestinationConfiguration=config
    )["DeliveryStreamARN"]


def transform(function_arn: str, **parameters: str) -> dict[str, Any]:
    values = {"LambdaArn": function_arn, "BufferIntervalInSeconds": "0", **parameters}
    return {
        "Enabled": True,
        "Processors": [
            {
                "Type": "Lambda",
                "Parameters": [{"ParameterName": k, "ParameterValue": v} for k, v in values.items()],
            }
        ],
    }


def objects(aws: Any, bucket_name: str, prefix: str = "", count: int = 1, timeout: float = 15) -> dict[str, bytes]:
    """The bucket's objects under prefix, once at least `count` are there (or what is there at timeout)."""
    s3 = aws("s3")
    deadline = time.monotonic() + timeout
    while True:
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket_name, Prefix=prefix).get("Contents", [])]
        if len(keys) >= count or time.monotonic() > deadline:
            return {key: s3.get_object(Bucket=bucket_name, Key=key)["Body"].read() for key in keys}
        time.sleep(0.2)


def function_arn(aws: Any, name: str) -> str:
    return aws("lambda").get_function(FunctionName=name)["Configuration"]["FunctionArn"]


def test_records_wait_for_the_interval_then_arrive_concatenated_under_the_default_time_prefix(aws, unique):
    out = bucket(aws, f"{unique}-out")
    delivery_stream(aws, unique, writer_role(aws, f"{unique}-fh", out), out,
                    BufferingHints={"SizeInMBs": 1, "IntervalInSeconds": 3})  # fmt: skip
    firehose = aws("firehose")
    answer = firehose.put_record_batch(DeliveryStreamName=unique, Records=[{"Data": b"one\n"}, {"Data": b"two\n"}])
    assert answer["FailedPutCount"] == 0 and len({r["RecordId"] for r in answer["RequestResponses"]}) == 2
    firehose.put_record(DeliveryStreamName=unique, Record={"Data": b"three\n"})
    time.sleep(1)
    assert objects(aws, out, timeout=0) == {}, "delivered before the buffer's interval"
    delivered = objects(aws, out)
    [(key, body)] = delivered.items()
    now = datetime.now(UTC)
    assert re.fullmatch(rf"{now:%Y/%m/%d}/\d\d/{unique}-1-{now:%Y-%m-%d}-\d\d-\d\d-\d\d-[0-9a-f-]{{36}}", key), key
    assert body == b"one\ntwo\nthree\n"


def test_a_full_buffer_is_delivered_before_its_interval(aws, unique):
    out = bucket(aws, f"{unique}-out")
    delivery_stream(aws, unique, writer_role(aws, f"{unique}-fh", out), out,
                    BufferingHints={"SizeInMBs": 1, "IntervalInSeconds": 900})  # fmt: skip
    chunk = b"x" * 600_000
    aws("firehose").put_record_batch(DeliveryStreamName=unique, Records=[{"Data": chunk}, {"Data": chunk}])
    delivered = objects(aws, out, timeout=10)
    assert sorted(len(body) for body in delivered.values()) == [1_200_000]


def test_the_transform_keeps_drops_and_fails_records_and_failures_land_under_the_error_prefix(
    aws, unique, make_function
):
    out = bucket(aws, f"{unique}-out")
    fn = function_arn(aws, make_function(TRANSFORM))
    role = writer_role(aws, f"{unique}-fh", out, {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": fn})
    delivery_stream(
        aws, unique, role, out,
        Prefix="out/year=!{timestamp:yyyy}/",
        ErrorOutputPrefix="errors/!{firehose:error-output-type}/",
        CompressionFormat="GZIP",
        ProcessingConfiguration=transform(fn),
    )  # fmt: skip
    aws("firehose").put_record_batch(
        DeliveryStreamName=unique, Records=[{"Data": b"keep me;"}, {"Data": b"drop me;"}, {"Data": b"bad one"}]
    )
    [(key, body)] = objects(aws, out, "out/").items()
    assert key.startswith(f"out/year={datetime.now(UTC):%Y}/{unique}-1-") and key.endswith(".gz")
    assert gzip.decompress(body) == b"KEEP ME;"
    [(error_key, error_body)] = objects(aws, out, "errors/").items()
    assert error_key.startswith("errors/processing-failed/") and error_key.endswith(".gz")
    [line] = gzip.decompress(error_body).decode().splitlines()
    failure = json.loads(line)
    assert failure["errorCode"] == "Lambda.ProcessingFailedStatus"
    assert failure["errorMessage"] == "ProcessingFailed status set for record"
    assert base64.b64decode(failure["rawData"]) == b"bad one"
    assert failure["attemptsMade"] == 1 and failure["lambdaARN"] == fn
    assert failure["attemptEndingTimestamp"] >= failure["arrivalTimestamp"]


def test_a_failing_transform_is_retried_then_its_whole_batch_lands_in_the_error_output(aws, unique, make_function):
    out = bucket(aws, f"{unique}-out")
    fn = function_arn(aws, make_function(FAILING))
    role = writer_role(aws, f"{unique}-fh", out, {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": fn})
    delivery_stream(aws, unique, role, out, ProcessingConfiguration=transform(fn, NumberOfRetries="1"))
    aws("firehose").put_record_batch(DeliveryStreamName=unique, Records=[{"Data": b"a"}, {"Data": b"b"}])
    [(key, body)] = objects(aws, out, "processing-failed/").items()
    assert re.match(rf"processing-failed/{datetime.now(UTC):%Y/%m/%d}/\d\d/{unique}-1-", key), key
    failures = [json.loads(line) for line in body.decode().splitlines()]
    assert [base64.b64decode(f["rawData"]) for f in failures] == [b"a", b"b"]
    assert {(f["errorCode"], f["attemptsMade"]) for f in failures} == {("Lambda.FunctionError", 2)}
    assert objects(aws, out, timeout=0).keys() == {key}, "a record of the failed batch was delivered"


def test_a_role_without_invoke_permission_sends_the_batch_to_the_error_output(aws, unique, make_function):
    out = bucket(aws, f"{unique}-out")
    fn = function_arn(aws, make_function(TRANSFORM))
    delivery_stream(aws, unique, writer_role(aws, f"{unique}-fh", out), out,
                    ProcessingConfiguration=transform(fn, NumberOfRetries="0"))  # fmt: skip
    aws("firehose").put_record(DeliveryStreamName=unique, Record={"Data": b"keep"})
    [body] = objects(aws, out, "processing-failed/").values()
    assert json.loads(body)["errorCode"] == "Lambda.InvokeAccessDenied"


def test_a_write_the_role_may_not_make_is_logged_and_retried_until_it_may(aws, unique):
    out = bucket(aws, f"{unique}-out")
    logs = aws("logs")
    logs.create_log_group(logGroupName=f"/aws/kinesisfirehose/{unique}")
    logs.create_log_stream(logGroupName=f"/aws/kinesisfirehose/{unique}", logStreamName="DestinationDelivery")
    may_log = {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}
    role = make_role(aws("iam"), f"{unique}-fh", may_log, trust=FIREHOSE_TRUST)
    logging = {
        "Enabled": True,
        "LogGroupName": f"/aws/kinesisfirehose/{unique}",
        "LogStreamName": "DestinationDelivery",
    }
    delivery_stream(aws, unique, role, out, CloudWatchLoggingOptions=logging)
    aws("firehose").put_record(DeliveryStreamName=unique, Record={"Data": b"kept until written"})
    time.sleep(3)
    assert objects(aws, out, timeout=0) == {}
    events = logs.get_log_events(logGroupName=f"/aws/kinesisfirehose/{unique}", logStreamName="DestinationDelivery")
    logged = [json.loads(e["message"]) for e in events["events"]]
    assert logged and logged[0]["errorCode"] == "S3.AccessDenied" and logged[0]["destination"] == f"arn:aws:s3:::{out}"
    aws("iam").put_role_policy(
        RoleName=f"{unique}-fh",
        PolicyName="write",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{out}/*"}],
            }
        ),
    )
    assert list(objects(aws, out, timeout=40).values()) == [b"kept until written"]


def test_a_kinesis_source_is_read_as_the_role_and_takes_no_direct_puts(aws, unique, make_function):
    out = bucket(aws, f"{unique}-out")
    kinesis = aws("kinesis")
    kinesis.create_stream(StreamName=unique, ShardCount=2)
    stream_arn = kinesis.describe_stream(StreamName=unique)["StreamDescription"]["StreamARN"]
    kinesis.put_record(StreamName=unique, Data=b"before the delivery stream;", PartitionKey="a")
    read = {"Effect": "Allow", "Action": ["kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords"],
            "Resource": stream_arn}  # fmt: skip
    role = writer_role(aws, f"{unique}-fh", out, read)
    aws("firehose").create_delivery_stream(
        DeliveryStreamName=unique,
        DeliveryStreamType="KinesisStreamAsSource",
        KinesisStreamSourceConfiguration={"KinesisStreamARN": stream_arn, "RoleARN": role},
        ExtendedS3DestinationConfiguration={
            "RoleARN": role,
            "BucketARN": f"arn:aws:s3:::{out}",
            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 1},
        },
    )
    for key in "abcdef":
        kinesis.put_record(StreamName=unique, Data=f"{key};".encode(), PartitionKey=key)
    deadline = time.monotonic() + 15
    while len(delivered := b"".join(objects(aws, out, timeout=0).values()).split(b";")) < 7:
        assert time.monotonic() < deadline, f"only {delivered} arrived"
        time.sleep(0.2)
    assert sorted(delivered) == [b"", *[key.encode() for key in "abcdef"]]
    with pytest.raises(ClientError, match="not permitted on KinesisStreamAsSource") as refused:
        aws("firehose").put_record(DeliveryStreamName=unique, Record={"Data": b"direct"})
    assert refused.value.response["Error"]["Code"] == "InvalidArgumentException"


def test_prefixes_firehose_refuses_are_refused_at_creation(aws, unique):
    out = bucket(aws, f"{unique}-out")
    role = writer_role(aws, f"{unique}-fh", out)
    with pytest.raises(ClientError, match="ErrorOutputPrefix cannot be null or empty when Prefix contains") as e:
        delivery_stream(aws, unique, role, out, Prefix="p/!{timestamp:yyyy}/")
    assert e.value.response["Error"]["Code"] == "InvalidArgumentException"
    with pytest.raises(ClientError, match=r"must contain !\{firehose:error-output-type\}"):
        delivery_stream(aws, unique, role, out, Prefix="p/!{timestamp:yyyy}/", ErrorOutputPrefix="e/!{timestamp:yyyy}/")


def test_put_record_batch_refuses_what_firehose_refuses(aws, unique):
    out = bucket(aws, f"{unique}-out")
    delivery_stream(aws, unique, writer_role(aws, f"{unique}-fh", out), out)
    firehose = aws("firehose")
    with pytest.raises(ClientError) as too_many:
        firehose.put_record_batch(DeliveryStreamName=unique, Records=[{"Data": b"x"}] * 501)
    assert too_many.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError, match="less than or equal to 1024000"):
        firehose.put_record(DeliveryStreamName=unique, Record={"Data": b"x" * 1_024_001})
    with pytest.raises(ClientError, match="Records size exceeds 4 MB limit"):
        firehose.put_record_batch(DeliveryStreamName=unique, Records=[{"Data": b"x" * 1_000_000}] * 5)
    with pytest.raises(ClientError) as missing:
        firehose.put_record(DeliveryStreamName=f"{unique}-none", Record={"Data": b"x"})
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_setting_that_is_not_emulated_refuses_the_records_rather_than_losing_them(aws, unique):
    out = bucket(aws, f"{unique}-out")
    delivery_stream(aws, unique, writer_role(aws, f"{unique}-fh", out), out, CompressionFormat="Snappy")
    with pytest.raises(ClientError, match="Snappy compression") as refused:
        aws("firehose").put_record(DeliveryStreamName=unique, Record={"Data": b"x"})
    assert refused.value.response["Error"]["Code"] == "NotImplemented"


def test_a_caller_needs_firehose_put_record_on_the_stream(aws, unique):
    out = bucket(aws, f"{unique}-out")
    arn = delivery_stream(aws, unique, writer_role(aws, f"{unique}-fh", out), out)
    other = make_role(aws("iam"), f"{unique}-other", {"Effect": "Allow", "Action": "firehose:PutRecord",
                      "Resource": f"{arn}-other"}, trust=ROOT_TRUST)  # fmt: skip
    caller = client_as_role(aws("sts"), aws("sts").meta.endpoint_url, other, "firehose")
    with pytest.raises(ClientError) as denied:
        caller.put_record(DeliveryStreamName=unique, Record={"Data": b"x"})
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
    assert f"firehose:PutRecord on resource: {arn}" in denied.value.response["Error"]["Message"]


def test_delivery_publishes_firehose_metrics(aws, unique):
    out = bucket(aws, f"{unique}-out")
    delivery_stream(aws, unique, writer_role(aws, f"{unique}-fh", out), out)
    aws("firehose").put_record_batch(DeliveryStreamName=unique, Records=[{"Data": b"ab"}, {"Data": b"cd"}])
    objects(aws, out)
    cloudwatch = aws("cloudwatch")

    def total(metric: str) -> float:
        points = cloudwatch.get_metric_statistics(
            Namespace="AWS/Firehose",
            MetricName=metric,
            Dimensions=[{"Name": "DeliveryStreamName", "Value": unique}],
            StartTime=datetime.fromtimestamp(time.time() - 600, UTC),
            EndTime=datetime.fromtimestamp(time.time() + 60, UTC),
            Period=60,
            Statistics=["Sum"],
        )["Datapoints"]
        return sum(p["Sum"] for p in points)

    assert (total("IncomingRecords"), total("IncomingBytes"), total("DeliveryToS3.Records")) == (2, 4, 2)


def test_the_transform_gets_firehoses_event_with_the_kinesis_records_metadata(aws, unique, forwarder):
    fn, received = forwarder
    out = bucket(aws, f"{unique}-out")
    kinesis = aws("kinesis")
    kinesis.create_stream(StreamName=unique, ShardCount=1)
    stream_arn = kinesis.describe_stream(StreamName=unique)["StreamDescription"]["StreamARN"]
    read = {"Effect": "Allow", "Action": ["kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords"],
            "Resource": stream_arn}  # fmt: skip
    invoke = {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": fn}
    role = writer_role(aws, f"{unique}-fh", out, read, invoke)
    arn = aws("firehose").create_delivery_stream(
        DeliveryStreamName=unique,
        DeliveryStreamType="KinesisStreamAsSource",
        KinesisStreamSourceConfiguration={"KinesisStreamARN": stream_arn, "RoleARN": role},
        ExtendedS3DestinationConfiguration={
            "RoleARN": role,
            "BucketARN": f"arn:aws:s3:::{out}",
            "ProcessingConfiguration": transform(fn, NumberOfRetries="0"),
        },
    )["DeliveryStreamARN"]
    sequence = kinesis.put_record(StreamName=unique, Data=b"hello", PartitionKey="pk")["SequenceNumber"]
    event = received(timeout=15)
    assert (event["deliveryStreamArn"], event["sourceKinesisStreamArn"], event["region"]) == (
        arn,
        stream_arn,
        "us-east-1",
    )
    [record] = event["records"]
    assert base64.b64decode(record["data"]) == b"hello" and record["recordId"]
    metadata = record["kinesisRecordMetadata"]
    assert (metadata["partitionKey"], metadata["sequenceNumber"], metadata["shardId"]) == (
        "pk",
        sequence,
        "shardId-000000000000",
    )
    assert metadata["approximateArrivalTimestamp"] == record["approximateArrivalTimestamp"]
