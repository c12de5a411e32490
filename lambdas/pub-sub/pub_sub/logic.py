"""The three processors and the S3 notification they start from: plain functions, no AWS."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus


class UnprocessableUpload(Exception):
    """This processor can never handle this upload; it ends in this processor's dead-letter queue."""


@dataclass(frozen=True)
class Upload:
    bucket: str
    key: str
    size: int
    etag: str
    version_id: str | None


@dataclass(frozen=True)
class Output:
    key: str
    body: bytes
    content_type: str
    content_encoding: str | None = None


def uploads_in(message_body: str) -> list[Upload]:
    """The uploads an S3 event notification names; S3's test event names none."""
    try:
        event = json.loads(message_body)
    except json.JSONDecodeError as exc:
        raise UnprocessableUpload(f"message is not an S3 notification ({exc.msg})") from None
    if event.get("Event") == "s3:TestEvent":
        return []
    records = event.get("Records")
    if not isinstance(records, list):
        raise UnprocessableUpload("message is not an S3 notification: no Records")
    uploads = []
    for record in records:
        s3 = record.get("s3", {})
        obj = s3.get("object", {})
        if not str(record.get("eventName", "")).startswith("ObjectCreated") or "key" not in obj:
            raise UnprocessableUpload(f"not an object-created record: {record.get('eventName')!r}")
        uploads.append(
            Upload(
                bucket=s3["bucket"]["name"],
                key=unquote_plus(obj["key"]),
                size=int(obj.get("size", 0)),
                etag=obj.get("eTag", ""),
                version_id=obj.get("versionId"),
            )
        )
    return uploads


def metadata(upload: Upload, content: bytes, content_type: str) -> Output:
    """Facts about the upload; text statistics when it is UTF-8 text."""
    facts: dict[str, Any] = {
        "source": f"s3://{upload.bucket}/{upload.key}",
        "versionId": upload.version_id,
        "bytes": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "contentType": content_type,
    }
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        facts["text"] = False
    else:
        facts.update(text=True, lines=len(text.splitlines()), words=len(text.split()))
    return Output(
        key=f"metadata/{upload.key}.json",
        body=json.dumps(facts, sort_keys=True).encode(),
        content_type="application/json",
    )


def preview(upload: Upload, content: bytes, limit: int) -> Output:
    """The start of a text document, cut at a character boundary."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnprocessableUpload(f"{upload.key} is not UTF-8 text (byte {exc.start}): no preview") from None
    head = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    return Output(key=f"preview/{upload.key}.txt", body=head.encode("utf-8"), content_type="text/plain; charset=utf-8")


def compressed(upload: Upload, content: bytes) -> Output:
    """A gzip copy, byte-identical for the same content (mtime 0), so a redelivery rewrites the same object."""
    return Output(key=f"gzip/{upload.key}.gz", body=gzip.compress(content, mtime=0), content_type="application/gzip")
