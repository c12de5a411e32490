"""SQS event source mappings that behave like Lambda's poller.

moto delivers inside SendMessage, one invocation per message, deletes a batch
that reported failures, and never retries. Here SendMessage only enqueues, and
a poller per enabled mapping:
- receives batches of up to `BatchSize`, waiting up to
  `MaximumBatchingWindowInSeconds` to fill one (messages already queued when the
  mapping is created are consumed too);
- invokes the function with at most `ScalingConfig.MaximumConcurrency` batches
  in flight (and never past the function's reserved concurrency);
- deletes a successful batch; with `ReportBatchItemFailures` deletes all but the
  reported items; after an error deletes nothing. What is not deleted becomes
  visible again after the queue's visibility timeout, and the queue's redrive
  policy moves it to the dead-letter queue after `maxReceiveCount` receives;
- for FIFO queues, keeps each message group in order (moto's receive withholds a
  group while it has messages in flight);
- drops the messages no filter of the mapping's `FilterCriteria` matches (deleting them, as Lambda does);
- polls as the function's execution role: while the role may not receive,
  delete or read the queue's attributes, or decrypt with the queue's KMS key,
  nothing is received and the mapping's `LastProcessingResult` says why
  (`PROBLEM: ...`), as when a role loses a permission in AWS.
"""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from moto.awslambda import models as lambda_models
from moto.sqs import models as sqs_models

from localcloud.core import iam, kms
from localcloud.lambda_ import event_filter
from localcloud.lambda_.invoke import LambdaService, find_function
from localcloud.lambda_.mappings.manager import MappingManager
from localcloud.lambda_.runner import Throttled

DEFAULT_CONCURRENCY = 5
IDLE_WAIT_S = 0.2


def sqs_records(messages: list[Any], queue_arn: str, region: str) -> list[dict[str, Any]]:
    """Lambda's SQS event records for received messages."""
    records = []
    for message in messages:
        attributes = {
            "ApproximateReceiveCount": str(message.approximate_receive_count),
            "SentTimestamp": str(message.sent_timestamp),
            "SenderId": message.sender_id,
            "ApproximateFirstReceiveTimestamp": str(message.approximate_first_receive_timestamp),
        }
        trace_header = (message.system_attributes or {}).get("AWSTraceHeader") or {}
        if trace_header.get("StringValue"):
            attributes["AWSTraceHeader"] = trace_header["StringValue"]
        if queue_arn.endswith(".fifo"):
            attributes.update(
                {
                    "SequenceNumber": str(message.sequence_number),
                    "MessageGroupId": message.group_id,
                    "MessageDeduplicationId": message.deduplication_id,
                }
            )
        records.append(
            {
                "messageId": message.id,
                "receiptHandle": message.receipt_handle,
                "body": message.body,
                "attributes": attributes,
                "messageAttributes": {
                    name: {
                        "stringValue": value.get("StringValue"),
                        "binaryValue": value.get("BinaryValue"),
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": value["DataType"],
                    }
                    for name, value in message.message_attributes.items()
                },
                "md5OfBody": message.body_md5,
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
        )
    return records


class SqsPoller:
    def __init__(self, esm: Any, service: LambdaService) -> None:
        self.esm = esm
        self.service = service
        parts = esm.event_source_arn.split(":")
        self.region, self.account_id, self.queue_name = parts[3], parts[4], parts[5]
        self.stopped = threading.Event()
        self._slots = threading.Semaphore(self.concurrency())
        self._pool = ThreadPoolExecutor(max_workers=self.concurrency(), thread_name_prefix=f"sqs-poller-{esm.uuid[:8]}")
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"sqs-poller-{esm.uuid[:8]}")

    def concurrency(self) -> int:
        cap = (self.esm.scaling_config or {}).get("MaximumConcurrency") or DEFAULT_CONCURRENCY
        return max(1, int(cap))

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self._pool.shutdown(wait=False, cancel_futures=True)

    @property
    def _sqs(self) -> Any:
        return sqs_models.sqs_backends[self.account_id][self.region]

    def _queue(self) -> Any | None:
        return self._sqs.queues.get(self.queue_name)

    def _permission_problem(self, queue: Any) -> str | None:
        """Why the function's role may not poll this queue now (its grants or the queue's key), or None."""
        try:
            role_arn = str(find_function(self.esm.function_arn).role)
        except Exception:
            return None  # the function is gone: the mapping goes with it
        role = iam.poller_identity(role_arn)
        for action in ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes"):
            allowed = iam.decide(
                role,
                f"sqs:{action}",
                queue.queue_arn,
                resource_account=self.account_id,
                resource_policy=iam.as_document(queue._policy_json),
            ).allowed
            if not allowed:
                return f"PROBLEM: The function execution role does not have permissions to call {action} on SQS"
        key = kms.queue_key(queue, self.account_id, self.region)
        if key is not None and not kms.caller_may_use(role, key, "kms:Decrypt", "sqs", self.region).allowed:
            return f"PROBLEM: The function execution role does not have permissions to call kms:Decrypt on {key.arn}"
        return None

    def _receive(self, queue: Any) -> list[Any]:
        """One batch: up to BatchSize messages, waiting at most the batching window to fill it."""
        batch_size = int(self.esm.batch_size or 10)
        visibility = int(queue.visibility_timeout or 30)
        # A batch must be invoked before its first messages become visible again; AWS asks for a
        # visibility timeout of several function timeouts, so only tiny test settings meet this cap.
        window = min(float(self.esm.max_batch_window or 0), visibility / 2)
        deadline = time.monotonic() + window
        batch: dict[str, Any] = {}
        while len(batch) < batch_size and not self.stopped.is_set():
            # Lambda's poller asks for every message attribute; moto strips them unless asked.
            received = self._sqs.receive_message(
                self.queue_name, min(10, batch_size - len(batch)), 0, visibility, message_attribute_names=["All"]
            )
            batch.update((m.id, m) for m in received)
            if not received:
                if not batch or time.monotonic() >= deadline:
                    break
                queue.wait_for_messages(min(IDLE_WAIT_S, max(0.0, deadline - time.monotonic())))
        return list(batch.values())

    def _run(self) -> None:
        while not self.stopped.is_set():
            queue = self._queue()
            if queue is None:
                return
            problem = self._permission_problem(queue)
            self.esm.localcloud_last_processing_result = problem or "OK"
            if problem is not None:
                # Lambda keeps polling as the role and fails until the role is fixed: nothing is received.
                queue.wait_for_messages(IDLE_WAIT_S)
                continue
            if not self._slots.acquire(timeout=IDLE_WAIT_S):
                continue
            try:
                batch = self._receive(queue)
            except Exception as exc:  # keep polling: a bad moment must not kill the mapping
                print(f"sqs poller {self.esm.uuid}: receive failed: {exc!r}", flush=True)
                batch = []
            if not batch:
                self._slots.release()
                queue.wait_for_messages(IDLE_WAIT_S)
                continue
            try:
                self._pool.submit(self._process, batch)
            except RuntimeError:  # the pool was shut down: the mapping is gone
                self._slots.release()
                return

    def _process(self, batch: list[Any]) -> None:
        try:
            backend = lambda_models.lambda_backends[self.account_id][self.region]
            fn = backend.get_function(self.esm.function_arn)
            patterns = event_filter.parse(self.esm.filter_criteria)
            records = sqs_records(batch, self.esm.event_source_arn, self.region)
            kept = [
                (m, r)
                for m, r in zip(batch, records, strict=True)
                if event_filter.matches(patterns, event_filter.sqs_view(r))
            ]
            dropped = {m.id for m in batch} - {m.id for m, _ in kept}
            for message in batch:  # Lambda deletes the messages its filters drop
                if message.id in dropped:
                    self._sqs.delete_message(self.queue_name, message.receipt_handle)
            batch = [m for m, _ in kept]
            if not batch:
                return
            event = {"Records": [r for _, r in kept]}
            try:
                invocation = self.service.run(fn, json.dumps(event))
            except Throttled:
                return  # the messages come back after the visibility timeout
            if invocation.error_type is not None:
                return
            failed = self._reported_failures(invocation.payload, batch)
            for message in batch:
                if message.id not in failed:
                    self._sqs.delete_message(self.queue_name, message.receipt_handle)
        except Exception as exc:
            print(f"sqs poller {self.esm.uuid}: batch failed: {exc!r}", flush=True)
        finally:
            self._slots.release()

    def _reported_failures(self, payload: bytes, batch: list[Any]) -> set[str]:
        """Message ids the function reported as failed; the whole batch when the report is malformed."""
        if "ReportBatchItemFailures" not in (self.esm.function_response_types or []):
            return set()
        everything = {m.id for m in batch}
        try:
            response = json.loads(payload) if payload else None
        except ValueError:
            return set()
        if not isinstance(response, dict) or not response.get("batchItemFailures"):
            return set()
        failed = set()
        for item in response["batchItemFailures"]:
            identifier = item.get("itemIdentifier") if isinstance(item, dict) else None
            if identifier not in everything:
                return everything  # AWS treats an unknown or empty identifier as a failed batch
            failed.add(identifier)
        return failed


class SqsMappings(MappingManager):
    """One poller per enabled SQS mapping."""

    kind = "sqs"

    def accepts(self, esm: Any) -> bool:
        return ":sqs:" in esm.event_source_arn

    def signature(self, esm: Any) -> tuple:
        return (
            esm.function_arn,
            esm.batch_size,
            esm.max_batch_window,
            json.dumps(esm.scaling_config, sort_keys=True),
            tuple(esm.function_response_types or []),
        )

    def new_poller(self, esm: Any) -> SqsPoller:
        poller = SqsPoller(esm, self.service)
        poller.start()
        return poller


def install(service: LambdaService) -> SqsMappings:
    configuration = lambda_models.EventSourceMapping.get_configuration

    def get_configuration(self: Any) -> dict[str, Any]:
        answer = configuration(self)
        result = getattr(self, "localcloud_last_processing_result", None)
        if result:
            answer["LastProcessingResult"] = result
        return answer

    lambda_models.EventSourceMapping.get_configuration = get_configuration

    manager = SqsMappings(service)
    manager.start()
    return manager
