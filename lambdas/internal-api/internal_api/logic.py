"""The service's contract: requests it understands, and the one envelope every answer comes in.

Every answer is `{"ok": true, "result": {...}}` or `{"ok": false, "error": {"type": ..., "message": ...}}`:
a caller handles a business error (an unknown SKU, too little stock) as data, never as a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SKU = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
RESERVATION_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MAX_QUANTITY = 10_000


class ServiceError(Exception):
    """An error the service answers with; `type` is part of the contract callers branch on."""

    type = "ServiceError"

    def envelope(self) -> dict[str, Any]:
        return {"ok": False, "error": {"type": self.type, "message": str(self)}}


class InvalidRequest(ServiceError):
    type = "InvalidRequest"


class NotFound(ServiceError):
    type = "NotFound"


class OutOfStock(ServiceError):
    type = "OutOfStock"


@dataclass(frozen=True)
class Get:
    sku: str


@dataclass(frozen=True)
class Reserve:
    sku: str
    quantity: int
    reservation_id: str


def ok(result: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "result": result}


def _sku(request: dict[str, Any]) -> str:
    sku = request.get("sku")
    if not isinstance(sku, str) or not SKU.match(sku):
        raise InvalidRequest("sku is required: 1-64 lowercase letters, digits or hyphens")
    return sku


def parse_request(request: Any) -> Get | Reserve:
    if not isinstance(request, dict):
        raise InvalidRequest(f"a request is a JSON object, not {type(request).__name__}")
    action = request.get("action")
    if action == "get":
        return Get(_sku(request))
    if action == "reserve":
        quantity = request.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
            raise InvalidRequest(f"quantity must be a whole number from 1 to {MAX_QUANTITY}")
        reservation_id = request.get("reservationId")
        if not isinstance(reservation_id, str) or not RESERVATION_ID.match(reservation_id):
            raise InvalidRequest(
                "reservationId is required (1-64 letters, digits, '.', '_' or '-'): "
                "a retried request with the same id reserves once"
            )
        return Reserve(_sku(request), quantity, reservation_id)
    raise InvalidRequest(f"action must be 'get' or 'reserve', not {action!r}")
