"""SQS's message store as SQS keeps it, where a Lambda poller reads it.

- `SendMessage` only enqueues (moto invoked a mapped function inside the send, one message at a time):
  the mapping pollers (lambda_/mappings/sqs.py) receive as Lambda does.
- A FIFO queue drops a message whose deduplication id (or content hash) it saw within five minutes of the
  first send, consumed or not, per queue or per message group (`DeduplicationScope`); moto compared
  only with messages still queued, so a retried send was delivered twice once the first was consumed.
- FIFO messages carry a growing 20-digit `SequenceNumber` (moto left it empty).
- A FIFO message group is held back only while one of its messages is in flight. When a batch of a group
  comes back (its visibility timeout passed), the group is delivered again from its first message: moto
  skipped each returning message while a later one was still marked in flight, so the group's last
  message came out first and a consumer applied a group out of order (found by P13's chaos test).
- A message sent with a trace header (the request's `X-Amzn-Trace-Id`, or SNS's delivery) keeps it as its
  `AWSTraceHeader` system attribute, unless the sender set that attribute itself.
- Receives from one queue are taken one at a time, as SQS answers them: two pollers cannot both get
  messages of one group.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from moto.sqs import models as sqs_models

from localcloud.xray.traces import INCOMING


def is_duplicate(queue: Any, message: Any) -> bool:
    """SQS FIFO deduplication: an id seen within the interval, per queue or per message group."""
    if message.deduplication_id is None:
        return False
    key = message.deduplication_id
    if queue.attributes.get("DeduplicationScope") == "messageGroup":
        key = f"{message.group_id}\n{key}"
    seen: OrderedDict[str, int] = queue.__dict__.setdefault("_localcloud_deduplication", OrderedDict())
    now_ms = message.sent_timestamp
    interval_ms = sqs_models.DEDUPLICATION_TIME_IN_SECONDS * 1000
    while seen and now_ms - next(iter(seen.values())) >= interval_ms:  # oldest first
        seen.popitem(last=False)
    if key in seen:
        return True
    seen[key] = now_ms
    return False


def expire_deduplication(queue_url: str) -> int:
    """Forget a FIFO queue's deduplication ids, as SQS does five minutes after each send; how many were
    forgotten. For tests of what a consumer does when a producer retries after SQS's window."""
    account, name = queue_url.rstrip("/").split("/")[-2:]
    for region_backends in sqs_models.sqs_backends[account].values():
        queue = region_backends.queues.get(name)
        if queue is not None:
            with queue._messages_lock:
                seen = queue.__dict__.get("_localcloud_deduplication", OrderedDict())
                forgotten = len(seen)
                seen.clear()
            return forgotten
    raise KeyError(f"no queue {queue_url}")


def install() -> None:
    Queue = sqs_models.Queue

    def add_message(self: Any, message: Any) -> None:
        """Enqueue only; the pollers deliver. FIFO duplicates are dropped for five minutes after the
        first send, consumed or not (moto compares only with messages still queued)."""
        incoming = INCOMING.get()
        if incoming is not None and not (message.system_attributes or {}).get("AWSTraceHeader"):
            # SQS keeps the sender's trace header (its HTTP header, or SNS's delivery) with the message.
            message.system_attributes = {
                **(message.system_attributes or {}),
                "AWSTraceHeader": {"DataType": "String", "StringValue": str(incoming)},
            }
        with self._messages_lock:  # one lock: two concurrent sends of one id cannot both pass the check
            if self.fifo_queue and is_duplicate(self, message):
                return
            if self.fifo_queue and message.sequence_number is None:
                # FIFO messages carry a growing 20-digit sequence number (moto leaves it None).
                self._localcloud_sequence = getattr(self, "_localcloud_sequence", 0) + 1
                message.sequence_number = f"{18_000_000_000_000_000_000 + self._localcloud_sequence:020d}"
            self._messages.append(message)
            self._messages_lock.notify_all()

    Queue.add_message = add_message

    receive = sqs_models.SQSBackend.receive_message

    def receive_message(
        self: Any,
        queue_name: str,
        count: int,
        wait_seconds_timeout: int,
        visibility_timeout: int,
        message_attribute_names: list[str] | None = None,
    ) -> list[Any]:
        queue = self.get_queue(queue_name)
        lock = queue.__dict__.setdefault("_localcloud_receive_lock", threading.Lock())
        deadline = time.monotonic() + wait_seconds_timeout
        while True:
            with lock:
                # Back from flight: a message whose visibility timeout passed no longer holds its group.
                for message in [m for m in queue.pending_messages.copy() if m.visible]:
                    queue.pending_messages.discard(message)
                received = receive(self, queue_name, count, 0, visibility_timeout, message_attribute_names)
            remaining = deadline - time.monotonic()
            if received or remaining <= 0:
                return received
            if queue.messages:  # visible, but their groups are in flight: look again shortly
                time.sleep(min(0.05, remaining))
            else:  # long polling waits outside the lock, for a send
                queue.wait_for_messages(min(1.0, remaining))

    sqs_models.SQSBackend.receive_message = receive_message
