"""EventBridge Pipes with an SQS source: poll, filter, enrich, transform and deliver, as the pipe's role
(stream sources: streams.py).

One poller per pipe whose desired state is RUNNING. Each assumes the pipe's role as `pipes.amazonaws.com`
(its trust policy checked with the pipe's ARN and account) and calls SQS, the enrichment and the target
through the local cloud's own API with the role's credentials, so the role's policy, the queue's policy
and the keys decide as in AWS. A batch whose enrichment or target fails is left on the queue: it comes
back after the visibility timeout, and the queue's redrive policy moves it to its dead-letter queue.
Messages no filter matches are deleted, as Pipes does.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from localcloud.core import iam
from localcloud.lambda_ import event_filter
from localcloud.lambda_.mappings.stream_sources import source_for
from localcloud.pipes import stages
from localcloud.pipes.streams import StreamPipe

RESCAN_S = 5.0  # changes wake the manager at once; this catches shards a stream grew
IDLE_WAIT_S = 0.5
SERVICE = "pipes.amazonaws.com"
RECORD_ATTRIBUTES = ("ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp")
FIFO_ATTRIBUTES = ("SequenceNumber", "MessageGroupId", "MessageDeduplicationId")


def sqs_records(messages: list[dict[str, Any]], queue_arn: str) -> list[dict[str, Any]]:
    """The events Pipes passes on for received messages: Lambda's SQS record shape."""
    names = RECORD_ATTRIBUTES + (FIFO_ATTRIBUTES if queue_arn.endswith(".fifo") else ())
    return [
        {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": {
                name: message["Attributes"][name] for name in names if name in message.get("Attributes", {})
            },
            "messageAttributes": {
                name: {
                    **({"stringValue": value["StringValue"]} if "StringValue" in value else {}),
                    **(
                        {"binaryValue": base64.b64encode(value["BinaryValue"]).decode()}
                        if "BinaryValue" in value
                        else {}
                    ),
                    "stringListValues": [],
                    "binaryListValues": [],
                    "dataType": value["DataType"],
                }
                for name, value in (message.get("MessageAttributes") or {}).items()
            },
            "md5OfBody": message["MD5OfBody"],
            "eventSource": "aws:sqs",
            "eventSourceARN": queue_arn,
            "awsRegion": queue_arn.split(":")[3],
        }
        for message in messages
    ]


_clients: dict[tuple[str, str, str], stages.Clients] = {}


def role_clients(pipe: Any, endpoint_url: str) -> stages.Clients | None:
    """Clients signing as the pipe's role, assumed as Pipes (trust checked each time: a role changed to refuse
    Pipes stops the pipe's work); None, with the pipe's StateReason saying why, when it cannot be assumed."""
    region, account = pipe.arn.split(":")[3], pipe.arn.split(":")[4]
    credentials = iam.service_session(
        pipe.role_arn,
        SERVICE,
        f"localcloud-pipe-{pipe.name}"[:64],
        region,
        source_arn=pipe.arn,
        source_account=account,
    )
    if credentials is None:
        pipe.state_reason = f"EventBridge Pipes cannot assume the role {pipe.role_arn}."
        return None
    key = (pipe.arn, str(pipe.role_arn), credentials["AWS_ACCESS_KEY_ID"])
    if key not in _clients:
        _clients[key] = stages.Clients(endpoint_url, region, credentials)
    return _clients[key]


class SqsPipe:
    def __init__(self, pipe: Any, endpoint_url: str) -> None:
        self.pipe = pipe
        self.endpoint_url = endpoint_url
        self.queue_arn = pipe.source
        _, _, _, self.region, self.account, self.queue_name = self.queue_arn.split(":", 5)
        self.queue_url = f"{endpoint_url.rstrip('/')}/{self.account}/{self.queue_name}"
        parameters = (pipe.source_parameters or {}).get("SqsQueueParameters") or {}
        self.batch_size = int(parameters.get("BatchSize") or 10)
        self.window_s = float(parameters.get("MaximumBatchingWindowInSeconds") or 0)
        self.filters = event_filter.parse((pipe.source_parameters or {}).get("FilterCriteria"))
        self.stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"pipe-{pipe.name[:20]}")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopped.set()

    def _problem(self, reason: str | None) -> None:
        """What the pipe reports as its StateReason while it cannot do its work (None: it can)."""
        self.pipe.state_reason = reason

    def _receive(self, sqs: Any) -> list[dict[str, Any]]:
        """One batch: long-polls (a second at a time, so a stop is noticed) until a message comes, then gathers
        until the batch is full or the batching window since the first message has passed."""
        batch: dict[str, dict[str, Any]] = {}
        deadline: float | None = None
        while len(batch) < self.batch_size and not self.stopped.is_set():
            wait = 1
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                wait = min(1, int(left))
            received = sqs.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=min(10, self.batch_size - len(batch)),
                WaitTimeSeconds=wait,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            batch.update((m["MessageId"], m) for m in received)
            if deadline is None:
                if not batch:
                    return []
                deadline = time.monotonic() + self.window_s
            elif not received and wait == 0:
                self.stopped.wait(0.1)
        return list(batch.values())

    def _run(self) -> None:
        while not self.stopped.is_set():
            try:
                self._step()
            except Exception as exc:  # nothing may end the pipe's thread but a stop
                print(f"pipe {self.pipe.name}: {exc!r}", flush=True)
                self.stopped.wait(IDLE_WAIT_S)

    def _step(self) -> None:
        clients = role_clients(self.pipe, self.endpoint_url)
        if clients is None:
            self.stopped.wait(IDLE_WAIT_S)
            return
        sqs = clients.get("sqs", self.region)
        try:
            messages = self._receive(sqs)
            self._problem(None)
        except ClientError as exc:  # the role may not receive, or the queue is gone
            error = exc.response.get("Error", {})
            self._problem(f"{error.get('Code')}: {error.get('Message')}")
            self.stopped.wait(IDLE_WAIT_S)
            return
        except (BotoCoreError, OSError) as exc:
            self._problem(str(exc))
            self.stopped.wait(IDLE_WAIT_S)
            return
        if messages:
            self._process(clients, sqs, messages)

    def _delete(self, sqs: Any, records: list[dict[str, Any]]) -> None:
        for start in range(0, len(records), 10):
            chunk = records[start : start + 10]
            sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(n), "ReceiptHandle": r["receiptHandle"]} for n, r in enumerate(chunk)],
            )

    def _process(self, clients: stages.Clients, sqs: Any, messages: list[dict[str, Any]]) -> None:
        records = sqs_records(messages, self.queue_arn)
        kept = [r for r in records if event_filter.matches(self.filters, event_filter.sqs_view(r))]
        dropped = [r for r in records if r not in kept]
        if dropped:  # Pipes deletes what its filters drop
            self._delete(sqs, dropped)
        if not kept:
            return
        context = stages.Context(self.pipe, self.queue_arn)
        try:
            events = stages.enrich(clients, context, kept)
            failed = stages.deliver(clients, context, [r["messageId"] for r in kept], events)
        except stages.StageFailed as exc:
            print(f"pipe {self.pipe.name}: {exc}", flush=True)
            return  # nothing deleted: the batch comes back after the visibility timeout
        self._delete(sqs, [r for r in kept if r["messageId"] not in failed])


class PipeManager:
    """One poller per pipe that should be running, following creates, updates, stops and deletes."""

    def __init__(self, endpoint_url: str) -> None:
        self.endpoint_url = endpoint_url
        self.running: dict[str, tuple[SqsPipe | StreamPipe, tuple[Any, ...]]] = {}
        self._stopped = threading.Event()
        self._changed = threading.Event()
        threading.Thread(target=self._run, daemon=True, name="pipes-manager").start()

    def poke(self) -> None:
        """A pipe was created, updated, started, stopped or deleted: look again now."""
        self._changed.set()

    def stop(self) -> None:
        self._stopped.set()
        for poller, _ in list(self.running.values()):
            poller.stop()

    @staticmethod
    def _pipes() -> dict[str, Any]:
        from moto.pipes.models import pipes_backends

        found = {}
        for regions in list(pipes_backends.values()):
            for backend in list(regions.values()):
                for pipe in list(backend.pipes.values()):
                    failed = str(pipe.status).endswith("_FAILED")
                    source = str(pipe.source)
                    if pipe.desired_state == "RUNNING" and not failed and (":sqs:" in source or source_for(source)):
                        found[pipe.arn] = pipe
        return found

    @staticmethod
    def _signature(pipe: Any) -> tuple[Any, ...]:
        return (
            id(pipe),
            json.dumps(pipe.source_parameters, sort_keys=True, default=str),
            pipe.role_arn,
        )

    def scan(self) -> None:
        pipes = self._pipes()
        for arn, (poller, signature) in list(self.running.items()):
            pipe = pipes.get(arn)
            if pipe is None or self._signature(pipe) != signature:
                poller.stop()
                del self.running[arn]
        for arn, pipe in pipes.items():
            try:  # one pipe that cannot start must not keep the others from starting
                self._keep_running(arn, pipe)
            except Exception as exc:
                print(f"pipe {pipe.name}: cannot run: {exc!r}", flush=True)

    def _keep_running(self, arn: str, pipe: Any) -> None:
        if arn in self.running:
            poller = self.running[arn][0]
            if isinstance(poller, StreamPipe):
                poller.refresh()  # shards a reshard added
            return
        started: SqsPipe | StreamPipe
        if ":sqs:" in str(pipe.source):
            started = SqsPipe(pipe, self.endpoint_url)
        else:
            started = StreamPipe(pipe, self.endpoint_url, lambda: role_clients(pipe, self.endpoint_url))
        started.start()
        self.running[arn] = (started, self._signature(pipe))

    def _run(self) -> None:
        while not self._stopped.is_set():
            self._changed.wait(RESCAN_S)
            self._changed.clear()
            try:
                self.scan()
            except Exception as exc:
                print(f"pipes manager: {exc!r}", flush=True)
