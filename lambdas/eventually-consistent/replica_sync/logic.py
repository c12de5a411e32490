"""A stream record of the customers table as a change the copy applies: plain logic, no AWS calls."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

CUSTOMER_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")


class InvalidCustomer(ValueError):
    """A request the API refuses, with the reason."""


class InvalidChange(ValueError):
    """A stream record the copy cannot apply (an item written around the API): reported, retried,
    bisected out of its batch and recorded in the on-failure queue."""


@dataclass(frozen=True)
class Change:
    customer_id: str
    version: int  # grows by one with every write of the customer
    updated_at_ms: int
    name: str | None
    email: str | None
    deleted: bool
    # When this life of the customer began (ms; 0 for customers written before it was recorded): a customer
    # deleted and created again starts at version 1, and must still outrank its own removal.
    generation: int = 0

    @property
    def order(self) -> tuple[int, int]:
        """The copy's ordering: later lives first, then later versions within a life."""
        return (self.generation, self.version)


def parse_customer(customer_id: str, body: Any) -> tuple[str, str]:
    if not CUSTOMER_ID.match(customer_id or ""):
        raise InvalidCustomer("the customer id must be 1-64 letters, digits or hyphens")
    if not isinstance(body, dict):
        raise InvalidCustomer("the body must be a JSON object with name and email")
    name, email = body.get("name"), body.get("email")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise InvalidCustomer("name must be 1-200 characters")
    if not isinstance(email, str) or not EMAIL.match(email):
        raise InvalidCustomer("email must be an email address")
    return name.strip(), email.lower()


def _value(image: dict[str, Any], name: str, kind: str) -> Any:
    value = image.get(name)
    return value.get(kind) if isinstance(value, dict) else None


def change_of(record: dict[str, Any]) -> Change:
    kind = record.get("eventName")
    stream = record.get("dynamodb") or {}
    image = stream.get("OldImage" if kind == "REMOVE" else "NewImage") or {}
    customer_id = _value(stream.get("Keys") or {}, "id", "S")
    version, updated = _value(image, "version", "N"), _value(image, "updatedAt", "N")
    generation = int(_value(image, "createdAt", "N") or 0)
    if kind not in ("INSERT", "MODIFY", "REMOVE") or not customer_id:
        raise InvalidChange("not a change of a customer")
    if version is None or updated is None:
        raise InvalidChange(f"customer {customer_id} has no version or updatedAt: written around the API")
    if kind == "REMOVE":
        # A removal outranks every version written before it.
        return Change(customer_id, int(version) + 1, int(updated), None, None, True, generation)
    return Change(
        customer_id,
        int(version),
        int(updated),
        _value(image, "name", "S"),
        _value(image, "email", "S"),
        False,
        generation,
    )


def customer_of(item: dict[str, Any]) -> dict[str, Any]:
    """The API's answer of a customer item as DynamoDB's low-level client returns it."""
    return {
        "id": item["id"]["S"],
        "name": item["name"]["S"],
        "email": item["email"]["S"],
        "version": int(item["version"]["N"]),
        "updatedAt": int(item["updatedAt"]["N"]),
    }
