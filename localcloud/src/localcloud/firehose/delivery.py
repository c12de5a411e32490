"""Firehose delivery streams that deliver: buffered, transformed by Lambda, written to S3 as the stream's role.

moto writes one S3 object per PutRecord/PutRecordBatch at once, as itself: no buffering, no Lambda
transform, no compression, no error output, nothing read from a Kinesis source, no role. Here, for S3 and
extended S3 destinations, as Firehose does:

- records wait in a buffer until its size or its interval is reached, whichever first (`BufferingHints`:
  `SizeInMBs` default 5, `IntervalInSeconds` default 300; 0 delivers at once); with a Lambda processor they
  first wait in the processor's buffer (`BufferSizeInMBs` default 1, `BufferIntervalInSeconds` default 60);
- the processor function is invoked synchronously as the processor's role (else the destination's) with
  Firehose's event; `Ok` records go on (their `data` decoded), `Dropped` ones are counted and gone,
  `ProcessingFailed` ones go to the error output (`Lambda.ProcessingFailedStatus`). An invocation that fails
  (a function error, access denied, throttled) or answers outside the contract (records missing,
  duplicated, unreadable) is tried `NumberOfRetries` more times (default 3), then its whole batch goes to the
  error output with the last error;
- an object holds its records' data concatenated without delimiters, GZIP-compressed when asked (`.gz`),
  named as `prefixes.py` says, written with the destination's KMS key when it names one; error output is
  one JSON document per line (`attemptsMade`, `arrivalTimestamp`, `errorCode`, `errorMessage`,
  `attemptEndingTimestamp`, `rawData`, `lambdaARN`), compressed the same way;
- every S3 write goes through the server as the destination's role (its S3 and KMS permissions, the bucket
  policy and the key policy all checked); a refused write is kept and retried, in order, for 24 hours
  (`DeliveryToS3.Success` 0 meanwhile, and the error in the stream's CloudWatch log stream when logging
  is on), as Firehose retries S3;
- `AWS/Firehose` metrics for each step.

A role is used only when its trust policy admits `firehose.amazonaws.com` (with the account as
`sts:ExternalId`). What is not emulated is refused at PutRecord with `NotImplemented` naming it (dynamic
partitioning, format conversion, Snappy and ZIP compression, destinations other than S3 and HTTP); nothing
is silently dropped.
"""

from __future__ import annotations

import base64
import gzip
import json
import secrets
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from localcloud.core import iam, metrics
from localcloud.core.scheduler import Scheduler
from localcloud.firehose import prefixes

MIB = 1024 * 1024
DEFAULT_SIZE_MB, DEFAULT_INTERVAL_S = 5, 300
DEFAULT_PROCESSOR_SIZE_MB, DEFAULT_PROCESSOR_INTERVAL_S, DEFAULT_RETRIES = 1, 60, 3
S3_RETRY_WINDOW_S = 24 * 3600
TRANSFORM_BATCH_BYTES = 4 * MIB  # base64 makes it ~5.3 MB: under Lambda's 6 MB request limit
MAX_RETRY_WAIT_S = 30
SERVICE = "firehose.amazonaws.com"
CLIENT_CONFIG = Config(retries={"total_max_attempts": 1}, read_timeout=330, connect_timeout=5)
FUNCTION_ERROR = "The Lambda function was successfully invoked but it returned an error result."
LAMBDA_ERRORS = {
    "AccessDeniedException": (
        "Lambda.InvokeAccessDenied",
        "Access was denied. Ensure that the access policy allows access to the Lambda function.",
    ),
    "ResourceNotFoundException": (
        "Lambda.ResourceNotFound",
        "The Lambda function was not found. Ensure that the function exists and that its ARN is correct.",
    ),
    "TooManyRequestsException": (
        "Lambda.InvokeLimitExceeded",
        "The Lambda concurrent execution limit is exceeded. Increase the Lambda concurrent execution limit.",
    ),
}
JSON_PROCESSING = (
    "Lambda.JsonProcessingException",
    "There was an error parsing returned records from the Lambda function. Ensure that the returned records "
    "follow the status model required by Kinesis Data Firehose.",
)
MISSING_IDS = (
    "Lambda.MissingRecordId",
    "One or more record Ids were not returned. Ensure that the Lambda function returns all received record Ids.",
)
DUPLICATED_IDS = (
    "Lambda.DuplicatedRecordId",
    "Multiple records were returned with the same record ID. Ensure that the Lambda function returns unique "
    "record IDs for each record.",
)
S3_ACCESS_DENIED = (
    "Access was denied. Ensure that the trust policy for the provided IAM role allows Firehose to assume the role, "
    "and the access policy allows access to the S3 bucket."
)


@dataclass
class Record:
    record_id: str
    data: bytes
    arrival_ms: int
    kinesis: dict[str, Any] | None = None  # kinesisRecordMetadata, for a Kinesis source


@dataclass
class Failure:
    record: Record
    code: str
    message: str
    attempts: int
    ended_ms: int


@dataclass
class Write:
    """One S3 object to write, in order, until it is written or 24 hours have passed."""

    key: str
    body: bytes
    records: int
    oldest_ms: int
    is_error_output: bool
    first_try: float = field(default_factory=time.monotonic)
    attempts: int = 0


def now_ms() -> int:
    return int(time.time() * 1000)


def record_id() -> str:
    return base64.b64encode(secrets.token_bytes(48)).decode()


def parameters(processor: dict[str, Any]) -> dict[str, str]:
    return {p["ParameterName"]: p["ParameterValue"] for p in processor.get("Parameters") or []}


def s3_destination(model: Any) -> dict[str, Any] | None:
    """A delivery stream's S3 destination (moto keeps an extended one under both names); None for others."""
    first = model.destinations[0] if model.destinations else {}
    return first.get("ExtendedS3") or first.get("S3")


def lambda_processor(destination: dict[str, Any]) -> dict[str, str] | None:
    config = destination.get("ProcessingConfiguration") or {}
    if not config.get("Enabled"):
        return None
    for processor in config.get("Processors") or []:
        if processor.get("Type") == "Lambda":
            return parameters(processor)
    return None


def unsupported(destination: dict[str, Any]) -> str | None:
    """The first setting of an S3 destination that is not emulated, or None."""
    if (destination.get("DynamicPartitioningConfiguration") or {}).get("Enabled"):
        return "dynamic partitioning"
    if (destination.get("DataFormatConversionConfiguration") or {}).get("Enabled"):
        return "record format conversion"
    compression = destination.get("CompressionFormat") or "UNCOMPRESSED"
    if compression not in ("UNCOMPRESSED", "GZIP"):
        return f"{compression} compression"
    config = destination.get("ProcessingConfiguration") or {}
    if config.get("Enabled") and any(p.get("Type") != "Lambda" for p in config.get("Processors") or []):
        return "processors other than Lambda"
    return None


class Stage:
    """A buffer of one delivery stream: records wait until `limits()` (bytes, seconds) is reached, then go to
    `consume` in arrival order, one batch at a time: everything buffered (the size is a hint, as in Firehose),
    or at most `max_batch` bytes. Timers sleep on the scheduler until due."""

    def __init__(
        self,
        scheduler: Scheduler,
        limits: Callable[[], tuple[int, float]],
        consume: Callable[[list[Record]], None],
        max_batch: int | None = None,
    ) -> None:
        self._scheduler, self._limits, self._consume, self._max_batch = scheduler, limits, consume, max_batch
        self._records: deque[Record] = deque()
        self._bytes = 0
        self._since: float | None = None
        self._armed = False
        self._lock = threading.Lock()
        self._running = threading.Lock()
        self.stopped = False

    def add(self, records: list[Record]) -> None:
        if not records:
            return
        with self._lock:
            self._records.extend(records)
            self._bytes += sum(len(r.data) for r in records)
            if self._since is None:
                self._since = time.monotonic()
            size, interval = self._limits()
            full = self._bytes >= size or interval <= 0
            if not full:
                self._arm(self._since + interval - time.monotonic())
        if full:
            self._scheduler.submit(self.run)

    def _arm(self, delay_s: float) -> None:
        if not self._armed:
            self._armed = True
            self._scheduler.submit(self._fire, max(delay_s, 0.0))

    def _fire(self) -> None:
        with self._lock:
            self._armed = False
        self.run()

    def run(self) -> None:
        with self._running:
            while not self.stopped:
                with self._lock:
                    if not self._records:
                        self._since = None
                        return
                    size, interval = self._limits()
                    due = (self._since or 0.0) + interval
                    if self._bytes < size and time.monotonic() < due:
                        self._arm(due - time.monotonic())
                        return
                    batch: list[Record] = []
                    taken = 0
                    cap = self._max_batch or self._bytes
                    while self._records and (not batch or taken + len(self._records[0].data) <= cap):
                        record = self._records.popleft()
                        batch.append(record)
                        taken += len(record.data)
                    self._bytes -= taken
                    if not self._records:
                        self._since = None
                self._consume(batch)


class Hose:
    """The running side of one delivery stream with an S3 destination."""

    def __init__(self, arn: str, scheduler: Scheduler, endpoint_url: str, retry_delay_s: float) -> None:
        self.arn = arn
        self.account, self.region, self.name = arn.split(":")[4], arn.split(":")[3], arn.split("/", 1)[1]
        self._scheduler, self._endpoint_url, self._retry_delay_s = scheduler, endpoint_url, retry_delay_s
        self._writes: deque[Write] = deque()
        self._writes_lock = threading.Lock()
        self._writing = False
        self.transform_stage = Stage(scheduler, self._processor_limits, self._transform, TRANSFORM_BATCH_BYTES)
        self.delivery_stage = Stage(scheduler, self._delivery_limits, self._deliver)
        self.stopped = False

    # --- what the stream is now (read from moto's model at each step: UpdateDestination applies at once)
    def model(self) -> Any | None:
        from moto.firehose.models import firehose_backends

        return firehose_backends[self.account][self.region].delivery_streams.get(self.name)

    def destination(self) -> dict[str, Any]:
        model = self.model()
        return (s3_destination(model) if model is not None else None) or {}

    def _delivery_limits(self) -> tuple[int, float]:
        hints = self.destination().get("BufferingHints") or {}
        return (
            int(float(hints.get("SizeInMBs", DEFAULT_SIZE_MB)) * MIB),
            float(hints.get("IntervalInSeconds", DEFAULT_INTERVAL_S)),
        )

    def _processor_limits(self) -> tuple[int, float]:
        params = lambda_processor(self.destination()) or {}
        return (
            int(float(params.get("BufferSizeInMBs", DEFAULT_PROCESSOR_SIZE_MB)) * MIB),
            float(params.get("BufferIntervalInSeconds", DEFAULT_PROCESSOR_INTERVAL_S)),
        )

    def metric(self, **values: tuple[float, str]) -> None:
        metrics.firehose(self.account, self.region, self.name, {k.replace("_", "."): v for k, v in values.items()})

    # --- records in
    def accept(self, records: list[Record], from_kinesis: bool = False) -> None:
        size = sum(len(r.data) for r in records)
        counts = {"Records": (float(len(records)), "Count"), "Bytes": (float(size), "Bytes")}
        read = {f"DataReadFromKinesisStream_{k}": v for k, v in counts.items()} if from_kinesis else {}
        self.metric(**{f"Incoming{k}": v for k, v in counts.items()}, **read)
        if lambda_processor(self.destination()) is not None:
            self.transform_stage.add(records)
        else:
            self.delivery_stage.add(records)

    # --- acting as the stream's role
    def client(self, service: str, role_arn: str | None) -> Any | None:
        session = iam.service_session(
            role_arn, SERVICE, "firehose", self.region, source_account=self.account, external_id=self.account
        )
        if session is None:
            return None
        return _client(service, self.region, self._endpoint_url, session)

    # --- the Lambda transform
    def _transform(self, batch: list[Record]) -> None:
        params = lambda_processor(self.destination())
        if params is None:  # the processor was turned off while these records waited
            self.delivery_stage.add(batch)
            return
        function_arn = params.get("LambdaArn", "")
        retries = int(params.get("NumberOfRetries", DEFAULT_RETRIES))
        event: dict[str, Any] = {
            "invocationId": str(uuid.uuid4()),
            "deliveryStreamArn": self.arn,
            "region": self.region,
            "records": [self._event_record(r) for r in batch],
        }
        model = self.model()
        source = (model.source or {}) if model is not None else {}
        if source.get("KinesisStreamARN"):
            event = {**event, "sourceKinesisStreamArn": source["KinesisStreamARN"]}
        payload = json.dumps(event).encode()
        attempts = 0
        while True:
            attempts += 1
            started = time.monotonic()
            outcome = self._invoke(params.get("RoleArn") or self.destination().get("RoleARN"), function_arn, payload)
            self.metric(ExecuteProcessing_Duration=((time.monotonic() - started) * 1000, "Milliseconds"))
            if isinstance(outcome, dict):
                try:
                    kept, failed = judge(batch, outcome)
                except BatchRefused as refused:
                    outcome = refused.code, refused.message
                else:
                    self.metric(
                        ExecuteProcessing_Success=(1, "None"),
                        SucceedProcessing_Records=(len(kept), "Count"),
                        SucceedProcessing_Bytes=(sum(len(r.data) for r in kept), "Bytes"),
                    )
                    self.delivery_stage.add(kept)
                    self._write_failures(failed, function_arn)
                    return
            self.metric(ExecuteProcessing_Success=(0, "None"))
            if attempts > retries or self.stopped:
                code, message = outcome
                ended = now_ms()
                self._write_failures([Failure(r, code, message, attempts, ended) for r in batch], function_arn)
                return
            time.sleep(self._retry_delay_s * attempts)

    @staticmethod
    def _event_record(record: Record) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "recordId": record.record_id,
            "approximateArrivalTimestamp": record.arrival_ms,
            "data": base64.b64encode(record.data).decode(),
        }
        if record.kinesis is not None:
            entry["kinesisRecordMetadata"] = record.kinesis
        return entry

    def _invoke(self, role_arn: str | None, function_arn: str, payload: bytes) -> dict[str, Any] | tuple[str, str]:
        client = self.client("lambda", role_arn)
        if client is None:
            return (
                "Lambda.AssumeRoleAccessDenied",
                f"Access was denied while trying to assume the IAM role {role_arn}. Ensure that the role specified in"
                " the data transformation configuration has granted the Firehose service permission to assume it.",
            )
        try:
            answer = client.invoke(FunctionName=function_arn, Payload=payload)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            return LAMBDA_ERRORS.get(code, (f"Lambda.{code}", exc.response.get("Error", {}).get("Message", "")))
        except BotoCoreError as exc:
            return "Lambda.ServiceUnavailable", str(exc)
        body = answer["Payload"].read()
        if answer.get("FunctionError"):
            return "Lambda.FunctionError", FUNCTION_ERROR
        try:
            parsed = json.loads(body)
        except ValueError:
            return JSON_PROCESSING
        return parsed if isinstance(parsed, dict) else JSON_PROCESSING

    # --- S3
    def _deliver(self, batch: list[Record]) -> None:
        self._write(
            [r.arrival_ms for r in batch],
            lambda destination, moment: prefixes.delivered_prefix(destination.get("Prefix"), moment),
            b"".join(r.data for r in batch),
            is_error_output=False,
        )

    def _write_failures(self, failures: list[Failure], function_arn: str) -> None:
        if not failures:
            return
        lines = [
            json.dumps(
                {
                    "attemptsMade": f.attempts,
                    "arrivalTimestamp": f.record.arrival_ms,
                    "errorCode": f.code,
                    "errorMessage": f.message,
                    "attemptEndingTimestamp": f.ended_ms,
                    "rawData": base64.b64encode(f.record.data).decode(),
                    "lambdaARN": function_arn,
                }
            )
            for f in failures
        ]
        self._write(
            [f.record.arrival_ms for f in failures],
            lambda destination, moment: prefixes.error_prefix(
                destination.get("Prefix"), destination.get("ErrorOutputPrefix"), moment, "processing-failed"
            ),
            ("\n".join(lines) + "\n").encode(),
            is_error_output=True,
        )

    def _write(
        self,
        arrivals: list[int],
        prefix_at: Callable[[dict[str, Any], datetime], str],
        body: bytes,
        is_error_output: bool,
    ) -> None:
        """Queue one object: its prefix evaluated at the oldest record's arrival, its name at the stream's
        version and now, its body compressed as the destination says."""
        destination = self.destination()
        zone = prefixes.zone(destination.get("CustomTimeZone"))
        oldest = min(arrivals)
        model = self.model()
        name = prefixes.object_name(
            self.name,
            model.version_id if model is not None else "1",
            datetime.now(zone),
            destination.get("CompressionFormat") or "UNCOMPRESSED",
            destination.get("FileExtension"),
        )
        key = prefix_at(destination, datetime.fromtimestamp(oldest / 1000, zone)) + name
        self._enqueue(Write(key, self._compressed(destination, body), len(arrivals), oldest, is_error_output))

    @staticmethod
    def _compressed(destination: dict[str, Any], body: bytes) -> bytes:
        if (destination.get("CompressionFormat") or "UNCOMPRESSED") == "GZIP":
            return gzip.compress(body, mtime=0)
        return body

    def _enqueue(self, write: Write) -> None:
        with self._writes_lock:
            self._writes.append(write)
            if self._writing:
                return
            self._writing = True
        self._scheduler.submit(self._drain)

    def _drain(self) -> None:
        """Write the pending objects in order; a refused one waits and is tried again, holding those behind it."""
        while not self.stopped:
            with self._writes_lock:
                if not self._writes:
                    self._writing = False
                    return
                write = self._writes[0]
            error = self._put(write)
            write.attempts += 1
            if error is None or time.monotonic() - write.first_try > S3_RETRY_WINDOW_S:
                with self._writes_lock:
                    self._writes.popleft()
                continue
            wait = min(self._retry_delay_s * 2 ** min(write.attempts, 10), MAX_RETRY_WAIT_S)
            self._scheduler.submit(self._drain, wait)
            return
        with self._writes_lock:
            self._writing = False

    def _put(self, write: Write) -> tuple[str, str] | None:
        destination = self.destination()
        bucket = destination.get("BucketARN", "").rsplit(":", 1)[-1]
        started = now_ms()
        client = self.client("s3", destination.get("RoleARN"))
        error: tuple[str, str] | None = None
        if client is None:
            error = ("S3.AccessDenied", S3_ACCESS_DENIED)
        else:
            extra: dict[str, Any] = {}
            key_arn = ((destination.get("EncryptionConfiguration") or {}).get("KMSEncryptionConfig") or {}).get(
                "AWSKMSKeyARN"
            )
            if key_arn:
                extra = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": key_arn}
            try:
                client.put_object(Bucket=bucket, Key=write.key, Body=write.body, **extra)
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "InternalError")
                message = S3_ACCESS_DENIED if code == "AccessDenied" else exc.response["Error"].get("Message", "")
                error = (f"S3.{code}", message)
            except BotoCoreError as exc:
                error = ("S3.ServiceUnavailable", str(exc))
        if error is None:
            self.metric(DeliveryToS3_Success=(1, "None"))
            if not write.is_error_output:
                self.metric(
                    DeliveryToS3_Records=(write.records, "Count"),
                    DeliveryToS3_Bytes=(len(write.body), "Bytes"),
                    DeliveryToS3_DataFreshness=((started - write.oldest_ms) / 1000, "Seconds"),
                )
            return None
        self.metric(DeliveryToS3_Success=(0, "None"))
        self._log_error(destination, bucket, *error)
        return error

    def _log_error(self, destination: dict[str, Any], bucket: str, code: str, message: str) -> None:
        """The error in the destination's CloudWatch log stream, written as the role, when logging is on."""
        logging = destination.get("CloudWatchLoggingOptions") or {}
        if not logging.get("Enabled") or not logging.get("LogGroupName") or not logging.get("LogStreamName"):
            return
        client = self.client("logs", destination.get("RoleARN"))
        if client is None:
            return
        model = self.model()
        entry = {
            "deliveryStreamARN": self.arn,
            "destination": f"arn:aws:s3:::{bucket}",
            "deliveryStreamVersionId": int(model.version_id) if model is not None else 1,
            "message": message,
            "errorCode": code,
        }
        try:
            client.put_log_events(
                logGroupName=logging["LogGroupName"],
                logStreamName=logging["LogStreamName"],
                logEvents=[{"timestamp": now_ms(), "message": json.dumps(entry)}],
            )
        except (ClientError, BotoCoreError):
            pass  # as in AWS: a log Firehose may not write is not written

    def stop(self) -> None:
        self.stopped = self.transform_stage.stopped = self.delivery_stage.stopped = True


class BatchRefused(Exception):
    """A transform's answer outside the contract: the whole batch fails this attempt."""

    def __init__(self, refusal: tuple[str, str]) -> None:
        super().__init__(refusal[1])
        self.code, self.message = refusal


def judge(batch: list[Record], answer: dict[str, Any]) -> tuple[list[Record], list[Failure]]:
    """The records a transform answered for: (kept, failed); BatchRefused when the answer breaks the contract.
    A record the function marked ProcessingFailed counts one attempt, whatever the batch took."""
    returned = answer.get("records")
    if not isinstance(returned, list) or not all(isinstance(r, dict) for r in returned):
        raise BatchRefused(JSON_PROCESSING)
    by_id: dict[str, dict[str, Any]] = {}
    for entry in returned:
        if entry.get("recordId") in by_id:
            raise BatchRefused(DUPLICATED_IDS)
        by_id[str(entry.get("recordId"))] = entry
    if any(r.record_id not in by_id for r in batch):
        raise BatchRefused(MISSING_IDS)
    kept: list[Record] = []
    failed: list[Failure] = []
    ended = now_ms()
    for record in batch:
        entry = by_id[record.record_id]
        result = entry.get("result")
        if result == "Ok":
            try:
                data = base64.b64decode(entry.get("data") or "", validate=True)
            except ValueError:
                raise BatchRefused(JSON_PROCESSING) from None
            kept.append(Record(record.record_id, data, record.arrival_ms, record.kinesis))
        elif result == "ProcessingFailed":
            failed.append(
                Failure(record, "Lambda.ProcessingFailedStatus", "ProcessingFailed status set for record", 1, ended)
            )
        elif result != "Dropped":
            raise BatchRefused(JSON_PROCESSING)
    return kept, failed


_clients: dict[tuple[str, str, str], Any] = {}
_clients_lock = threading.Lock()


def _client(service: str, region: str, endpoint_url: str, session: dict[str, str]) -> Any:
    key = (service, region, session["AWS_ACCESS_KEY_ID"])
    with _clients_lock:
        if key not in _clients:
            _clients[key] = iam.session_client(service, region, endpoint_url, session, config=CLIENT_CONFIG)
        return _clients[key]
