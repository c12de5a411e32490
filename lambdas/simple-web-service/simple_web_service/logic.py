"""Request validation and item rules: plain functions, no AWS."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 2000
ALLOWED_FIELDS = {"name", "description"}


class BadRequest(Exception):
    """The client sent something we cannot accept (400)."""


class NotFound(Exception):
    """No item has that id (404)."""


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    description: str
    created_at: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "description": self.description, "created_at": self.created_at}


@dataclass(frozen=True)
class PageRequest:
    limit: int
    cursor: dict[str, Any] | None


def parse_new_item(body: str | None, *, now: datetime | None = None, new_id: str | None = None) -> Item:
    """Validate a create request's JSON body and turn it into an item."""
    if body is None or not body.strip():
        raise BadRequest("request body is required: a JSON object with a 'name'")
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, dict):
        raise BadRequest("request body must be a JSON object")
    unknown = sorted(set(data) - ALLOWED_FIELDS)
    if unknown:
        raise BadRequest(f"unknown fields: {', '.join(unknown)}; allowed: description, name")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise BadRequest("'name' is required and must be a non-empty string")
    if len(name) > MAX_NAME_LENGTH:
        raise BadRequest(f"'name' must be at most {MAX_NAME_LENGTH} characters")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise BadRequest("'description' must be a string")
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise BadRequest(f"'description' must be at most {MAX_DESCRIPTION_LENGTH} characters")
    created = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    return Item(id=new_id or str(uuid.uuid4()), name=name.strip(), description=description, created_at=created)


def parse_item_id(path_parameters: Mapping[str, str] | None) -> str:
    """The {id} path parameter, which must be a UUID."""
    raw = (path_parameters or {}).get("id")
    if not raw:
        raise BadRequest("path parameter 'id' is required")
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise BadRequest(f"'{raw[:64]}' is not a valid item id (expected a UUID)") from None


def parse_page_request(query: Mapping[str, str] | None, max_page_size: int) -> PageRequest:
    """?limit=N&cursor=... for list."""
    query = query or {}
    raw_limit = query.get("limit", str(min(25, max_page_size)))
    try:
        limit = int(raw_limit)
    except ValueError:
        raise BadRequest(f"'limit' must be an integer, got '{raw_limit[:32]}'") from None
    if not 1 <= limit <= max_page_size:
        raise BadRequest(f"'limit' must be between 1 and {max_page_size}")
    cursor = decode_cursor(query["cursor"]) if query.get("cursor") else None
    return PageRequest(limit=limit, cursor=cursor)


def encode_cursor(last_key: Mapping[str, Any] | None) -> str | None:
    if not last_key:
        return None
    return base64.urlsafe_b64encode(json.dumps(dict(last_key), sort_keys=True).encode()).decode()


def decode_cursor(cursor: str) -> dict[str, Any]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadRequest("'cursor' is not a cursor this API returned") from None
    if not isinstance(key, dict) or set(key) != {"id"} or not isinstance(key["id"], str):
        raise BadRequest("'cursor' is not a cursor this API returned")
    return key


def item_from_record(record: Mapping[str, Any]) -> Item:
    return Item(
        id=record["id"], name=record["name"], description=record.get("description", ""), created_at=record["created_at"]
    )
