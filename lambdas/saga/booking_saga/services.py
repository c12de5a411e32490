"""The three services' handlers: {action, bookingId, ...} -> the booking's record.

Errors the saga tells apart are exceptions with names it matches in Catch: a hotel or flight that
cannot be booked, a declined payment, a booking already undone.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import ledger

logger = Logger()
tracer = Tracer()

RESERVATION = ledger.Transition(done="RESERVED", undone="CANCELLED")
PAYMENT = ledger.Transition(done="CHARGED", undone="REFUNDED")
BOOKING_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


class InvalidRequest(ValueError):
    """The saga sent something this service cannot act on."""


class RoomUnavailable(Exception):
    pass


class FlightUnavailable(Exception):
    pass


class PaymentDeclined(Exception):
    pass


def _booking_id(event: dict[str, Any]) -> str:
    booking_id = event.get("bookingId")
    if not isinstance(booking_id, str) or not BOOKING_ID.match(booking_id):
        raise InvalidRequest("bookingId must be 1-64 letters, digits or hyphens")
    return booking_id


def _text(event: dict[str, Any], name: str) -> str:
    value = event.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest(f"{name} is required")
    return value.strip()[:200]


def _reservation(event: dict[str, Any], subject: str, unavailable: type[Exception]) -> dict[str, Any]:
    booking_id = _booking_id(event)
    if event.get("action") == "cancel":
        return ledger.undo(booking_id, RESERVATION, str(event.get("reason") or "the booking failed"))
    if event.get("action") != "reserve":
        raise InvalidRequest("action must be reserve or cancel")
    wanted = _text(event, subject)
    # Stand-in for the provider's availability: anything marked sold out cannot be reserved.
    if wanted.upper().startswith("SOLD-OUT"):
        raise unavailable(f"{subject} {wanted} is sold out")
    return ledger.do(booking_id, RESERVATION, {subject: wanted})


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def hotel(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return _reservation(event, "hotel", RoomUnavailable)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def flight(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return _reservation(event, "flight", FlightUnavailable)


def _amount(event: dict[str, Any]) -> Decimal:
    try:
        amount = Decimal(str(event.get("amount")))
    except InvalidOperation as error:
        raise InvalidRequest("amount must be a number") from error
    if not amount.is_finite() or amount <= 0:
        raise InvalidRequest("amount must be more than zero")
    return amount


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def payment(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    booking_id = _booking_id(event)
    if event.get("action") == "refund":
        return ledger.undo(booking_id, PAYMENT, str(event.get("reason") or "the booking failed"))
    if event.get("action") != "charge":
        raise InvalidRequest("action must be charge or refund")
    amount, card = _amount(event), _text(event, "card")
    limit = Decimal(os.environ.get("PAYMENT_LIMIT", "10000"))
    # Stand-in for the card network's answer.
    if card == "declined" or amount > limit:
        logger.info("payment declined", extra={"booking_id": booking_id, "amount": str(amount)})
        raise PaymentDeclined(f"the card was declined for {amount}")
    return ledger.do(booking_id, PAYMENT, {"amount": str(amount), "card": card[-4:]})
