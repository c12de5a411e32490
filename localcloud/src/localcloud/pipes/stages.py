"""A pipe's enrichment and target stages, and its input templates, as EventBridge Pipes runs them.

Enrichment (a Lambda function or an Express state machine) gets the batch as one JSON array, synchronously,
and its answer is the batch the target gets (`""`, `{}` or `[]` skip the target). Lambda and Step Functions
targets get the batch as one JSON array; SQS, SNS, EventBridge, Kinesis and Firehose targets get their batch
APIs (10 records a call; 500 for Kinesis and Firehose). Input templates apply to each event: `<$.path>`
(an SQS body that is JSON is addressed as `$.body.field`) and the `<aws.pipes.*>` variables; a string value
gets quotes outside a JSON string and none inside one, an object or array is inserted as JSON outside a
string and without its inner quotes inside one, and a path that is not there inserts nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from localcloud.core import iam, metrics
from localcloud.lambda_ import event_filter
from localcloud.sqs.service_delivery import queue_url

PLACEHOLDER = re.compile(r"<(\$[^<>]*|aws\.pipes\.[a-z.-]+)>")
BATCH_LIMITS = {"sqs": 10, "sns": 10, "events": 10, "kinesis": 500, "firehose": 500}


class StageFailed(Exception):
    """The enrichment or the target failed for the whole batch: nothing is deleted, it comes back."""


class Clients:
    """Clients signing as the pipe's role session."""

    def __init__(self, endpoint_url: str, region: str, credentials: dict[str, str]) -> None:
        self.endpoint_url, self.region, self.credentials = endpoint_url, region, credentials
        self._made: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()  # a stream pipe's lanes share these; making a boto3 client is not thread-safe

    def get(self, service: str, region: str | None = None) -> Any:
        key = (service, region or self.region)
        with self._lock:
            if key not in self._made:
                self._made[key] = iam.session_client(
                    service,
                    key[1],
                    self.endpoint_url,
                    self.credentials,
                    Config(retries={"max_attempts": 1}, read_timeout=70),
                )
            return self._made[key]


@dataclass
class Context:
    pipe: Any
    source_arn: str
    ingestion_time: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z")

    @property
    def name(self) -> str:
        return str(self.pipe.name)

    def metric(self, *names: str) -> None:
        for name in names:
            self.count(name, 1)

    def count(self, name: str, value: float) -> None:
        _, _, _, region, account, _ = self.pipe.arn.split(":", 5)
        metrics.pipes(account, region, self.name, {name: value})


# -- templates --------------------------------------------------------------------------------------------


def source_view(event: Any) -> Any:
    """An event as filters and templates see it: an SQS body or Kinesis data that is JSON, parsed."""
    if not isinstance(event, dict):
        return event
    if "body" in event and event.get("eventSource") == "aws:sqs":
        return event_filter.sqs_view(event)
    if "kinesisSchemaVersion" in event and "data" in event:
        try:
            data = json.loads(base64.b64decode(event["data"]))
        except (ValueError, binascii.Error):
            return event
        return {**event, "data": data} if isinstance(data, (dict, list)) else event
    return event


def _path(value: Any, path: str) -> tuple[bool, Any]:
    """A `$.a.b[0]` path's value in an event: (found, value)."""
    for part in re.findall(r"\.([^.\[\]]+)|\[(\d+)\]", path[1:]):
        key, index = part
        if key and isinstance(value, dict) and key in value:
            value = value[key]
        elif index and isinstance(value, list) and int(index) < len(value):
            value = value[int(index)]
        else:
            return False, None
    return True, value


def _reserved(name: str, context: Context, event: Any, original: Any) -> tuple[bool, Any]:
    pipe = context.pipe
    values = {
        "pipe-arn": pipe.arn,
        "pipe-name": pipe.name,
        "source-arn": context.source_arn,
        "enrichment-arn": pipe.enrichment or "",
        "target-arn": pipe.target,
        "event.ingestion-time": context.ingestion_time,
        "event": json.dumps(original) if not isinstance(original, str) else original,
    }
    if name == "event.json":  # the event as JSON, its SQS body or Kinesis data decoded
        return (not isinstance(original, str)), source_view(original)
    return (name in values), values.get(name)


def render(template: str, event: Any, context: Context, original: Any | None = None) -> str:
    """One event through an input template."""
    view = source_view(event)
    original = event if original is None else original
    out, in_string, escaped, last = [], False, False, 0
    matches = {m.start(): m for m in PLACEHOLDER.finditer(template)}
    index = 0
    while index < len(template):
        match = matches.get(index)
        if match is not None:
            out.append(template[last:index])
            token = match.group(1)
            found, value = (
                _path(view, token)
                if token.startswith("$")
                else _reserved(token[len("aws.pipes.") :], context, event, original)
            )
            if found:
                out.append(_inserted(value, in_string))
            index = last = match.end()
            continue
        char = template[index]
        if escaped:
            escaped = False
        elif char == "\\" and in_string:
            escaped = True
        elif char == '"':
            in_string = not in_string
        index += 1
    out.append(template[last:])
    return "".join(out)


def _inserted(value: Any, in_string: bool) -> str:
    compact = json.dumps(value, separators=(",", ":"))
    if in_string:
        text = value if isinstance(value, str) else compact
        if isinstance(value, (dict, list)):
            text = text.replace('"', "")  # Pipes removes an object's inner quotes inside a string
        return json.dumps(text)[1:-1]
    return compact


def _as_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


# -- stages ---------------------------------------------------------------------------------------------------


def _client_error(stage: str, exc: Exception) -> StageFailed:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return StageFailed(f"{stage} failed: {error.get('Code')}: {error.get('Message')}")
    return StageFailed(f"{stage} failed: {exc}")


def enrich(clients: Clients, context: Context, records: list[dict[str, Any]]) -> list[Any]:
    """The events the target gets: the enrichment's answer, or the records themselves."""
    pipe = context.pipe
    context.metric("Invocations")
    context.count("EventCount", len(records))
    if not pipe.enrichment:
        return list(records)
    template = (pipe.enrichment_parameters or {}).get("InputTemplate")
    batch = [_as_value(render(template, r, context)) if template else r for r in records]
    arn, payload = pipe.enrichment, json.dumps(batch)
    try:
        if ":lambda:" in arn:
            answer = clients.get("lambda", arn.split(":")[3]).invoke(
                FunctionName=arn, InvocationType="RequestResponse", Payload=payload.encode()
            )
            text = answer["Payload"].read().decode()
            if answer.get("FunctionError"):
                raise StageFailed(f"enrichment {arn} failed: {text[:500]}")
        elif ":states:" in arn:
            answer = clients.get("stepfunctions", arn.split(":")[3]).start_sync_execution(
                stateMachineArn=arn, input=payload
            )
            if answer.get("status") != "SUCCEEDED":
                raise StageFailed(
                    f"enrichment {arn} {answer.get('status')}: {answer.get('error')} {answer.get('cause')}"
                )
            text = answer.get("output") or ""
        else:
            raise StageFailed(f"enrichment {arn}: only Lambda and Step Functions enrichments are emulated")
    except StageFailed:
        context.metric("EnrichmentStageFailed", "ExecutionFailed")
        raise
    except (ClientError, BotoCoreError, OSError) as exc:
        context.metric("EnrichmentStageFailed", "ExecutionFailed")
        raise _client_error("enrichment", exc) from None
    enriched = _as_value(text)
    if enriched in ("", {}, [], None):
        return []
    return enriched if isinstance(enriched, list) else [enriched]


def _payloads(context: Context, events: list[Any]) -> list[str]:
    template = (context.pipe.target_parameters or {}).get("InputTemplate")
    if template:
        return [render(template, event, context) for event in events]
    return [event if isinstance(event, str) else json.dumps(event) for event in events]


def _failed_items(text: str, ids: list[str]) -> set[str]:
    """The records a Lambda or Step Functions target reported as failed (SQS message ids, stream sequence
    numbers); the whole batch when the report is not one Pipes can read (an unknown, empty or missing
    itemIdentifier)."""
    everything = set(ids)
    try:
        answer = json.loads(text) if text else None
    except ValueError:
        return everything
    if not isinstance(answer, dict) or not answer.get("batchItemFailures"):
        return set()
    failed = set()
    for item in answer["batchItemFailures"]:
        identifier = item.get("itemIdentifier") if isinstance(item, dict) else None
        if identifier not in everything:
            return everything
        failed.add(identifier)
    return failed


def deliver(clients: Clients, context: Context, ids: list[str], events: list[Any]) -> set[str]:
    """Hand the events to the target; the ids of the source's records that failed (the rest are done)."""
    if not events:
        context.metric("TargetStageSkipped")
        return set()
    try:
        failed = _deliver(clients, context, ids, events)
    except StageFailed:
        context.metric("TargetStageFailed", "ExecutionFailed")
        raise
    except (ClientError, BotoCoreError, OSError) as exc:
        context.metric("TargetStageFailed", "ExecutionFailed")
        raise _client_error("target", exc) from None
    if failed:
        context.metric("TargetStagePartiallyFailed", "ExecutionPartiallyFailed")
    return failed


def _deliver(clients: Clients, context: Context, ids: list[str], events: list[Any]) -> set[str]:
    pipe, arn = context.pipe, context.pipe.target
    service, region = arn.split(":")[2], arn.split(":")[3]
    parameters = pipe.target_parameters or {}
    payloads = _payloads(context, events)
    if service == "lambda":
        invocation = (parameters.get("LambdaFunctionParameters") or {}).get("InvocationType", "REQUEST_RESPONSE")
        answer = clients.get("lambda", region).invoke(
            FunctionName=arn,
            InvocationType="Event" if invocation == "FIRE_AND_FORGET" else "RequestResponse",
            Payload=json.dumps([_as_value(p) for p in payloads]).encode(),
        )
        text = answer["Payload"].read().decode() if answer.get("Payload") else ""
        if answer.get("FunctionError"):
            raise StageFailed(f"target {arn} failed: {text[:500]}")
        return _failed_items(text, ids) if invocation != "FIRE_AND_FORGET" else set()
    if service == "states":
        invocation = (parameters.get("StepFunctionStateMachineParameters") or {}).get(
            "InvocationType", "REQUEST_RESPONSE"
        )
        states = clients.get("stepfunctions", region)
        body = json.dumps([_as_value(p) for p in payloads])
        if invocation == "FIRE_AND_FORGET":
            states.start_execution(stateMachineArn=arn, input=body)
            return set()
        answer = states.start_sync_execution(stateMachineArn=arn, input=body)
        if answer.get("status") != "SUCCEEDED":
            raise StageFailed(f"target {arn} {answer.get('status')}: {answer.get('error')} {answer.get('cause')}")
        return _failed_items(answer.get("output") or "", ids)
    limit = BATCH_LIMITS.get(service)
    if limit is None:
        raise StageFailed(f"target {arn}: {service} targets are not emulated")
    for start in range(0, len(payloads), limit):
        chunk = payloads[start : start + limit]
        _send_batch(clients, context, service, region, arn, chunk, events[start : start + limit])
    return set()


def _send_batch(
    clients: Clients, context: Context, service: str, region: str, arn: str, payloads: list[str], events: list[Any]
) -> None:
    parameters = context.pipe.target_parameters or {}
    if service == "sqs":
        sqs_parameters = parameters.get("SqsQueueParameters") or {}
        names = [k for k in ("MessageGroupId", "MessageDeduplicationId") if sqs_parameters.get(k)]
        answer = clients.get("sqs", region).send_message_batch(
            QueueUrl=queue_url(clients.endpoint_url, arn),
            Entries=[
                {"Id": str(n), "MessageBody": p, **{k: _dynamic(sqs_parameters[k], e) for k in names}}
                for n, (p, e) in enumerate(zip(payloads, events, strict=True))
            ],
        )
        failed = answer.get("Failed") or []
    elif service == "sns":
        answer = clients.get("sns", region).publish_batch(
            TopicArn=arn, PublishBatchRequestEntries=[{"Id": str(n), "Message": p} for n, p in enumerate(payloads)]
        )
        failed = answer.get("Failed") or []
    elif service == "events":
        bus = parameters.get("EventBridgeEventBusParameters") or {}
        source = bus.get("Source") or f"Pipe {context.name}"
        detail_type = bus.get("DetailType") or f"Event from aws:{context.source_arn.split(':')[2]}"
        extra = {"Resources": bus["Resources"]} if bus.get("Resources") else {}
        answer = clients.get("events", region).put_events(
            Entries=[
                {
                    "EventBusName": arn,
                    "Source": _dynamic(source, e),
                    "DetailType": _dynamic(detail_type, e),
                    "Detail": p,
                    **extra,
                }
                for p, e in zip(payloads, events, strict=True)
            ]
        )
        failed = [e for e in answer.get("Entries", []) if e.get("ErrorCode")]
    elif service == "kinesis":
        key = (parameters.get("KinesisStreamParameters") or {}).get("PartitionKey", "")
        answer = clients.get("kinesis", region).put_records(
            StreamARN=arn,
            Records=[
                {"Data": p.encode(), "PartitionKey": _dynamic(key, e)} for p, e in zip(payloads, events, strict=True)
            ],
        )
        failed = [r for r in answer.get("Records", []) if r.get("ErrorCode")]
    else:  # firehose
        answer = clients.get("firehose", region).put_record_batch(
            DeliveryStreamName=arn.rsplit("/", 1)[1], Records=[{"Data": p.encode()} for p in payloads]
        )
        failed = [r for r in answer.get("RequestResponses", []) if r.get("ErrorCode")]
    if failed:
        raise StageFailed(f"target {arn}: {len(failed)} of {len(payloads)} records refused: {failed[0]}")


def _dynamic(key: str, event: Any) -> str:
    """A target parameter as written, or, written as a `$.path`, the event's value there (an SQS body or
    Kinesis data that is JSON included): partition keys, message group and deduplication ids, sources."""
    if not key.startswith("$."):
        return key
    found, value = _path(source_view(event), key)
    return value if found and isinstance(value, str) else json.dumps(value) if found else key
