"""DynamoDB Streams and Kinesis event source mappings polled as Lambda polls them.

moto pushes a DynamoDB stream's records to a mapping inside the write (once, unfiltered, then empties the
shard, and after the mapping is deleted too), and a Kinesis record to the last mapping of its stream, one
record per invocation. Here writes only append to the shard, and a poller per enabled mapping reads it:

- per shard, in order, `ParallelizationFactor` lanes per shard (a record's lane is chosen by its partition
  key, or its item key for DynamoDB, so one key's records stay in order);
- from the mapping's starting position (`LATEST`, `TRIM_HORIZON`, `AT_TIMESTAMP`), fixed when the mapping is
  created; the checkpoint survives updates and disabling;
- `FilterCriteria` applied before batching (dropped records are passed over);
- batches of up to `BatchSize` (and 6 MB), waiting up to `MaximumBatchingWindowInSeconds` to fill one;
- a batch that fails is retried, in order, until `MaximumRetryAttempts` or `MaximumRecordAgeInSeconds`
  (-1: forever; a throttled invocation does not count), split in two first when
  `BisectBatchOnFunctionError` is set (a split does not use up a retry); with `ReportBatchItemFailures`
  the checkpoint stops before the lowest reported sequence number and the retry starts there;
- a batch given up on goes to the on-failure destination (SQS or SNS, delivered as the function's role)
  as AWS's record (`DDBStreamBatchInfo` / `KinesisBatchInfo`), and the shard moves on;
- tumbling windows (`TumblingWindowInSeconds`): batches hold one window's records, the event carries the
  window and the state the function returned last (an answer without `state` is a failure), and a final
  invocation with `isFinalInvokeForWindow` closes each window once it has ended;
- it reads as the function's execution role: while the role may not read the stream (or decrypt the
  table's customer managed key, through DynamoDB), nothing is delivered and `LastProcessingResult` says why.

Records keep AWS's shapes: DynamoDB (`eventID`, `eventVersion` 1.1, `awsRegion`, `eventSourceARN`,
`ApproximateCreationDateTime` in epoch seconds) and Kinesis (`kinesisSchemaVersion`, base64 `data`,
`approximateArrivalTimestamp`, `eventID` = shard:sequence, `invokeIdentityArn`, 56-digit sequence numbers).
"""

from __future__ import annotations

import threading
from typing import Any

from moto.awslambda import models as lambda_models

from localcloud.core import iam, kms
from localcloud.lambda_.invoke import LambdaService
from localcloud.lambda_.mappings.manager import MappingManager
from localcloud.lambda_.mappings.stream_lanes import Lane
from localcloud.lambda_.mappings.stream_sources import install_writers, source_for


# -- one mapping -----------------------------------------------------------------------------------------
class StreamPoller:
    def __init__(self, esm: Any, service: LambdaService) -> None:
        self.esm = esm
        self.service = service
        self.source = source_for(esm.event_source_arn)
        self.stopped = threading.Event()
        self.lanes: dict[tuple[str, int], Lane] = {}

    def function(self) -> Any:
        parts = self.esm.function_arn.split(":")
        return lambda_models.lambda_backends[parts[4]][parts[3]].get_function(self.esm.function_arn)

    def permission_problem(self) -> str | None:
        try:
            role = iam.poller_identity(str(self.function().role))
        except Exception:
            return None  # the function is gone: the mapping goes with it
        prefix = self.source.action_prefix  # type: ignore[union-attr]
        if not iam.decide(role, f"{prefix}:GetRecords", self.esm.event_source_arn).allowed:
            return (
                f"PROBLEM: Cannot access stream {self.esm.event_source_arn}. Please ensure the role can "
                f"perform the GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions on your "
                f"stream in IAM."
            )
        key = self._table_key()
        if key is not None and not kms.caller_may_use(role, key, "kms:Decrypt", "dynamodb", self.source_region).allowed:
            return f"PROBLEM: The function execution role does not have permissions to call kms:Decrypt on {key.arn}"
        return None

    @property
    def source_region(self) -> str:
        return str(self.esm.event_source_arn.split(":")[3])

    def _table_key(self) -> kms.Key | None:
        """A DynamoDB stream's records are encrypted with its table's key."""
        arn = str(self.esm.event_source_arn)
        if not arn.startswith("arn:aws:dynamodb:") or ":table/" not in arn:
            return None
        parts = arn.split(":")
        return kms.table_key(arn, parts[4], parts[3])

    def refresh(self) -> None:
        """A lane per shard and parallel slot; shards appear when a stream is created or resharded."""
        count = max(1, int(self.esm.parallelization_factor or 1))
        for shard_id in self.source.shard_ids():  # type: ignore[union-attr]
            for index in range(count):
                if (shard_id, index) not in self.lanes:
                    lane = Lane(self, shard_id, index, count)
                    self.lanes[(shard_id, index)] = lane
                    lane.start()

    def stop(self) -> None:
        self.stopped.set()


class StreamMappings(MappingManager):
    """One poller per enabled DynamoDB stream or Kinesis mapping; its lanes follow the stream's shards."""

    kind = "stream"

    def accepts(self, esm: Any) -> bool:
        return source_for(esm.event_source_arn) is not None

    def signature(self, esm: Any) -> tuple:
        return esm.function_arn, esm.parallelization_factor, esm.tumbling_window

    def new_poller(self, esm: Any) -> StreamPoller:
        return StreamPoller(esm, self.service)

    def tick(self, poller: StreamPoller) -> None:
        poller.refresh()


def _install_starting_positions() -> None:
    Backend = lambda_models.LambdaBackend
    create = Backend.create_event_source_mapping

    def create_event_source_mapping(self: Any, spec: dict[str, Any]) -> Any:
        """Fix where each shard starts when the mapping is created, as Lambda does (LATEST is 'now')."""
        esm = create(self, spec)
        source = source_for(esm.event_source_arn)
        if source is not None:
            stamp = spec.get("StartingPositionTimestamp")
            timestamp = float(stamp) if stamp is not None else None
            esm.localcloud_starts = {
                shard: source.start_position(shard, str(esm.starting_position or "TRIM_HORIZON"), timestamp)
                for shard in source.shard_ids()
            }
        return esm

    Backend.create_event_source_mapping = create_event_source_mapping


def install(service: LambdaService) -> StreamMappings:
    install_writers()
    _install_starting_positions()
    manager = StreamMappings(service)
    manager.start()
    return manager
