"""The results table adapter; the client is made once per cold start."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import boto3

from . import settings


@lru_cache(maxsize=1)
def _results() -> Any:
    return boto3.resource("dynamodb").Table(settings.results_table())


def save_result(transaction_id: str, result: dict[str, Any]) -> None:
    _results().put_item(
        Item={
            "transactionId": transaction_id,
            "status": "DONE",
            "result": result,
            "processedAt": datetime.now(UTC).isoformat(timespec="milliseconds"),
        }
    )
