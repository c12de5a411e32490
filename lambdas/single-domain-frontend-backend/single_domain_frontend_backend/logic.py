"""Message rules: plain typed functions, no AWS (that is store.py)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

BOARD = "main"
MAX_AUTHOR = 50
MAX_TEXT = 500
LISTED = 50


class BadRequest(ValueError):
    """The client sent something we cannot accept (400); the message says what."""


class UnsupportedMediaType(ValueError):
    """The body is not declared JSON (415): a cross-site form can post text/plain, never application/json."""


def require_json(content_type: str | None) -> None:
    if (content_type or "").split(";")[0].strip().lower() != "application/json":
        raise UnsupportedMediaType("send the message as JSON (Content-Type: application/json)")


@dataclass(frozen=True)
class Message:
    posted: str  # ISO time, then a random suffix: unique, and newest last in the table's sort order
    author: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.posted, "author": self.author, "text": self.text}


def parse_message(body: str | None, now: datetime, suffix: str | None = None) -> Message:
    """A POST's JSON body as a message posted now."""
    if body is None or not body.strip():
        raise BadRequest("request body is required: a JSON object with 'author' and 'text'")
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, dict):
        raise BadRequest("request body must be a JSON object")
    unknown = sorted(set(data) - {"author", "text"})
    if unknown:
        raise BadRequest(f"unknown fields: {', '.join(unknown)}; allowed: author, text")
    author, text = _text(data, "author", MAX_AUTHOR), _text(data, "text", MAX_TEXT)
    posted = f"{now.isoformat(timespec='microseconds')}#{suffix or uuid.uuid4().hex[:8]}"
    return Message(posted, author, text)


def _text(data: dict[str, Any], field: str, longest: int) -> str:
    value = data.get(field)
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > longest:
        raise BadRequest(f"'{field}' must be a non-empty string of at most {longest} characters")
    return value.strip()


def message_from_record(record: dict[str, Any]) -> Message:
    return Message(str(record["posted"]), str(record.get("author", "")), str(record.get("text", "")))
