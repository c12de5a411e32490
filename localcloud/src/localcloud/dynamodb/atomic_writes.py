"""DynamoDB writes applied atomically, as DynamoDB applies them.

moto checks a write's condition and then applies it without a lock, so two requests served by two
threads could both pass one condition (two callers each "first" to open a circuit breaker, to claim a
job, to take an idempotency key). Every write of the backend (PutItem, UpdateItem, DeleteItem,
BatchWriteItem, TransactWriteItems) now runs under one lock per backend: of concurrent writers racing
on a condition, exactly one wins and the others get ConditionalCheckFailedException.

Reads (GetItem, and so BatchGetItem and TransactGetItems item by item; Query; Scan) take the same lock and
answer a copy: moto's UpdateItem first stores a new item with its key alone and then applies the update to
it in place, so a read in between saw an item DynamoDB never holds (a ledger row without its balance).
"""

from __future__ import annotations

import copy
import functools
import threading
from typing import Any

from moto.dynamodb import models as dynamodb_models

WRITES = ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item")
READS = ("get_item", "query", "scan")
_lock = threading.RLock()  # one for all backends: writes are short, and a transaction may span tables


def install() -> None:
    Backend = dynamodb_models.DynamoDBBackend
    for name in WRITES:
        original = getattr(Backend, name)

        def serialized(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with _lock:
                return __original(self, *args, **kwargs)

        setattr(Backend, name, functools.wraps(original)(serialized))
    for name in READS:
        original = getattr(Backend, name)

        def snapshot(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with _lock:
                return copy.deepcopy(__original(self, *args, **kwargs))

        setattr(Backend, name, functools.wraps(original)(snapshot))
