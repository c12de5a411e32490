"""The streams a mapping reads: DynamoDB stream shards and Kinesis shards, written and read as AWS keeps them.

moto pushed a DynamoDB stream's records to a mapping inside the write and then emptied the shard, and kept
Kinesis records without AWS's sequence numbers. Here writes only append (under one lock: moto's shards are
not safe for concurrent writers) and wake the pollers; each source reads a shard from a position, as
`GetShardIterator` and `GetRecords` do, in AWS's record shapes (DynamoDB: `eventID`, `eventVersion` 1.1,
`awsRegion`, `eventSourceARN`, `ApproximateCreationDateTime` in epoch seconds; Kinesis:
`kinesisSchemaVersion`, base64 `data`, `approximateArrivalTimestamp`, `eventID` = shard:sequence, 56-digit
sequence numbers).
"""

from __future__ import annotations

import copy
import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import StreamRecord, StreamShard
from moto.kinesis import models as kinesis_models

from localcloud.lambda_ import event_filter

KINESIS_SEQUENCE_BASE = 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_800

# Writers notify it, idle lanes wait on it: a new record reaches its poller at once.
ACTIVITY = threading.Condition()
_append_lock = threading.Lock()  # moto's shards are not safe for concurrent writers


def _notify() -> None:
    with ACTIVITY:
        ACTIVITY.notify_all()


def iso_utc(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Record:
    sequence: int
    arrival: float  # epoch seconds
    partition: str  # the key that picks the record's lane
    event_record: dict[str, Any]  # as the function receives it
    view: dict[str, Any]  # what filters are matched against
    size: int


# -- sources ---------------------------------------------------------------------------------------------
class DynamoDBStream:
    batch_info_key = "DDBStreamBatchInfo"
    action_prefix = "dynamodb"

    def __init__(self, arn: str) -> None:
        self.arn = arn
        parts = arn.split(":", 5)  # the stream label holds colons
        self.region, self.account = parts[3], parts[4]
        _, self.table_name, _, self.label = parts[5].split("/", 3)

    def _shard(self) -> StreamShard | None:
        try:
            table = dynamodb_backends[self.account][self.region].get_table(self.table_name)
        except Exception:
            return None  # the table is gone
        if table.stream_shard is None or table.latest_stream_label != self.label:
            return None  # the stream was disabled, or replaced by a new one (a new ARN)
        return table.stream_shard

    def shard_ids(self) -> list[str]:
        shard = self._shard()
        return [shard.id] if shard is not None else []

    def records_after(self, shard_id: str, sequence: int) -> list[Record]:
        shard = self._shard()
        if shard is None or shard.id != shard_id:
            return []
        start = max(0, sequence - shard.starting_sequence_number + 1)
        return [self._record(item) for item in shard.items[start:]]

    def start_position(self, shard_id: str, position: str, timestamp: float | None) -> int:
        shard = self._shard()
        if shard is None:
            return 0
        before_first = shard.starting_sequence_number - 1
        if position == "LATEST":
            return before_first + len(shard.items)
        if position == "AT_TIMESTAMP" and timestamp is not None:
            earlier = [item for item in shard.items if _arrival(item) < timestamp]
            return before_first + len(earlier)
        return before_first

    def _record(self, item: StreamRecord) -> Record:
        record = copy.deepcopy(item.record)
        record.update({"eventVersion": "1.1", "awsRegion": self.region, "eventSourceARN": self.arn})
        arrival = _arrival(item)
        record["dynamodb"]["ApproximateCreationDateTime"] = int(arrival)
        sequence = int(record["dynamodb"]["SequenceNumber"])
        return Record(
            sequence,
            arrival,
            json.dumps(record["dynamodb"]["Keys"], sort_keys=True),
            record,
            event_filter.dynamodb_view(record),
            len(json.dumps(record)),
        )

    def lambda_record_extras(self, role_arn: str) -> dict[str, Any]:
        return {}


class KinesisStream:
    batch_info_key = "KinesisBatchInfo"
    action_prefix = "kinesis"

    def __init__(self, arn: str) -> None:
        self.arn = arn
        parts = arn.split(":")
        self.region, self.account = parts[3], parts[4]
        self.name = parts[5].split("/", 1)[1]

    def _stream(self) -> Any | None:
        return kinesis_models.kinesis_backends[self.account][self.region].streams.get(self.name)

    def shard_ids(self) -> list[str]:
        stream = self._stream()
        return [shard.shard_id for shard in stream.shards.values()] if stream is not None else []

    def _shard(self, shard_id: str) -> Any | None:
        stream = self._stream()
        if stream is None:
            return None
        return next((s for s in stream.shards.values() if s.shard_id == shard_id), None)

    def records_after(self, shard_id: str, sequence: int) -> list[Record]:
        shard = self._shard(shard_id)
        if shard is None:
            return []
        with _append_lock:
            found = [r for number, r in shard.records.items() if number > sequence]
        return [self._record(shard_id, r) for r in found]

    def start_position(self, shard_id: str, position: str, timestamp: float | None) -> int:
        shard = self._shard(shard_id)
        if shard is None:
            return 0
        with _append_lock:
            numbers = [(number, r.created_at) for number, r in shard.records.items()]
        if position == "LATEST":
            return numbers[-1][0] if numbers else 0
        if position == "AT_TIMESTAMP" and timestamp is not None:
            earlier = [number for number, created in numbers if created < timestamp]
            return earlier[-1] if earlier else 0
        return 0

    def _record(self, shard_id: str, r: Any) -> Record:
        record = {
            "kinesis": {
                "kinesisSchemaVersion": "1.0",
                "partitionKey": r.partition_key,
                "sequenceNumber": str(r.sequence_number),
                "data": r.data,
                "approximateArrivalTimestamp": round(r.created_at, 3),
            },
            "eventSource": "aws:kinesis",
            "eventVersion": "1.0",
            "eventID": f"{shard_id}:{r.sequence_number}",
            "eventName": "aws:kinesis:record",
            "awsRegion": self.region,
            "eventSourceARN": self.arn,
        }
        return Record(
            int(r.sequence_number),
            r.created_at,
            r.partition_key,
            record,
            event_filter.kinesis_view(record),
            len(json.dumps(record)),
        )

    def lambda_record_extras(self, role_arn: str) -> dict[str, Any]:
        return {"invokeIdentityArn": role_arn}


def _arrival(item: StreamRecord) -> float:
    return float(getattr(item, "localcloud_arrival", 0.0) or time.time())


def age_records(stream_arn: str, seconds: float) -> int:
    """Move every record of a stream `seconds` into the past; how many moved. For tests of
    MaximumRecordAgeInSeconds, whose minimum (60 s) a test should not sleep through."""
    source = source_for(stream_arn)
    aged = 0
    with _append_lock:
        if isinstance(source, DynamoDBStream):
            shard = source._shard()
            for item in shard.items if shard is not None else []:
                item.localcloud_arrival = _arrival(item) - seconds
                aged += 1
        elif isinstance(source, KinesisStream):
            stream = source._stream()
            for shard in stream.shards.values() if stream is not None else []:
                for record in shard.records.values():
                    record.created_at -= seconds
                    aged += 1
        else:
            raise ValueError(f"not a DynamoDB or Kinesis stream: {stream_arn}")
    return aged


def source_for(arn: str) -> DynamoDBStream | KinesisStream | None:
    if ":dynamodb:" in arn and "/stream/" in arn:
        return DynamoDBStream(arn)
    if ":kinesis:" in arn and ":stream/" in arn:
        return KinesisStream(arn)
    return None


# -- the writers -----------------------------------------------------------------------------------------
def _install_dynamodb_shard() -> None:
    def add(self: StreamShard, old: Any, new: Any) -> None:
        """Append only (the pollers read); moto pushed to Lambda here and then emptied the shard."""
        view_type = self.table.stream_specification["StreamViewType"]  # type: ignore[index]
        event_name = "INSERT" if old is None else "REMOVE" if new is None else "MODIFY"
        with _append_lock:
            sequence = len(self.items) + self.starting_sequence_number
            record = StreamRecord(self.table, view_type, event_name, old, new, sequence)
            record.localcloud_arrival = time.time()
            record.record["awsRegion"] = self.table.region_name
            self.items.append(record)
        _notify()

    StreamShard.add = add


def _install_kinesis_shard() -> None:
    Shard, Stream = kinesis_models.Shard, kinesis_models.Stream

    def shard_put_record(self: Any, partition_key: str, data: str, explicit_hash_key: str) -> str:
        """AWS's 56-digit sequence numbers, growing per shard; under a lock (moto's is not thread-safe)."""
        with _append_lock:
            last = self.get_max_sequence_number() if self.records else 0
            sequence = max(last + 1, KINESIS_SEQUENCE_BASE + self._shard_id * 10**24 + 1)
            self.records[sequence] = kinesis_models.Record(partition_key, data, sequence, explicit_hash_key)
        return str(sequence)

    def stream_put_record(self: Any, partition_key: str, explicit_hash_key: str, data: str) -> tuple[str, str]:
        shard = self.get_shard_for_key(partition_key, explicit_hash_key)
        sequence = shard.put_record(partition_key, data, explicit_hash_key)
        _notify()
        return sequence, shard.shard_id

    Shard.put_record = shard_put_record
    Stream.put_record = stream_put_record


def install_writers() -> None:
    _install_dynamodb_shard()
    _install_kinesis_shard()
