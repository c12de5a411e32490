"""Kinesis Data Streams through the API, where moto needed help."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from conftest import ROOT_TRUST, make_role
from harness import client_as_role

pytestmark = pytest.mark.localcloud


def test_a_shard_iterator_asked_for_by_stream_arn_reads_the_stream(aws, unique):
    kinesis = aws("kinesis")
    kinesis.create_stream(StreamName=unique, ShardCount=1)
    arn = kinesis.describe_stream(StreamName=unique)["StreamDescription"]["StreamARN"]
    kinesis.put_record(StreamARN=arn, Data=b"by arn", PartitionKey="k")
    [shard] = kinesis.list_shards(StreamARN=arn)["Shards"]
    iterator = kinesis.get_shard_iterator(StreamARN=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")
    records = kinesis.get_records(ShardIterator=iterator["ShardIterator"], StreamARN=arn)["Records"]
    assert [r["Data"] for r in records] == [b"by arn"]


def test_get_records_is_authorized_on_the_stream_its_iterator_reads(aws, unique):
    kinesis = aws("kinesis")
    kinesis.create_stream(StreamName=unique, ShardCount=1)
    kinesis.create_stream(StreamName=f"{unique}-other", ShardCount=1)
    arn = kinesis.describe_stream(StreamName=unique)["StreamDescription"]["StreamARN"]
    reader = make_role(aws("iam"), f"{unique}-reader", {"Effect": "Allow", "Action": "kinesis:GetRecords",
                       "Resource": arn}, trust=ROOT_TRUST)  # fmt: skip
    as_reader = client_as_role(aws("sts"), aws("sts").meta.endpoint_url, reader, "kinesis")

    def iterator(stream: str) -> str:
        shard = kinesis.list_shards(StreamName=stream)["Shards"][0]["ShardId"]
        return kinesis.get_shard_iterator(StreamName=stream, ShardId=shard, ShardIteratorType="TRIM_HORIZON")[
            "ShardIterator"
        ]

    assert as_reader.get_records(ShardIterator=iterator(unique))["Records"] == []
    with pytest.raises(ClientError, match=f"kinesis:GetRecords on resource: {arn}-other") as denied:
        as_reader.get_records(ShardIterator=iterator(f"{unique}-other"))
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"


def test_a_stream_keeps_the_tags_it_was_created_with(aws, unique):
    kinesis = aws("kinesis")
    kinesis.create_stream(StreamName=unique, ShardCount=1, Tags={"team": "data", "stack": unique})
    tags = kinesis.list_tags_for_stream(StreamName=unique)["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"team": "data", "stack": unique}
