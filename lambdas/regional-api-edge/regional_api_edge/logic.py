"""Product rules and the list's caching: plain typed functions, no AWS (that is store.py)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_NAME_LENGTH = 200
PRODUCT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
FIELDS = {"name", "price"}


class BadRequest(ValueError):
    """The client sent something we cannot accept (400); the message says what."""


class Unauthorized(Exception):
    """A write reached the function without an editor's claims (API Gateway's authorizer lets none through)."""


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    price: Decimal
    updated_by: str
    updated_at: str

    def to_dict(self) -> dict[str, Any]:
        # Stored as a DynamoDB number (exact); answered as a JSON number, whole prices without a fraction.
        return {
            "id": self.id,
            "name": self.name,
            "price": float(self.price) if self.price % 1 else int(self.price),
            "updatedBy": self.updated_by,
            "updatedAt": self.updated_at,
        }


def parse_product(product_id: str, body: str | None, editor: str, now: str) -> Product:
    """A PUT's path id and JSON body as a product the editor last changed now."""
    if not PRODUCT_ID.match(product_id):
        raise BadRequest("the product id must be 1-64 letters, digits, '-' or '_'")
    if body is None or not body.strip():
        raise BadRequest("request body is required: a JSON object with 'name' and 'price'")
    try:
        data = json.loads(body, parse_float=Decimal, parse_int=Decimal)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, dict):
        raise BadRequest("request body must be a JSON object")
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise BadRequest(f"unknown fields: {', '.join(unknown)}; allowed: name, price")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_LENGTH:
        raise BadRequest(f"'name' must be a non-empty string of at most {MAX_NAME_LENGTH} characters")
    price = data.get("price")
    if not isinstance(price, Decimal) or not price.is_finite() or price < 0:
        raise BadRequest("'price' must be a number of at least 0")
    return Product(product_id, name.strip(), price, editor, now)


def editor_of(claims: dict[str, Any] | None) -> str:
    """The signed-in editor: the ID token's sub, from the Cognito authorizer's claims."""
    subject = (claims or {}).get("sub")
    if not isinstance(subject, str) or not subject:
        raise Unauthorized("no editor's claims on the request")
    return subject


def product_from_record(record: dict[str, Any]) -> Product:
    try:
        price = Decimal(str(record["price"]))
    except (KeyError, InvalidOperation):
        price = Decimal(0)
    return Product(
        str(record["id"]), str(record.get("name", "")), price, str(record.get("updatedBy", "")),
        str(record.get("updatedAt", "")),
    )  # fmt: skip


def list_cache_control(max_age_seconds: int) -> str:
    """What the edge and browsers may do with the public list: keep it max_age seconds, or not at all."""
    if max_age_seconds <= 0:
        return "no-store"
    return f"public, max-age={max_age_seconds}"
