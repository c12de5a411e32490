"""CloudWatch metric streams are kept as CloudWatch keeps them and deliver the metrics their filters admit to
Firehose as the stream's role."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from botocore.exceptions import ClientError

from conftest import make_role, trust
from harness import http

pytestmark = pytest.mark.localcloud

ACCOUNT = "123456789012"
FIREHOSE_TRUST = trust("firehose.amazonaws.com", {"StringEquals": {"sts:ExternalId": ACCOUNT}})
STREAMS_TRUST = trust("streams.metrics.cloudwatch.amazonaws.com", {"StringEquals": {"aws:SourceAccount": ACCOUNT}})


def firehose_to_bucket(aws, name: str) -> str:
    aws("s3").create_bucket(Bucket=name)
    writer = make_role(
        aws("iam"),
        f"{name}-writer",
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{name}/*"},
        trust=FIREHOSE_TRUST,
    )
    return aws("firehose").create_delivery_stream(
        DeliveryStreamName=name,
        DeliveryStreamType="DirectPut",
        ExtendedS3DestinationConfiguration={
            "RoleARN": writer,
            "BucketARN": f"arn:aws:s3:::{name}",
            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 1},
        },
    )["DeliveryStreamARN"]


def delivered_lines(aws, bucket: str, timeout: float = 15) -> list[dict]:
    s3, deadline = aws("s3"), time.monotonic() + timeout
    while time.monotonic() < deadline:
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
        if keys:
            text = b"".join(s3.get_object(Bucket=bucket, Key=k)["Body"].read() for k in keys).decode()
            return [json.loads(line) for line in text.splitlines() if line]
        time.sleep(0.3)
    return []


def stream_role(aws, unique: str, firehose: str) -> str:
    return make_role(
        aws("iam"),
        f"{unique}-stream",
        {"Effect": "Allow", "Action": ["firehose:PutRecord", "firehose:PutRecordBatch"], "Resource": firehose},
        trust=STREAMS_TRUST,
    )


def put_now(cloudwatch, unique: str, metric: str) -> None:
    cloudwatch.put_metric_data(Namespace=f"Acme/{unique}", MetricData=[{"MetricName": metric, "Value": 1.0}])


def flush(local_cloud) -> int:
    answer = http("POST", f"{local_cloud.endpoint}/_localcloud/cloudwatch/flush-metric-streams", b"{}")
    assert answer.status == 200, answer.text
    return int(answer.json()["delivered"])


def test_a_metric_stream_delivers_the_metrics_its_filters_admit_to_firehose_as_its_role(aws, local_cloud, unique):
    firehose = firehose_to_bucket(aws, unique)
    role = stream_role(aws, unique, firehose)
    cloudwatch = aws("cloudwatch")
    arn = cloudwatch.put_metric_stream(
        Name=unique,
        FirehoseArn=firehose,
        RoleArn=role,
        OutputFormat="json",
        IncludeFilters=[{"Namespace": f"Acme/{unique}", "MetricNames": ["OrdersPlaced"]}],
        Tags=[{"Key": "team", "Value": "data"}],
    )["Arn"]
    assert cloudwatch.get_metric_stream(Name=unique)["State"] == "running"
    assert cloudwatch.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "data"}]

    now = datetime.now(UTC)
    cloudwatch.put_metric_data(
        Namespace=f"Acme/{unique}",
        MetricData=[
            {
                "MetricName": "OrdersPlaced",
                "Value": value,
                "Unit": "Count",
                "Timestamp": now,
                "Dimensions": [{"Name": "Shop", "Value": "north"}],
            }
            for value in (2.0, 5.0)
        ]
        + [{"MetricName": "PageViews", "Value": 100.0, "Unit": "Count", "Timestamp": now}],  # not in the filter
    )
    assert flush(local_cloud) >= 1

    [line] = [line for line in delivered_lines(aws, unique) if line["metric_stream_name"] == unique]
    assert (line["namespace"], line["metric_name"], line["dimensions"], line["unit"]) == (
        f"Acme/{unique}",
        "OrdersPlaced",
        {"Shop": "north"},
        "Count",
    )
    assert line["value"] == {"max": 5.0, "min": 2.0, "sum": 7.0, "count": 2.0}
    assert line["timestamp"] == int(now.replace(second=0, microsecond=0).timestamp() * 1000)


def test_a_stopped_stream_sends_nothing_until_started_and_a_role_it_cannot_assume_delivers_nothing(
    aws, local_cloud, unique
):
    firehose = firehose_to_bucket(aws, unique)
    cloudwatch = aws("cloudwatch")
    cloudwatch.put_metric_stream(
        Name=unique,
        FirehoseArn=firehose,
        RoleArn=stream_role(aws, unique, firehose),
        OutputFormat="json",
        IncludeFilters=[{"Namespace": f"Acme/{unique}"}],
    )
    cloudwatch.stop_metric_streams(Names=[unique])
    assert cloudwatch.get_metric_stream(Name=unique)["State"] == "stopped"
    put_now(cloudwatch, unique, "WhileStopped")
    flush(local_cloud)
    assert delivered_lines(aws, unique, timeout=3) == []

    cloudwatch.start_metric_streams(Names=[unique])
    put_now(cloudwatch, unique, "WhileRunning")
    flush(local_cloud)
    assert [line["metric_name"] for line in delivered_lines(aws, unique)] == ["WhileRunning"]

    untrusting = make_role(aws("iam"), f"{unique}-lambda", {"Effect": "Allow", "Action": "firehose:*", "Resource": "*"})
    cloudwatch.put_metric_stream(
        Name=unique,
        FirehoseArn=firehose,
        RoleArn=untrusting,
        OutputFormat="json",
        IncludeFilters=[{"Namespace": f"Acme/{unique}"}],
    )  # an update: the role now trusts Lambda, not metric streams
    put_now(cloudwatch, unique, "Untrusted")
    flush(local_cloud)
    time.sleep(2)  # Firehose's one-second buffer would have written it by now
    assert "Untrusted" not in [line["metric_name"] for line in delivered_lines(aws, unique, timeout=3)]

    cloudwatch.delete_metric_stream(Name=unique)
    with pytest.raises(ClientError) as gone:
        cloudwatch.get_metric_stream(Name=unique)
    assert gone.value.response["Error"]["Code"] == "ResourceNotFoundException"


@pytest.mark.parametrize(
    "change, code",
    [
        ({"OutputFormat": "csv"}, "InvalidParameterValue"),
        ({"OutputFormat": "opentelemetry1.0"}, "InvalidParameterValue"),
        ({"ExcludeFilters": [{"Namespace": "AWS/EC2"}]}, "InvalidParameterCombination"),
    ],
)
def test_put_metric_stream_refuses_what_cloudwatch_refuses(aws, unique, change, code):
    request = {
        "Name": unique,
        "FirehoseArn": f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/{unique}",
        "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/{unique}",
        "OutputFormat": "json",
        "IncludeFilters": [{"Namespace": "AWS/Lambda"}],
        **change,
    }
    with pytest.raises(ClientError) as refused:
        aws("cloudwatch").put_metric_stream(**request)
    assert refused.value.response["Error"]["Code"] == code
