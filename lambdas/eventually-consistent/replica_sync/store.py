"""The relational copy in PostgreSQL (RDS in AWS): one connection per execution environment, TLS on, as the
replicator's own database user (its credentials in the Secrets Manager secret DB_SECRET_ARN names). The
schema and the user are the migration's (MIGRATIONS, USERS below), run as the master user at deploy."""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

import boto3

from pattern_helpers import migrations, postgres
from pattern_helpers.migrations import Migration, User

from . import settings
from .logic import Change

# The relational copy's schema and its one user, applied at deploy time by the migration function
# (handler.migrate) as the master user: the replicator may read, insert and update customers, nothing else.
MIGRATIONS = (
    Migration(
        1,
        "customers",
        (
            # IF NOT EXISTS: databases from before migrations have the table the replicator created.
            """
            CREATE TABLE IF NOT EXISTS customers (
                id          text PRIMARY KEY,
                name        text,
                email       text,
                updated_at  timestamptz NOT NULL,
                version     bigint NOT NULL,
                deleted     boolean NOT NULL DEFAULT false
            )
            """,
        ),
    ),
    Migration(
        2,
        "customers' generations: a customer created again outranks its removal",
        ("ALTER TABLE customers ADD COLUMN IF NOT EXISTS generation bigint NOT NULL DEFAULT 0",),
    ),
)

USERS = (User("customer_replicator", ("GRANT SELECT, INSERT, UPDATE ON customers TO {user}",)),)


# Newer wins (Change.order): a replayed or out-of-order record changes nothing, and a customer created
# again after a removal outranks that removal.
UPSERT = """
INSERT INTO customers (id, name, email, updated_at, version, deleted, generation)
VALUES (:id, :name, :email, to_timestamp(:updated_ms / 1000.0), :version, :deleted, :generation)
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, updated_at = EXCLUDED.updated_at,
    version = EXCLUDED.version, deleted = EXCLUDED.deleted, generation = EXCLUDED.generation
WHERE (customers.generation, customers.version) < (EXCLUDED.generation, EXCLUDED.version)
"""


@lru_cache(maxsize=1)
def _secrets() -> Any:
    return boto3.client("secretsmanager")


@lru_cache(maxsize=1)
def connection() -> Any:
    where = settings.database()
    return postgres.connect_to(where, _secrets().get_secret_value(SecretId=where.secret_arn)["SecretString"])


def migrate() -> dict[str, list[Any]]:
    """The schema and the user brought up to date, as the master user (the migration function's DB_SECRET_ARN)."""
    return migrations.migrate(settings.database(), _secrets(), MIGRATIONS, USERS, settings.user_secrets())


def apply(change: Change) -> bool:
    """True when the copy took the change, False when it already had this version or a newer one."""
    db = connection()
    db.run(
        UPSERT,
        id=change.customer_id,
        name=change.name,
        email=change.email,
        updated_ms=change.updated_at_ms,
        version=change.version,
        deleted=change.deleted,
        generation=change.generation,
    )
    return bool(db.row_count)


def forget_connection() -> None:
    """After a connection error: the next record connects again."""
    try:
        connection().close()
    except Exception:  # noqa: BLE001 - it is being thrown away
        pass
    connection.cache_clear()


@lru_cache(maxsize=1)
def _dynamodb() -> Any:
    return boto3.client("dynamodb")


def put_customer(customer_id: str, name: str, email: str) -> dict[str, Any]:
    """Every write raises the version by one, and the first write of a customer's life records when it began:
    the order the copy follows, whatever order records arrive in."""
    attributes: dict[str, Any] = _dynamodb().update_item(
        TableName=settings.customers_table(),
        Key={"id": {"S": customer_id}},
        ReturnValues="ALL_NEW",
        UpdateExpression="SET #name = :name, email = :email, updatedAt = :now, "
        "version = if_not_exists(version, :zero) + :one, createdAt = if_not_exists(createdAt, :now)",
        ExpressionAttributeNames={"#name": "name"},
        ExpressionAttributeValues={
            ":name": {"S": name},
            ":email": {"S": email},
            ":now": {"N": str(int(time.time() * 1000))},
            ":zero": {"N": "0"},
            ":one": {"N": "1"},
        },
    )["Attributes"]
    return attributes


def customer(customer_id: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = (
        _dynamodb()
        .get_item(TableName=settings.customers_table(), Key={"id": {"S": customer_id}}, ConsistentRead=True)
        .get("Item")
    )
    return item
