"""Which changes an S3 notice reports, which paths a batch of them invalidates, and the reference that makes a
retried batch the same request."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote_plus

# CloudFront's invalidation paths: characters outside these are percent-encoded, as its docs ask.
_SAFE = "/-_.~!$&'()*+,;=:@"


class BadEvent(ValueError):
    """A notice that is not S3's report of site changes: retrying cannot help."""


@dataclass(frozen=True)
class Change:
    key: str  # the object's key, decoded
    sequencer: str  # S3's order of changes to this key: a new change has a new one


def change(key: str | None, sequencer: str | None) -> Change:
    if not key or not sequencer:
        raise BadEvent("an S3 record needs the object's key and sequencer")
    return Change(key, sequencer)


def changes_in(notice: Any) -> list[Change]:
    """The changes an S3 event notification reports (none for the test event S3 sends when it is set up)."""
    if not isinstance(notice, dict):
        raise BadEvent("an S3 notice is a JSON object")
    if notice.get("Event") == "s3:TestEvent":
        return []
    records = notice.get("Records")
    if not isinstance(records, list) or not records:
        raise BadEvent("not an S3 notification: no Records")
    found = []
    for record in records:
        if not isinstance(record, dict) or record.get("eventSource") != "aws:s3":
            raise BadEvent(f"not an S3 record: {record.get('eventSource') if isinstance(record, dict) else record!r}")
        item = (record.get("s3") or {}).get("object") or {}
        # S3 URL-encodes keys in notices ("red flower.png" arrives as "red+flower.png").
        found.append(change(unquote_plus(str(item.get("key") or "")), item.get("sequencer")))
    return found


def paths(changes: Iterable[Change], root_object: str, max_paths: int) -> list[str]:
    """Each changed key's path (the root object is also served as "/", so that path goes too); past
    `max_paths`, "/*", which CloudFront bills as one path."""
    found: list[str] = []
    for item in changes:
        for path in ("/" + quote(item.key, safe=_SAFE), "/" if item.key == root_object else None):
            if path is not None and path not in found:
                found.append(path)
    return found if len(found) <= max_paths else ["/*"]


def caller_reference(changes: Iterable[Change]) -> str:
    """The same changes give the same reference, whatever their order: CloudFront answers a repeated
    reference with the invalidation it already made, so a batch delivered again invalidates once."""
    digest = hashlib.sha256("\n".join(sorted(f"{c.key}@{c.sequencer}" for c in changes)).encode())
    return f"site-changes-{digest.hexdigest()[:40]}"
