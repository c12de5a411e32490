"""The three services' handlers: {action, bookingId, ...} -> the booking's record.

Errors the saga tells apart are exceptions with names it matches in Catch: a hotel or flight that
cannot be booked, a declined payment, a booking already undone.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, settings, store

logger = Logger()
tracer = Tracer()


def _reservation(event: dict[str, Any], subject: str, unavailable: type[Exception]) -> dict[str, Any]:
    booking_id = logic.booking_id(event)
    if event.get("action") == "cancel":
        return store.undo(booking_id, logic.RESERVATION, str(event.get("reason") or "the booking failed"))
    if event.get("action") != "reserve":
        raise logic.InvalidRequest("action must be reserve or cancel")
    wanted = logic.text(event, subject)
    # Stand-in for the provider's availability: anything marked sold out cannot be reserved.
    if wanted.upper().startswith("SOLD-OUT"):
        raise unavailable(f"{subject} {wanted} is sold out")
    return store.do(booking_id, logic.RESERVATION, {subject: wanted})


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def hotel(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return _reservation(event, "hotel", logic.RoomUnavailable)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def flight(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return _reservation(event, "flight", logic.FlightUnavailable)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def payment(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    booking_id = logic.booking_id(event)
    if event.get("action") == "refund":
        return store.undo(booking_id, logic.PAYMENT, str(event.get("reason") or "the booking failed"))
    if event.get("action") != "charge":
        raise logic.InvalidRequest("action must be charge or refund")
    amount, card = logic.amount(event), logic.text(event, "card")
    limit = settings.payment_limit()
    # Stand-in for the card network's answer.
    if card == "declined" or amount > limit:
        logger.info("payment declined", extra={"booking_id": booking_id, "amount": str(amount)})
        raise logic.PaymentDeclined(f"the card was declined for {amount}")
    return store.do(booking_id, logic.PAYMENT, {"amount": str(amount), "card": card[-4:]})
