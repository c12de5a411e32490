"""What a saga asks of a service, and the errors the saga tells apart: plain logic, no AWS calls.

Errors the saga tells apart are exceptions with names it matches in Catch: a hotel or flight that cannot be
booked, a declined payment, a booking already undone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


class BookingCancelled(Exception):
    """The booking was already undone: the saga gave up on it, so it may not be done again."""


@dataclass(frozen=True)
class Transition:
    done: str  # RESERVED, CHARGED
    undone: str  # CANCELLED, REFUNDED


RESERVATION = Transition(done="RESERVED", undone="CANCELLED")
PAYMENT = Transition(done="CHARGED", undone="REFUNDED")
BOOKING_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


class InvalidRequest(ValueError):
    """The saga sent something this service cannot act on."""


class RoomUnavailable(Exception):
    pass


class FlightUnavailable(Exception):
    pass


class PaymentDeclined(Exception):
    pass


def booking_id(event: dict[str, Any]) -> str:
    booking_id = event.get("bookingId")
    if not isinstance(booking_id, str) or not BOOKING_ID.match(booking_id):
        raise InvalidRequest("bookingId must be 1-64 letters, digits or hyphens")
    return booking_id


def text(event: dict[str, Any], name: str) -> str:
    value = event.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest(f"{name} is required")
    return value.strip()[:200]


def amount(event: dict[str, Any]) -> Decimal:
    try:
        amount = Decimal(str(event.get("amount")))
    except InvalidOperation as error:
        raise InvalidRequest("amount must be a number") from error
    if not amount.is_finite() or amount <= 0:
        raise InvalidRequest("amount must be more than zero")
    return amount
