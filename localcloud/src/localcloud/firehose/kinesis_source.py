"""A delivery stream whose source is a Kinesis data stream reads it as Firehose does: as the source's role,
every shard about once a second, from the moment the delivery stream was created (moto reads nothing).

Reading goes through the server as the role (`kinesis:ListShards`, `GetShardIterator`, `GetRecords`, and the
stream's key when it is encrypted), so a role that may not read sees nothing delivered; the error is retried.
A closed shard's children are read once it is drained. Each record keeps its Kinesis metadata for the
transform event (`kinesisRecordMetadata`).
"""

from __future__ import annotations

import time
import traceback
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from localcloud.core.scheduler import Scheduler
from localcloud.firehose.delivery import Hose, Record

POLL_S = 1.0
RETRY_S = 5.0
METRIC_S = 60.0  # KinesisMillisBehindLatest: one datum a minute (the most behind any shard was), as AWS samples


class RoleRefused(Exception):
    """The source's role cannot be assumed by Firehose."""


class KinesisReader:
    def __init__(self, hose: Hose, scheduler: Scheduler, stream_arn: str, role_arn: str, since: datetime) -> None:
        self.hose, self._scheduler = hose, scheduler
        self.stream_arn, self.role_arn, self._since = stream_arn, role_arn, since
        self._iterators: dict[str, str | None] = {}  # shard id -> next iterator (None: drained and closed)
        self.last_error: str | None = None
        self._behind_ms = 0
        self._published = time.monotonic()
        scheduler.submit(self._poll)

    def _poll(self) -> None:
        if self.hose.stopped:
            return
        # One poll at a time: each schedules the next when it is done, so the iterators need no lock.
        delay = POLL_S
        try:
            self._read()
            self.last_error = None
        except (ClientError, BotoCoreError, RoleRefused) as exc:
            self.last_error, delay = str(exc), RETRY_S
        except Exception as exc:  # an unexpected error must not end the reading: logged, tried again
            self.last_error, delay = repr(exc), RETRY_S
            print(f"firehose: reading {self.stream_arn} failed:\n{traceback.format_exc()}", flush=True)
        self._scheduler.submit(self._poll, delay)

    def _read(self) -> None:
        client = self.hose.client("kinesis", self.role_arn)
        if client is None:
            raise RoleRefused(f"the trust policy of {self.role_arn} does not let Firehose assume it")
        self._discover(client)
        for shard_id, iterator in list(self._iterators.items()):
            if iterator is None:
                continue
            answer = client.get_records(ShardIterator=iterator, Limit=10000)
            self._iterators[shard_id] = answer.get("NextShardIterator")
            self._behind_ms = max(self._behind_ms, int(answer.get("MillisBehindLatest") or 0))
            records = [self._record(shard_id, r) for r in answer.get("Records", [])]
            if records:
                self.hose.accept(records, from_kinesis=True)
        if time.monotonic() - self._published >= METRIC_S:
            self.hose.metric(KinesisMillisBehindLatest=(self._behind_ms, "Milliseconds"))
            self._behind_ms, self._published = 0, time.monotonic()

    def _discover(self, client: Any) -> None:
        """Start reading shards not read yet (the first time: all; later: the children of a closed shard)."""
        shards = client.list_shards(StreamARN=self.stream_arn)["Shards"]
        for shard in shards:
            shard_id = shard["ShardId"]
            if shard_id in self._iterators:
                continue
            parent = shard.get("ParentShardId")
            if parent in self._iterators and self._iterators[parent] is not None:
                continue  # its parent is still being drained
            start = (
                {"ShardIteratorType": "TRIM_HORIZON"}
                if parent in self._iterators
                else {"ShardIteratorType": "AT_TIMESTAMP", "Timestamp": self._since}
            )
            self._iterators[shard_id] = client.get_shard_iterator(StreamARN=self.stream_arn, ShardId=shard_id, **start)[
                "ShardIterator"
            ]

    @staticmethod
    def _record(shard_id: str, record: dict[str, Any]) -> Record:
        arrival = int(record["ApproximateArrivalTimestamp"].timestamp() * 1000)
        return Record(
            record_id=f"{record['SequenceNumber']}{shard_id[-6:]}",
            data=record["Data"],
            arrival_ms=arrival,
            kinesis={
                "shardId": shard_id,
                "partitionKey": record["PartitionKey"],
                "approximateArrivalTimestamp": arrival,
                "sequenceNumber": record["SequenceNumber"],
                "subsequenceNumber": "",
            },
        )
