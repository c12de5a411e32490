"""S3 events sent to EventBridge as S3 sends them: to the default bus of the bucket's account and region only,
with a new id, the time of the change, the object's real etag, version and sequencer, the request's id and
the reason (`PutObject`, `CopyObject`, `DeleteObject` ...), and delivered to the rules' targets through their
input transformers like any other event.

moto sent one canned event (a fixed request id, sequencer and IP address, `reason: ObjectCreated`, `eTag`)
to the rules of every bus, skipping input transformers, and reported every PutObject as tags added too.
"""

from __future__ import annotations

import itertools
import time
import uuid
from contextvars import ContextVar
from typing import Any

from moto.events.models import events_backends
from moto.s3 import notifications

from localcloud.xray.traces import INCOMING

REASONS = {
    "s3:ObjectCreated:Put": "PutObject",
    "s3:ObjectCreated:Post": "POST Object",
    "s3:ObjectCreated:Copy": "CopyObject",
    "s3:ObjectCreated:CompleteMultipartUpload": "CompleteMultipartUpload",
    "s3:ObjectRemoved:Delete": "DeleteObject",
    "s3:ObjectRemoved:DeleteMarkerCreated": "DeleteObject",
    "s3:LifecycleExpiration:Delete": "Lifecycle Expiration",
    "s3:LifecycleExpiration:DeleteMarkerCreated": "Lifecycle Expiration",
}
DELETION_TYPES = {
    "s3:ObjectRemoved:Delete": "Permanently Deleted",
    "s3:ObjectRemoved:DeleteMarkerCreated": "Delete Marker Created",
    "s3:LifecycleExpiration:Delete": "Permanently Deleted",
    "s3:LifecycleExpiration:DeleteMarkerCreated": "Delete Marker Created",
}
_sequence = itertools.count(1)


def s3_event(account_id: str, bucket: Any, event_name: str, key: Any) -> dict[str, Any] | None:
    """The event S3 puts on the default bus for a change to an object (AWS's EventBridge message structure);
    None for a change S3 does not send to EventBridge."""
    event_name = str(getattr(event_name, "value", event_name))
    kind = event_name.split(":")[1] if event_name.count(":") >= 2 else ""
    if kind not in ("ObjectCreated", "ObjectRemoved", "LifecycleExpiration", "ObjectTagging", "ObjectAcl"):
        return None
    obj: dict[str, Any] = {"key": key.name}
    if kind == "ObjectCreated":
        obj["size"] = key.size
    obj["etag"] = key.etag.replace('"', "")
    version = getattr(key, "version_id", None)
    if getattr(bucket, "is_versioned", False) and version and version != "null":
        obj["version-id"] = version
    if kind in ("ObjectCreated", "ObjectRemoved", "LifecycleExpiration"):
        obj["sequencer"] = f"{time.time_ns():016X}{next(_sequence):08X}"
    detail: dict[str, Any] = {
        "version": "0",
        "bucket": {"name": bucket.name},
        "object": obj,
        "request-id": uuid.uuid4().hex[:16].upper(),
        "requester": "s3.amazonaws.com" if kind == "LifecycleExpiration" else bucket.account_id,
    }
    if kind != "LifecycleExpiration":
        detail["source-ip-address"] = "127.0.0.1"
    if event_name in REASONS:
        detail["reason"] = REASONS[event_name]
    if event_name in DELETION_TYPES:
        detail["deletion-type"] = DELETION_TYPES[event_name]
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": notifications._detail_type(event_name),
        "source": "aws.s3",
        "account": bucket.account_id,
        "time": time.time(),  # epoch, as PutEvents keeps it: the targets see ISO 8601
        "region": bucket.region_name,
        "resources": [bucket.arn],
        "detail": detail,
        "ingestion-time": time.time(),  # EventBridge's own, for input transformers' <aws.events.event.ingestion-time>
    }


# Set while S3's PutObjectTagging API is answered: only then are tags "added" (moto also tags every PutObject,
# CopyObject and CompleteMultipartUpload, which S3 does not report as an ObjectTagging:Put event).
TAGGING_API: ContextVar[bool] = ContextVar("s3_tagging_api", default=False)


def _install_tagging_events() -> None:
    from moto.s3.responses import S3Response

    send_event, respond = notifications.send_event, S3Response.put_object_tagging

    def send_event_as_s3(account_id: str, event_name: Any, bucket: Any, key: Any) -> None:
        if event_name == notifications.S3NotificationEvent.OBJECT_TAGGING_PUT_EVENT and not TAGGING_API.get():
            return
        send_event(account_id, event_name, bucket, key)

    def put_object_tagging(self: Any) -> Any:
        token = TAGGING_API.set(True)
        try:
            return respond(self)
        finally:
            TAGGING_API.reset(token)

    notifications.send_event = send_event_as_s3
    S3Response.put_object_tagging = put_object_tagging


def install() -> None:
    _install_tagging_events()

    def send_event_bridge_message(account_id: str, bucket: Any, event_name: str, key: Any) -> None:
        event = s3_event(account_id, bucket, event_name, key)
        if event is None:
            return
        bus = events_backends[bucket.account_id][bucket.region_name].event_buses.get("default")
        token = INCOMING.set(None)  # S3's events carry no trace of the request that caused them
        try:
            for rule in list(bus.rules.values()) if bus is not None else []:
                if rule.state == "ENABLED":
                    try:  # S3 sends asynchronously: a failing rule never fails the object's request
                        rule.send_to_targets(event)
                    except Exception as exc:
                        print(f"s3 -> eventbridge: {rule.arn}: {exc!r}", flush=True)
        finally:
            INCOMING.reset(token)

    notifications._send_event_bridge_message = send_event_bridge_message
