"""Delivery streams' API as Firehose answers it, wired to the running side (`delivery.py`).

- CreateDeliveryStream and UpdateDestination refuse the prefixes Firehose refuses (`prefixes.validate`);
  a created stream with an S3 destination gets its `Hose`, and a Kinesis source its reader.
- PutRecord and PutRecordBatch check what Firehose checks (a Kinesis-source stream takes no puts; at most
  500 records, 1,000 KiB each, 4 MiB in all) and hand the records to the stream's buffers, answering each
  with its record id; `Encrypted` says whether server-side encryption is on.
- DeleteDeliveryStream stops the stream's timers and reader; records still buffered are gone, as in AWS.
"""

from __future__ import annotations

import base64
import threading
from typing import Any

from moto.core.utils import utcnow
from moto.firehose.exceptions import InvalidArgumentException, ResourceNotFoundException, ValidationException

from localcloud.core.not_emulated import NotEmulated
from localcloud.core.scheduler import Scheduler
from localcloud.firehose import prefixes
from localcloud.firehose.delivery import Hose, Record, now_ms, record_id, s3_destination, unsupported
from localcloud.firehose.kinesis_source import KinesisReader

MAX_BATCH_RECORDS, MAX_RECORD_BYTES, MAX_BATCH_BYTES = 500, 1_024_000, 4 * 1024 * 1024

_hoses: dict[str, Hose] = {}
_readers: dict[str, KinesisReader] = {}
_lock = threading.Lock()


def hose(arn: str) -> Hose | None:
    with _lock:
        return _hoses.get(arn)


def reader(arn: str) -> KinesisReader | None:
    with _lock:
        return _readers.get(arn)


def _validate(*configs: dict[str, Any] | None) -> None:
    for config in configs:
        if config:
            prefixes.validate(config.get("Prefix"), config.get("ErrorOutputPrefix"))


def _data(record: dict[str, Any]) -> bytes:
    data = record.get("Data", b"")
    return base64.b64decode(data) if isinstance(data, str) else bytes(data)


def install(endpoint_url: str, retry_delay_s: float) -> Scheduler:
    from moto.firehose.models import FirehoseBackend

    scheduler = Scheduler(workers=4, name="firehose")
    create, update, delete = (
        FirehoseBackend.create_delivery_stream,
        FirehoseBackend.update_destination,
        FirehoseBackend.delete_delivery_stream,
    )
    put_batch = FirehoseBackend.put_record_batch

    def create_delivery_stream(self: FirehoseBackend, region: str, name: str, *args: Any, **kwargs: Any) -> str:
        # (type, kinesis source, encryption, S3, extended S3, ...) as moto's response passes them
        _validate(args[3] if len(args) > 3 else None, args[4] if len(args) > 4 else None)
        arn = create(self, region, name, *args, **kwargs)
        model = self.delivery_streams[name]
        if s3_destination(model) is not None:
            running = Hose(arn, scheduler, endpoint_url, retry_delay_s)
            with _lock:
                _hoses[arn] = running
                source = model.source or {}
                if model.delivery_stream_type == "KinesisStreamAsSource" and source.get("KinesisStreamARN"):
                    _readers[arn] = KinesisReader(
                        running, scheduler, source["KinesisStreamARN"], source.get("RoleARN", ""), utcnow()
                    )
        return arn

    def update_destination(self: FirehoseBackend, name: str, *args: Any, **kwargs: Any) -> None:
        # (version, destination id, S3 update, extended S3 update, ...)
        _validate(args[2] if len(args) > 2 else None, args[3] if len(args) > 3 else None)
        update(self, name, *args, **kwargs)

    def delete_delivery_stream(self: FirehoseBackend, name: str) -> None:
        model = self.delivery_streams.get(name)
        delete(self, name)
        if model is not None:
            with _lock:
                running = _hoses.pop(model.delivery_stream_arn, None)
                _readers.pop(model.delivery_stream_arn, None)
            if running is not None:
                running.stop()

    def put_record_batch(self: FirehoseBackend, name: str, records: list[dict[str, Any]]) -> dict[str, Any]:
        model = self.delivery_streams.get(name)
        if model is None:
            raise ResourceNotFoundException(f"Firehose {name} under account {self.account_id} not found.")
        if model.delivery_stream_type == "KinesisStreamAsSource":
            raise InvalidArgumentException(
                "This operation is not permitted on KinesisStreamAsSource delivery stream type."
            )
        if len(records) > MAX_BATCH_RECORDS:
            raise ValidationException(
                "1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have "
                f"length less than or equal to {MAX_BATCH_RECORDS}"
            )
        datas = [_data(r) for r in records]
        for index, data in enumerate(datas, start=1):
            if len(data) > MAX_RECORD_BYTES:
                raise ValidationException(
                    f"1 validation error detected: Value at 'records.{index}.member.data' failed to satisfy "
                    f"constraint: Member must have length less than or equal to {MAX_RECORD_BYTES}"
                )
        if sum(len(d) for d in datas) > MAX_BATCH_BYTES:
            raise InvalidArgumentException("Records size exceeds 4 MB limit")
        running = hose(model.delivery_stream_arn)
        if running is None:  # an HTTP endpoint: moto posts the records itself
            if "HttpEndpoint" in model.destinations[0]:
                return put_batch(self, name, [{"Data": d} for d in datas])
            kinds = ", ".join(k for k in model.destinations[0] if k[0].isupper())
            raise NotEmulated("firehose", f"PutRecordBatch to a {kinds} destination")
        reason = unsupported(running.destination())
        if reason is not None:
            raise NotEmulated("firehose", f"PutRecordBatch to a delivery stream with {reason}")
        arrival = now_ms()
        accepted = [Record(record_id(), data, arrival) for data in datas]
        running.metric(IncomingPutRequests=(1, "Count"))
        running.accept(accepted)
        return {
            "FailedPutCount": 0,
            "Encrypted": _encrypted(model),
            "RequestResponses": [{"RecordId": r.record_id} for r in accepted],
        }

    def put_record(self: FirehoseBackend, name: str, record: dict[str, Any]) -> dict[str, Any]:
        answer = put_record_batch(self, name, [record])
        return {"RecordId": answer["RequestResponses"][0]["RecordId"], "Encrypted": answer["Encrypted"]}

    FirehoseBackend.create_delivery_stream = create_delivery_stream  # type: ignore[method-assign]
    FirehoseBackend.update_destination = update_destination  # type: ignore[method-assign]
    FirehoseBackend.delete_delivery_stream = delete_delivery_stream  # type: ignore[method-assign]
    FirehoseBackend.put_record_batch = put_record_batch  # type: ignore[method-assign]
    FirehoseBackend.put_record = put_record  # type: ignore[method-assign]
    return scheduler


def _encrypted(model: Any) -> bool:
    config = model.delivery_stream_encryption_configuration or {}
    return config.get("Status", "ENABLED" if config.get("KeyType") else "DISABLED") == "ENABLED"
