"""DynamoDB: writes applied atomically, as DynamoDB applies them."""

from __future__ import annotations

from localcloud.extension import Context, Extension, Feature


def install(context: Context) -> None:
    from localcloud.dynamodb import atomic_writes

    atomic_writes.install()


EXTENSION = Extension(
    service="dynamodb",
    summary="conditional writes atomic under concurrency",
    install=install,
    features=(
        Feature(
            title="DynamoDB writes are atomic.",
            does=(
                "Every write (`PutItem`, `UpdateItem`, `DeleteItem`, `BatchWriteItem`, `TransactWriteItems`) checks its "
                "condition and applies under one lock, so of concurrent writers racing on a condition exactly one wins "
                "and the others get `ConditionalCheckFailedException`, as in DynamoDB (circuit breakers, claims, "
                "idempotency keys rely on it). Reads (`GetItem`, `BatchGetItem` and `TransactGetItems` item by item, "
                "`Query`, `Scan`) wait for a write in progress and answer what it left, never an item half-updated."
            ),
            moto_without=(
                "the condition checked, then the write applied, without a lock: two threads could both pass (a P21 run in"
                " CI opened its breaker twice under load); a read during an `UpdateItem` of a new item saw its key alone "
                "(a prod rehearsal's ledger row without its balance)"
            ),
            code=("dynamodb/atomic_writes.py",),
            tests=("localcloud/dynamodb/test_dynamodb_conditions.py",),
        ),
    ),
)
