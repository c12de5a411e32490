"""What a queued request means and what its result is: plain functions, no AWS."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


class PoisonMessage(Exception):
    """A request that can never be processed; it ends in the dead-letter queue after its retries."""


@dataclass(frozen=True)
class WorkRequest:
    transaction_id: str
    customer: str
    amount: Decimal


def parse_request(transaction_id: str, body: str) -> WorkRequest:
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise PoisonMessage(f"{transaction_id}: body is not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise PoisonMessage(f"{transaction_id}: body must be a JSON object")
    customer = data.get("customer")
    if not isinstance(customer, str) or not customer.strip():
        raise PoisonMessage(f"{transaction_id}: 'customer' is required")
    try:
        amount = Decimal(str(data.get("amount")))
    except InvalidOperation:
        raise PoisonMessage(f"{transaction_id}: 'amount' must be a number") from None
    if not amount.is_finite() or amount <= 0:
        raise PoisonMessage(f"{transaction_id}: 'amount' must be positive")
    return WorkRequest(transaction_id=transaction_id, customer=customer.strip(), amount=amount)


def result_of(request: WorkRequest) -> dict[str, Any]:
    """The work itself: a fee computed per request (2.5%, rounded to cents)."""
    fee = (request.amount * Decimal("0.025")).quantize(Decimal("0.01"))
    return {"customer": request.customer, "amount": str(request.amount), "fee": str(fee)}
