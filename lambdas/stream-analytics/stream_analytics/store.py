"""The windows table: one item per sensor, window and shard (and part, for a window ended early). Writing a
window again (a final invocation Lambda retries) puts the same item: nothing counts twice."""

from __future__ import annotations

import time
from decimal import Decimal
from functools import lru_cache
from typing import Any

import boto3

from . import settings
from .logic import Aggregate, window_key

BATCH = 25  # BatchWriteItem's limit


@lru_cache(maxsize=1)
def _dynamodb() -> Any:
    return boto3.client("dynamodb")


def _number(value: float) -> str:
    return str(Decimal(repr(value)))


def item_of(aggregate: Aggregate) -> dict[str, Any]:
    return {
        "sensor": {"S": aggregate.sensor},
        "window": {"S": window_key(aggregate)},
        "windowStart": {"S": aggregate.window_start},
        "windowEnd": {"S": aggregate.window_end},
        "shardId": {"S": aggregate.shard_id},
        "count": {"N": str(aggregate.count)},
        "sum": {"N": _number(aggregate.total)},
        "min": {"N": _number(aggregate.minimum)},
        "max": {"N": _number(aggregate.maximum)},
    }


def save(aggregates: list[Aggregate]) -> None:
    """Every aggregate written, or an error: the final invocation fails and Lambda retries it."""
    table = settings.windows_table()
    for start in range(0, len(aggregates), BATCH):
        pending = [{"PutRequest": {"Item": item_of(a)}} for a in aggregates[start : start + BATCH]]
        for attempt in range(8):
            answer = _dynamodb().batch_write_item(RequestItems={table: pending})
            pending = answer.get("UnprocessedItems", {}).get(table, [])
            if not pending:
                break
            time.sleep(min(2.0, 0.05 * 2**attempt))
        if pending:
            raise RuntimeError(f"{len(pending)} window aggregates left unwritten after retries")
