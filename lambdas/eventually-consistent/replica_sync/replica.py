"""The relational copy in PostgreSQL (RDS in AWS): one connection per execution environment, TLS on, the
master credentials read from the Secrets Manager secret RDS manages."""

from __future__ import annotations

import json
import os
import ssl
from functools import lru_cache
from typing import Any

import boto3

from .changes import Change

SCHEMA = """
CREATE TABLE IF NOT EXISTS customers (
    id          text PRIMARY KEY,
    name        text,
    email       text,
    updated_at  timestamptz NOT NULL,
    version     bigint NOT NULL,
    deleted     boolean NOT NULL DEFAULT false
)
"""

# Newer wins: a replayed or out-of-order record (a lower version) changes nothing.
UPSERT = """
INSERT INTO customers (id, name, email, updated_at, version, deleted)
VALUES (:id, :name, :email, to_timestamp(:updated_ms / 1000.0), :version, :deleted)
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, updated_at = EXCLUDED.updated_at,
    version = EXCLUDED.version, deleted = EXCLUDED.deleted
WHERE customers.version < EXCLUDED.version
"""


def _tls() -> ssl.SSLContext | None:
    mode = os.environ.get("DB_TLS", "require")
    if mode == "disable":
        return None
    context = ssl.create_default_context(cafile=os.environ.get("DB_CA_BUNDLE") or None)
    if mode == "require":  # encrypted; the server's certificate is not checked (verify-full checks it)
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return context


@lru_cache(maxsize=1)
def connection() -> Any:
    import pg8000.native

    secret = boto3.client("secretsmanager").get_secret_value(SecretId=os.environ["DB_SECRET_ARN"])
    credentials = json.loads(secret["SecretString"])
    db = pg8000.native.Connection(
        credentials["username"],
        password=credentials["password"],
        host=os.environ["DB_HOST"],
        port=int(os.environ["DB_PORT"]),
        database=os.environ["DB_NAME"],
        ssl_context=_tls(),
        timeout=10,
    )
    db.run(SCHEMA)
    return db


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
    )
    return bool(db.row_count)


def forget_connection() -> None:
    """After a connection error: the next record connects again."""
    try:
        connection().close()
    except Exception:  # noqa: BLE001 - it is being thrown away
        pass
    connection.cache_clear()
