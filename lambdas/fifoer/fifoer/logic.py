"""What a ledger event means and what it does to a balance: plain functions, no AWS."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

Kind = Literal["deposit", "withdrawal"]
Status = Literal["APPLIED", "REJECTED"]
KINDS: tuple[Kind, ...] = ("deposit", "withdrawal")


class PoisonMessage(Exception):
    """An event that can never be applied; it ends in the dead-letter queue after its retries."""


@dataclass(frozen=True)
class LedgerEvent:
    account: str
    kind: Kind
    amount: Decimal
    reference: str


@dataclass(frozen=True)
class Outcome:
    status: Status
    balance_after: Decimal
    reason: str | None = None


def parse_event(body: str, message_group_id: str) -> LedgerEvent:
    """The message group is the account: order is kept per group, so an event for another account is refused."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise PoisonMessage(f"body is not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise PoisonMessage("body must be a JSON object")
    account = data.get("account")
    if account != message_group_id:
        raise PoisonMessage(f"account {account!r} does not match message group {message_group_id!r}")
    kind = data.get("kind")
    if kind not in KINDS:
        raise PoisonMessage(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    try:
        amount = Decimal(str(data.get("amount")))
    except InvalidOperation:
        raise PoisonMessage("amount must be a number") from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise PoisonMessage("amount must be positive, in cents at most")
    reference = data.get("reference")
    if not isinstance(reference, str) or not reference.strip():
        raise PoisonMessage("reference is required")
    return LedgerEvent(account=account, kind=kind, amount=amount, reference=reference.strip())


def apply(balance: Decimal, event: LedgerEvent) -> Outcome:
    """A withdrawal beyond the balance is rejected (and recorded), never applied in part."""
    if event.kind == "deposit":
        return Outcome("APPLIED", balance + event.amount)
    if event.amount > balance:
        return Outcome("REJECTED", balance, f"insufficient funds: balance {balance}, withdrawal {event.amount}")
    return Outcome("APPLIED", balance - event.amount)
