"""The ledger table: one ACCOUNT item per account, ENTRY#<position> items in applied order, and
DEDUP#<id> markers. The three are written in one transaction, so an event's effect and the record
that it happened cannot be separated by a crash: a redelivery finds the marker and changes nothing.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

import boto3
from boto3.dynamodb.types import TypeSerializer
from botocore.exceptions import ClientError

from . import logic, settings

_serialize = TypeSerializer().serialize


class ConcurrentUpdate(Exception):
    """The account changed between read and write; the message is retried (and then finds its marker)."""


@lru_cache(maxsize=1)
def _dynamodb() -> Any:
    return boto3.client("dynamodb")


def _key(account: str, sort_key: str) -> dict[str, Any]:
    return {"pk": {"S": account}, "sk": {"S": sort_key}}


def entry_key(position: int) -> str:
    return f"ENTRY#{position:012d}"


def apply_once(
    event: logic.LedgerEvent, deduplication_id: str, sequence_number: str
) -> tuple[Literal["applied", "duplicate"], logic.Outcome | None]:
    table = settings.ledger_table()
    account = (
        _dynamodb().get_item(TableName=table, Key=_key(event.account, "ACCOUNT"), ConsistentRead=True).get("Item", {})
    )
    balance = Decimal(account["balance"]["N"]) if "balance" in account else Decimal(0)
    version = int(account["version"]["N"]) if "version" in account else 0
    outcome = logic.apply(balance, event)
    position = version + 1
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    entry = {
        "kind": event.kind,
        "amount": event.amount,
        "reference": event.reference,
        "status": outcome.status,
        "balanceAfter": outcome.balance_after,
        "position": position,
        "deduplicationId": deduplication_id,
        "sequenceNumber": sequence_number,
        "processedAt": now,
    }
    if outcome.reason:
        entry["reason"] = outcome.reason
    expires = int(time.time()) + settings.deduplication_days() * 86400
    try:
        _dynamodb().transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": table,
                        "Key": _key(event.account, "ACCOUNT"),
                        "UpdateExpression": "SET balance = :balance, version = :position, updatedAt = :now",
                        "ConditionExpression": "attribute_not_exists(version) OR version = :version",
                        "ExpressionAttributeValues": {
                            ":balance": _serialize(outcome.balance_after),
                            ":position": _serialize(position),
                            ":version": _serialize(version),
                            ":now": _serialize(now),
                        },
                    }
                },
                {
                    "Put": {
                        "TableName": table,
                        "ConditionExpression": "attribute_not_exists(pk)",
                        "Item": {
                            **_key(event.account, f"DEDUP#{deduplication_id}"),
                            "position": _serialize(position),
                            "expiresAt": _serialize(expires),
                        },
                    }
                },
                {
                    "Put": {
                        "TableName": table,
                        "Item": {
                            **_key(event.account, entry_key(position)),
                            **{k: _serialize(v) for k, v in entry.items()},
                        },
                    }
                },
            ]
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "TransactionCanceledException":
            raise
        reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
        if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
            return "duplicate", None
        raise ConcurrentUpdate(f"account {event.account} changed while applying {deduplication_id}") from exc
    return "applied", outcome
