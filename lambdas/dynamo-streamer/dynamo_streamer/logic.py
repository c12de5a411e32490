"""What a stream record of the messages table means: one change of one message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ChangeKind = Literal["INSERT", "MODIFY", "REMOVE"]
SEQUENCE_DIGITS = 40  # DynamoDB stream sequence numbers have up to 40 digits


class InvalidChange(ValueError):
    """A record the change log cannot hold (an item written around the API's validation); the batch
    reports it, Lambda retries and bisects, and then records it in the on-failure queue."""


@dataclass(frozen=True)
class Change:
    message_id: str
    sequence: str
    kind: ChangeKind
    text: str | None
    author: str | None
    changed_at: int  # epoch seconds, when DynamoDB recorded the change

    @property
    def sort_key(self) -> str:
        """Orders a message's changes as the stream did (sequence numbers compare as numbers)."""
        return self.sequence.zfill(SEQUENCE_DIGITS)


def _string(image: dict[str, Any], name: str) -> str | None:
    value = image.get(name)
    return value.get("S") if isinstance(value, dict) else None


def change_of(record: dict[str, Any]) -> Change:
    kind = record.get("eventName")
    if kind not in ("INSERT", "MODIFY", "REMOVE"):
        raise InvalidChange(f"not a DynamoDB stream record (eventName {kind!r})")
    stream = record.get("dynamodb") or {}
    message_id = _string(stream.get("Keys") or {}, "id")
    sequence = str(stream.get("SequenceNumber") or "")
    if not message_id or not sequence.isdigit():
        raise InvalidChange("a stream record without the message's id or a sequence number")
    image = stream.get("NewImage") or {}
    text, author = _string(image, "message"), _string(image, "author")
    if kind != "REMOVE" and not text:
        raise InvalidChange(f"message {message_id} has no text: it was written around the API's validation")
    return Change(
        message_id=message_id,
        sequence=sequence,
        kind=kind,
        text=text if kind != "REMOVE" else None,
        author=author if kind != "REMOVE" else None,
        changed_at=int(stream.get("ApproximateCreationDateTime") or 0),
    )
