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
- it reads as the function's execution role: while the role may not read the stream, nothing is delivered
  and `LastProcessingResult` says why.

Records keep AWS's shapes: DynamoDB (`eventID`, `eventVersion` 1.1, `awsRegion`, `eventSourceARN`,
`ApproximateCreationDateTime` in epoch seconds) and Kinesis (`kinesisSchemaVersion`, base64 `data`,
`approximateArrivalTimestamp`, `eventID` = shard:sequence, `invokeIdentityArn`, 56-digit sequence numbers).
"""

from __future__ import annotations

import copy
import json
import threading
import time
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from moto.awslambda import models as lambda_models
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import StreamRecord, StreamShard
from moto.kinesis import models as kinesis_models

from .. import event_filter, iam
from ..lambda_runner import Throttled
from .lambda_invoke import LambdaService

SCAN_INTERVAL_S = 0.2
IDLE_WAIT_S = 0.2
MAX_PAYLOAD_BYTES = 6 * 1024 * 1024
RETRY_BASE_S = 0.1
RETRY_CAP_S = 1.6
KINESIS_SEQUENCE_BASE = 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_800

# Writers notify it, idle lanes wait on it: a new record reaches its poller at once.
ACTIVITY = threading.Condition()
_append_lock = threading.Lock()  # moto's shards are not safe for concurrent writers


def _notify() -> None:
    with ACTIVITY:
        ACTIVITY.notify_all()


def _iso(epoch: float) -> str:
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


# -- one lane of one shard ---------------------------------------------------------------------------------
@dataclass
class Window:
    start: float
    end: float
    state: dict[str, Any] = field(default_factory=dict)


class GiveUp(Exception):
    """The mapping was disabled or deleted while a batch was pending: stop without moving the checkpoint."""


class Lane:
    def __init__(self, poller: StreamPoller, shard_id: str, index: int, count: int) -> None:
        self.poller = poller
        self.esm = poller.esm
        self.shard_id = shard_id
        self.index, self.count = index, count
        self.window: Window | None = None
        self._pending_since: float | None = None
        self._thread = threading.Thread(
            target=self._run, daemon=True, name=f"stream-poller-{self.esm.uuid[:8]}-{shard_id[-6:]}-{index}"
        )

    # The checkpoint lives on the mapping, so it outlives pollers (updates, disable/enable).
    @property
    def checkpoint(self) -> int:
        cursors = self.esm.__dict__.setdefault("localcloud_cursors", {})
        key = (self.shard_id, self.count, self.index)
        if key not in cursors:
            # A new lane (a new shard, or another parallelization factor): the shard's earliest checkpoint.
            known = [v for (shard, _, _), v in cursors.items() if shard == self.shard_id]
            starts = self.esm.__dict__.setdefault("localcloud_starts", {})
            cursors[key] = min(known) if known else starts.get(self.shard_id, 0)
        return cursors[key]

    @checkpoint.setter
    def checkpoint(self, sequence: int) -> None:
        self.esm.__dict__.setdefault("localcloud_cursors", {})[(self.shard_id, self.count, self.index)] = sequence

    def start(self) -> None:
        self._thread.start()

    def _mine(self, record: Record) -> bool:
        return self.count == 1 or zlib.crc32(record.partition.encode()) % self.count == self.index

    def _wait(self, seconds: float = IDLE_WAIT_S) -> None:
        with ACTIVITY:
            ACTIVITY.wait(seconds)

    def _run(self) -> None:
        while not self.poller.stopped.is_set():
            try:
                self._step()
            except GiveUp:
                return
            except Exception as exc:  # keep polling: a bad moment must not kill the mapping
                print(f"stream poller {self.esm.uuid}/{self.shard_id}: {exc!r}", flush=True)
                self._wait(1.0)

    def _step(self) -> None:
        problem = self.poller.permission_problem()
        if problem is not None:
            self.esm.localcloud_last_processing_result = problem
            self._wait()
            return
        records = [r for r in self.poller.source.records_after(self.shard_id, self.checkpoint) if self._mine(r)]
        if (
            self.window is not None
            and time.time() >= self.window.end
            and (not records or self._window_of(records[0]) != self.window.start)
        ):
            self._close_window()
            return
        if not records:
            self._pending_since = None
            self._wait()
            return
        patterns = event_filter.parse(self.esm.filter_criteria)
        kept = [r for r in records if event_filter.matches(patterns, r.view)]
        if not kept:
            self.checkpoint = records[-1].sequence
            return
        batch = self._batch(kept)
        window_s = float(self.esm.max_batch_window or 0)
        if self._pending_since is None:
            self._pending_since = time.monotonic()
        full = len(batch) < len(kept) or len(batch) >= int(self.esm.batch_size or 100)
        if not full and time.monotonic() - self._pending_since < window_s:
            self._wait(min(IDLE_WAIT_S, window_s))
            return
        self._pending_since = None
        self._process(batch)
        self.checkpoint = batch[-1].sequence

    def _batch(self, kept: list[Record]) -> list[Record]:
        """Up to BatchSize records within 6 MB, and within one tumbling window."""
        limit = int(self.esm.batch_size or 100)
        batch: list[Record] = []
        size = 0
        for record in kept:
            if len(batch) >= limit or (batch and size + record.size > MAX_PAYLOAD_BYTES):
                break
            if self._tumbling() and batch and self._window_of(record) != self._window_of(batch[0]):
                break
            batch.append(record)
            size += record.size
        return batch

    # -- tumbling windows --------------------------------------------------------------------------
    def _tumbling(self) -> int:
        return int(self.esm.tumbling_window or 0)

    def _window_of(self, record: Record) -> float:
        seconds = self._tumbling()
        return (record.arrival // seconds) * seconds if seconds else 0.0

    def _close_window(self) -> None:
        """The final invocation of an ended window, retried until it succeeds (AWS pauses the shard)."""
        window = self.window
        assert window is not None
        attempt = 0
        while True:
            outcome = self._invoke([], final=True)
            if outcome.succeeded:
                self.window = None
                return
            attempt += 1
            self._backoff(attempt)

    # -- delivering one batch ----------------------------------------------------------------------
    def _process(self, batch: list[Record]) -> None:
        """Deliver a batch until it succeeds or is given up on; bisected halves are delivered in order."""
        pending = [batch]
        while pending:
            part = pending.pop(0)
            halves = self._deliver(part)
            if halves:
                pending[:0] = halves

    def _deliver(self, part: list[Record]) -> list[list[Record]] | None:
        """Attempts on one part; returns its two halves when it is to be bisected, None when it is done."""
        attempts = 0
        while True:
            max_age = int(self.esm.max_record_age if self.esm.max_record_age is not None else -1)
            if max_age != -1:
                now = time.time()
                expired = part[: next((i for i, r in enumerate(part) if now - r.arrival <= max_age), len(part))]
                if expired:
                    self._discard(expired, "RecordAgeExceeded", attempts, None)
                    part = part[len(expired) :]
                    if not part:
                        return None
            if self._tumbling():
                self._enter_window(part[0])
            outcome = self._invoke(part)
            if outcome.throttled:
                self._backoff(1)
                continue
            if outcome.succeeded:
                if self._tumbling():
                    self.window.state = outcome.state  # type: ignore[union-attr]
                return None
            attempts += 1
            if outcome.failed_from is not None:
                done = [r for r in part if r.sequence < outcome.failed_from]
                part = part[len(done) :]
                if done:
                    self.checkpoint = done[-1].sequence
            if self.esm.bisect_on_error and len(part) > 1:
                middle = len(part) // 2
                return [part[:middle], part[middle:]]
            max_retries = int(self.esm.max_retry_attempts if self.esm.max_retry_attempts is not None else -1)
            if max_retries != -1 and attempts > max_retries:
                self._discard(part, "RetryAttemptsExhausted", attempts, outcome)
                return None
            self._backoff(attempts)

    def _enter_window(self, first: Record) -> None:
        start = self._window_of(first)
        if self.window is None or self.window.start != start:
            self.window = Window(start, start + self._tumbling())

    def _backoff(self, attempt: int) -> None:
        if self.poller.stopped.wait(min(RETRY_CAP_S, RETRY_BASE_S * 2 ** max(0, attempt - 1))):
            raise GiveUp

    def _invoke(self, part: list[Record], *, final: bool = False) -> Outcome:
        if self.poller.stopped.is_set():
            raise GiveUp
        fn = self.poller.function()
        extras = self.poller.source.lambda_record_extras(str(fn.role))
        event: dict[str, Any] = {"Records": [{**r.event_record, **extras} for r in part]}
        if self._tumbling() and self.window is not None:
            event.update(
                {
                    "window": {"start": _iso(self.window.start), "end": _iso(self.window.end)},
                    "state": self.window.state,
                    "shardId": self.shard_id,
                    "eventSourceARN": self.esm.event_source_arn,
                    "isFinalInvokeForWindow": final,
                    "isWindowTerminatedEarly": False,
                }
            )
        try:
            invocation = self.poller.service.run(fn, json.dumps(event))
        except Throttled:
            return Outcome(throttled=True)
        if invocation.error_type is not None:
            self.esm.localcloud_last_processing_result = "PROBLEM: Function call failed"
            return Outcome(function_error=True)
        self.esm.localcloud_last_processing_result = "OK"
        try:
            answer = json.loads(invocation.payload) if invocation.payload else None
        except ValueError:
            answer = None
        outcome = Outcome()
        if self._tumbling():
            if not isinstance(answer, dict) or not isinstance(answer.get("state"), dict):
                return Outcome(function_error=True)  # Lambda treats an answer without state as a failure
            outcome.state = answer["state"]
        if "ReportBatchItemFailures" in (self.esm.function_response_types or []) and part:
            outcome.failed_from = _lowest_failure(answer, part)
        return outcome

    def _discard(self, part: list[Record], condition: str, attempts: int, outcome: Outcome | None) -> None:
        """Give up on records: AWS's record to the on-failure destination, then the shard moves on."""
        self.checkpoint = part[-1].sequence
        destination = ((self.esm.destination_config or {}).get("OnFailure") or {}).get("Destination")
        fn = self.poller.function()
        if not destination:
            print(
                f"stream poller {self.esm.uuid}: {len(part)} records of {self.shard_id} dropped after "
                f"{condition} (no on-failure destination)",
                flush=True,
            )
            return
        record: dict[str, Any] = {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": fn.function_arn,
                "condition": condition,
                "approximateInvokeCount": attempts,
            },
            "version": "1.0",
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            self.poller.source.batch_info_key: {
                "shardId": self.shard_id,
                "startSequenceNumber": str(part[0].sequence),
                "endSequenceNumber": str(part[-1].sequence),
                "approximateArrivalOfFirstRecord": _iso(part[0].arrival),
                "approximateArrivalOfLastRecord": _iso(part[-1].arrival),
                "batchSize": len(part),
                "streamArn": self.esm.event_source_arn,
            },
        }
        if outcome is not None:
            context: dict[str, Any] = {"statusCode": 200, "executedVersion": str(fn.version)}
            if outcome.function_error:
                context["functionError"] = "Unhandled"
            record["responseContext"] = context
        self.poller.service._deliver(fn, destination, record)


@dataclass
class Outcome:
    throttled: bool = False
    function_error: bool = False
    failed_from: int | None = None  # the lowest sequence number the function reported as failed
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return not self.throttled and not self.function_error and self.failed_from is None


def _lowest_failure(answer: Any, part: list[Record]) -> int | None:
    """The lowest reported sequence number; the whole batch when the report names a record not in it."""
    if not isinstance(answer, dict) or not answer.get("batchItemFailures"):
        return None
    sequences = {str(r.sequence) for r in part}
    failed = []
    for item in answer["batchItemFailures"]:
        identifier = item.get("itemIdentifier") if isinstance(item, dict) else None
        if identifier not in sequences:
            return part[0].sequence  # AWS treats an unknown or empty identifier as a failed batch
        failed.append(int(identifier))
    return min(failed)


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
        return None

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


class StreamPollerManager:
    """Keeps one poller per enabled stream mapping, following creates, updates and deletes."""

    def __init__(self, service: LambdaService) -> None:
        self.service = service
        self.pollers: dict[str, tuple[StreamPoller, tuple]] = {}
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="stream-poller-manager")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        for poller, _ in self.pollers.values():
            poller.stop()

    @staticmethod
    def _mappings() -> dict[str, Any]:
        found = {}
        for regions in list(lambda_models.lambda_backends.values()):
            for backend in list(regions.values()):
                for esm in list(backend._event_source_mappings.values()):
                    if source_for(esm.event_source_arn) is not None and esm.enabled:
                        found[esm.uuid] = esm
        return found

    def _run(self) -> None:
        while not self._stopped.wait(SCAN_INTERVAL_S):
            try:
                mappings = self._mappings()
                for uuid_, (poller, signature) in list(self.pollers.items()):
                    esm = mappings.get(uuid_)
                    if esm is None or _signature(esm) != signature:
                        poller.stop()
                        del self.pollers[uuid_]
                for uuid_, esm in mappings.items():
                    if uuid_ not in self.pollers:
                        self.pollers[uuid_] = (StreamPoller(esm, self.service), _signature(esm))
                    self.pollers[uuid_][0].refresh()
            except Exception as exc:
                print(f"stream poller manager: {exc!r}", flush=True)


def _signature(esm: Any) -> tuple:
    """What, when updated, needs new lanes (the rest is read per batch)."""
    return esm.function_arn, esm.parallelization_factor, esm.tumbling_window


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


def install(service: LambdaService) -> StreamPollerManager:
    _install_dynamodb_shard()
    _install_kinesis_shard()
    _install_starting_positions()
    manager = StreamPollerManager(service)
    manager.start()
    return manager
