"""View counters and the top-N index in DynamoDB: a read adds one to its article's counter, the
counters' stream feeds the ranker, which keeps one index item per board with optimistic locking."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Any

import boto3

from . import ranking

BOARD = "most-viewed"
WRITE_ATTEMPTS = 5


@lru_cache(maxsize=1)
def _dynamodb() -> Any:
    return boto3.client("dynamodb")


def count_view(article_id: str) -> None:
    _dynamodb().update_item(
        TableName=os.environ["VIEWS_TABLE"],
        Key={"articleId": {"S": article_id}},
        UpdateExpression="ADD #views :one",
        ExpressionAttributeNames={"#views": "views"},
        ExpressionAttributeValues={":one": {"N": "1"}},
    )


def _board() -> tuple[list[dict[str, Any]], int]:
    item = (
        _dynamodb()
        .get_item(TableName=os.environ["INDEX_TABLE"], Key={"board": {"S": BOARD}}, ConsistentRead=True)
        .get("Item")
    )
    if not item:
        return [], 0
    return json.loads(item["entries"]["S"]), int(item["version"]["N"])


def top() -> list[dict[str, Any]]:
    return _board()[0]


def apply_counts(counts: dict[str, int], size: int) -> list[dict[str, Any]]:
    """Merge counts into the board; a concurrent ranker's write makes this one read again and retry."""
    client = _dynamodb()
    for _ in range(WRITE_ATTEMPTS):
        entries, version = _board()
        merged = ranking.merge(entries, counts, size)
        if merged == entries:
            return entries
        try:
            client.put_item(
                TableName=os.environ["INDEX_TABLE"],
                Item={"board": {"S": BOARD}, "entries": {"S": json.dumps(merged)}, "version": {"N": str(version + 1)}},
                ConditionExpression="attribute_not_exists(board) OR version = :seen",
                ExpressionAttributeValues={":seen": {"N": str(version)}},
            )
            return merged
        except client.exceptions.ConditionalCheckFailedException:
            continue
    raise RuntimeError(f"the {BOARD} board kept changing under {WRITE_ATTEMPTS} attempts")
