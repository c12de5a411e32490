"""One lane of one shard: the batching, retries, bisecting, windows and on-failure records of a stream mapping.

A lane reads its shard (its share of it, with `ParallelizationFactor`) from the mapping's checkpoint, filters,
batches, invokes the function and checkpoints; what it does on a failure is the mapping's settings
(see streams.py).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from localcloud.core import metrics
from localcloud.lambda_ import event_filter
from localcloud.lambda_.mappings.stream_sources import ACTIVITY, Record, iso_utc
from localcloud.lambda_.runner import Throttled

if TYPE_CHECKING:  # the poller owns its lanes
    from localcloud.lambda_.mappings.streams import StreamPoller

IDLE_WAIT_S = 0.2
MAX_PAYLOAD_BYTES = 6 * 1024 * 1024
MAX_WINDOW_STATE_BYTES = 1024 * 1024  # a window's state per shard; past it, Lambda ends the window early
RETRY_BASE_S = 0.1
RETRY_CAP_S = 1.6


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

    def _close_window(self, *, early: bool = False) -> None:
        """The final invocation of an ended window, retried until it succeeds (AWS pauses the shard). A window
        ended early (its state past 1 MB) goes on with a fresh state."""
        window = self.window
        assert window is not None
        attempt = 0
        while True:
            outcome = self._invoke([], final=True, early=early)
            if outcome.succeeded:
                self.window = Window(window.start, window.end) if early else None
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
                    if len(json.dumps(outcome.state).encode()) > MAX_WINDOW_STATE_BYTES:
                        self._close_window(early=True)
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

    def _invoke(self, part: list[Record], *, final: bool = False, early: bool = False) -> Outcome:
        if self.poller.stopped.is_set():
            raise GiveUp
        fn = self.poller.function()
        extras = self.poller.source.lambda_record_extras(str(fn.role))
        event: dict[str, Any] = {"Records": [{**r.event_record, **extras} for r in part]}
        if self._tumbling() and self.window is not None:
            event.update(
                {
                    "window": {"start": iso_utc(self.window.start), "end": iso_utc(self.window.end)},
                    "state": self.window.state,
                    "shardId": self.shard_id,
                    "eventSourceARN": self.esm.event_source_arn,
                    "isFinalInvokeForWindow": final,
                    "isWindowTerminatedEarly": early,
                }
            )
        try:
            invocation = self.poller.service.run(fn, json.dumps(event))
        except Throttled:
            return Outcome(throttled=True)
        if part:
            account, region = fn.account_id, fn.region
            metrics.stream_batch_invoked(account, region, fn.function_name, (time.time() - part[-1].arrival) * 1000)
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
                "approximateArrivalOfFirstRecord": iso_utc(part[0].arrival),
                "approximateArrivalOfLastRecord": iso_utc(part[-1].arrival),
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
