"""Which paths a batch of site changes invalidates, and the reference that makes a retry the same request."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

# CloudFront's invalidation paths: characters outside these are percent-encoded, as its docs ask.
_SAFE = "/-_.~!$&'()*+,;=:@"


class BadEvent(ValueError):
    """The event is not an S3 notification of site changes: retrying cannot help."""


@dataclass(frozen=True)
class Change:
    key: str  # the object's key, decoded
    sequencer: str  # S3's order of changes to this key: a new change has a new one


def change(key: str | None, sequencer: str | None) -> Change:
    if not key or not sequencer:
        raise BadEvent("an S3 record needs the object's key and sequencer")
    return Change(key, sequencer)


def paths(changes: Iterable[Change], root_object: str) -> list[str]:
    """Each changed key's path; the root object is also served as "/", so that path goes too."""
    found: list[str] = []
    for item in changes:
        for path in ("/" + quote(item.key, safe=_SAFE), "/" if item.key == root_object else None):
            if path is not None and path not in found:
                found.append(path)
    return found


def caller_reference(changes: Iterable[Change]) -> str:
    """The same changes give the same reference, whatever their order: CloudFront answers a repeated
    reference with the invalidation it already made, so a redelivered event invalidates once."""
    digest = hashlib.sha256("\n".join(sorted(f"{c.key}@{c.sequencer}" for c in changes)).encode())
    return f"site-changes-{digest.hexdigest()[:40]}"
