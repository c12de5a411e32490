"""EventBridge Pipes with a Kinesis or DynamoDB stream source: each shard read in order, as the pipe's role.

A lane per shard reads from the pipe's starting position (fixed when the pipe is created; the checkpoint
lives on the pipe) in batches of `BatchSize` within `MaximumBatchingWindowInSeconds`, filters (what no
filter matches is passed over), enriches and delivers. A batch that fails is tried again, in order, until
`MaximumRetryAttempts` or `MaximumRecordAgeInSeconds` (-1: forever), split in two first with
`OnPartialBatchItemFailure: AUTOMATIC_BISECT`; a Lambda or Step Functions target's `batchItemFailures`
(sequence numbers) move the checkpoint to before the lowest one. A batch given up on goes to the pipe's
`DeadLetterConfig` (an SQS queue or SNS topic, sent as the role) as the batch's description, and the shard
moves on. Kinesis records are passed on flat (`data`, `partitionKey`, `sequenceNumber`, ... beside
`eventSource`), DynamoDB records as Lambda gets them.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from localcloud.lambda_ import event_filter
from localcloud.lambda_.mappings.stream_sources import ACTIVITY, Record, iso_utc, source_for
from localcloud.pipes import stages
from localcloud.sqs.service_delivery import queue_url

IDLE_WAIT_S = 0.2
RETRY_WAIT_S = 0.2


def parameters_of(pipe: Any) -> dict[str, Any]:
    source = pipe.source_parameters or {}
    return dict(source.get("KinesisStreamParameters") or source.get("DynamoDBStreamParameters") or {})


def starting_positions(pipe: Any) -> dict[str, int]:
    """Where each shard starts, fixed when the pipe is created (LATEST is 'now')."""
    source = source_for(str(pipe.source))
    if source is None:
        return {}
    parameters = parameters_of(pipe)
    stamp = parameters.get("StartingPositionTimestamp")
    return {
        shard: source.start_position(shard, str(parameters.get("StartingPosition") or "LATEST"), stamp and float(stamp))
        for shard in source.shard_ids()
    }


def pipe_event(record: Record, role_arn: str) -> dict[str, Any]:
    """A stream record as Pipes passes it on: Kinesis flat, DynamoDB as Lambda gets it."""
    event = dict(record.event_record)
    if "kinesis" in event:
        event = {
            **{k: v for k, v in event.items() if k != "kinesis"},
            **event["kinesis"],
            "invokeIdentityArn": role_arn,
        }
    return event


class StreamPipe:
    def __init__(self, pipe: Any, endpoint_url: str, clients: Any) -> None:
        self.pipe = pipe
        self.endpoint_url = endpoint_url
        self.clients = clients  # () -> stages.Clients | None: the role's session now
        self.source = source_for(str(pipe.source))
        parameters = parameters_of(pipe)
        self.batch_size = int(parameters.get("BatchSize") or 100)
        self.window_s = float(parameters.get("MaximumBatchingWindowInSeconds") or 0)
        self.max_retries = int(parameters.get("MaximumRetryAttempts", -1))
        self.max_age_s = int(parameters.get("MaximumRecordAgeInSeconds", -1))
        self.bisect = parameters.get("OnPartialBatchItemFailure") == "AUTOMATIC_BISECT"
        self.dead_letter = (parameters.get("DeadLetterConfig") or {}).get("Arn")
        self.filters = event_filter.parse((pipe.source_parameters or {}).get("FilterCriteria"))
        self.stopped = threading.Event()
        self.lanes: dict[str, threading.Thread] = {}

    @property
    def cursors(self) -> dict[str, int]:
        return self.pipe.__dict__.setdefault("localcloud_cursors", {})  # type: ignore[no-any-return]

    def start(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """A lane per shard (a resharded stream grows new ones)."""
        for shard_id in self.source.shard_ids() if self.source else []:
            if shard_id not in self.lanes and not self.stopped.is_set():
                lane = threading.Thread(target=self._run, args=(shard_id,), daemon=True, name=f"pipe-{shard_id[-8:]}")
                self.lanes[shard_id] = lane
                lane.start()

    def stop(self) -> None:
        self.stopped.set()

    def _checkpoint(self, shard_id: str) -> int:
        if shard_id not in self.cursors:
            starts = getattr(self.pipe, "localcloud_starts", None) or {}
            self.cursors[shard_id] = starts.get(shard_id, 0)  # a shard born after the pipe starts at its beginning
        return self.cursors[shard_id]

    def _wait(self, seconds: float) -> None:
        with ACTIVITY:
            ACTIVITY.wait(seconds)

    def _advance(self, shard_id: str, sequence: int) -> None:
        """Move the shard's checkpoint, unless this poller was replaced meanwhile (an update restarts the pipe:
        the new poller's lane owns the checkpoint from then on)."""
        if not self.stopped.is_set():
            self.cursors[shard_id] = sequence

    def _run(self, shard_id: str) -> None:
        pending: list[float | None] = [None]
        while not self.stopped.is_set():
            try:
                self._step(shard_id, pending)
            except Exception as exc:  # nothing may end a lane but a stop
                print(f"pipe {self.pipe.name}: {shard_id}: {exc!r}", flush=True)
                self._wait(RETRY_WAIT_S)

    def _step(self, shard_id: str, pending: list[float | None]) -> None:
        """One read of the shard: wait, pass over what no filter matches, or deliver a batch."""
        assert self.source is not None
        records = self.source.records_after(shard_id, self._checkpoint(shard_id))
        if not records:
            pending[0] = None
            self._wait(IDLE_WAIT_S)
            return
        kept = [r for r in records[: self.batch_size * 4] if event_filter.matches(self.filters, r.view)]
        if not kept:  # passed over: what no filter matches never reaches the pipe's stages
            self._advance(shard_id, records[min(len(records), self.batch_size * 4) - 1].sequence)
            return
        if len(kept) < self.batch_size and self.window_s:
            pending[0] = pending[0] or time.monotonic()
            if time.monotonic() - pending[0] < self.window_s:
                self._wait(min(IDLE_WAIT_S, self.window_s))
                return
        pending[0] = None
        self._process(shard_id, kept[: self.batch_size], attempt=1)

    def _try(self, batch: list[Record]) -> tuple[bool, int | None]:
        """(delivered, lowest failed sequence number) for one attempt at a batch."""
        clients = self.clients()
        if clients is None:
            return False, None
        context = stages.Context(self.pipe, str(self.pipe.source))
        events = [pipe_event(r, str(self.pipe.role_arn)) for r in batch]
        # A target names a failed record by its eventID, as AWS documents (its sequence number is taken too).
        sequences = {str(e["eventID"]): r.sequence for e, r in zip(events, batch, strict=True)}
        sequences.update({str(r.sequence): r.sequence for r in batch})
        try:
            enriched = stages.enrich(clients, context, events)
            failed = stages.deliver(clients, context, list(sequences), enriched)
        except stages.StageFailed as exc:
            print(f"pipe {self.pipe.name}: {exc}", flush=True)
            return False, None
        self.pipe.state_reason = None
        if failed:
            return False, min(sequences[f] for f in failed)
        return True, None

    def _process(self, shard_id: str, batch: list[Record], attempt: int) -> None:
        """Deliver a batch, retrying and bisecting as the pipe says; the checkpoint moves past it (or past what
        was delivered of it, when the pipe was stopped meanwhile)."""
        while not self.stopped.is_set():
            delivered, failed_from = self._try(batch)
            if delivered:
                self._advance(shard_id, batch[-1].sequence)
                return
            if failed_from is not None:  # the target took the records before the lowest it reported
                done = [r for r in batch if r.sequence < failed_from]
                if done:
                    self._advance(shard_id, done[-1].sequence)
                batch = [r for r in batch if r.sequence >= failed_from]
            too_old = self.max_age_s >= 0 and time.time() - batch[0].arrival > self.max_age_s
            exhausted = self.max_retries >= 0 and attempt > self.max_retries
            if too_old or exhausted:
                condition = "RecordAgeExceeded" if too_old else "RetryAttemptsExhausted"
                self._dead_letter(shard_id, batch, condition, attempt)
                self._advance(shard_id, batch[-1].sequence)
                return
            if self.bisect and len(batch) > 1:  # a split does not use up a retry
                half = len(batch) // 2
                self._process(shard_id, batch[:half], attempt)
                self._process(shard_id, batch[half:], attempt)
                return
            attempt += 1
            time.sleep(RETRY_WAIT_S)

    def _dead_letter(self, shard_id: str, batch: list[Record], condition: str, attempts: int) -> None:
        assert self.source is not None
        description = {
            "context": {
                "partnerResourceArn": self.pipe.arn,
                "condition": condition,
                "requestId": str(uuid.uuid4()),
                "approximateInvokeCount": attempts,
            },
            "version": "1.0",
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            self.source.batch_info_key: {
                "shardId": shard_id,
                "startSequenceNumber": str(batch[0].sequence),
                "endSequenceNumber": str(batch[-1].sequence),
                "approximateArrivalOfFirstRecord": iso_utc(batch[0].arrival),
                "approximateArrivalOfLastRecord": iso_utc(batch[-1].arrival),
                "batchSize": len(batch),
                "streamArn": str(self.pipe.source),
            },
        }
        clients = self.clients()
        if not self.dead_letter or clients is None:
            print(f"pipe {self.pipe.name}: {len(batch)} records of {shard_id} dropped after {condition}", flush=True)
            return
        target, region = str(self.dead_letter), str(self.dead_letter).split(":")[3]
        try:
            if ":sqs:" in target:
                clients.get("sqs", region).send_message(
                    QueueUrl=queue_url(self.endpoint_url, target), MessageBody=json.dumps(description)
                )
            else:
                clients.get("sns", region).publish(TopicArn=target, Message=json.dumps(description))
        except (ClientError, BotoCoreError, OSError) as exc:
            print(f"pipe {self.pipe.name}: could not dead-letter to {target}: {exc}", flush=True)


def source_actions(source_arn: str) -> tuple[str, ...]:
    """What the pipe's role must be allowed on a stream source."""
    prefix = "kinesis" if ":kinesis:" in source_arn else "dynamodb"
    return tuple(f"{prefix}:{action}" for action in ("DescribeStream", "GetRecords", "GetShardIterator")) + (
        ("kinesis:ListShards",) if prefix == "kinesis" else ("dynamodb:ListStreams",)
    )
