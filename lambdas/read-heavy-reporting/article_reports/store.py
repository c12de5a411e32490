"""The articles in PostgreSQL (RDS in AWS), the source of truth: one connection per execution environment,
TLS on, the master credentials read from the Secrets Manager secret RDS manages, and a statement timeout
so a slow or locked database answers the API with an error instead of holding it."""

from __future__ import annotations

import json
import os
import ssl
from datetime import datetime
from functools import lru_cache
from typing import Any

import boto3

from .articles import Article

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id          text PRIMARY KEY,
    title       text NOT NULL,
    body        text NOT NULL,
    author      text NOT NULL,
    version     bigint NOT NULL,
    updated_at  timestamptz NOT NULL
)
"""

SELECT = "SELECT id, title, body, author, version, updated_at FROM articles WHERE id = :id"

UPSERT = """
INSERT INTO articles AS a (id, title, body, author, version, updated_at)
VALUES (:id, :title, :body, :author, 1, now())
ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, author = EXCLUDED.author,
    version = a.version + 1, updated_at = now()
RETURNING id, title, body, author, version, updated_at
"""


class DatabaseUnavailable(RuntimeError):
    """The database did not answer within the statement timeout, or could not be reached."""


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
    db.run(f"SET statement_timeout = {int(os.environ.get('DB_STATEMENT_TIMEOUT_MS', '3000'))}")
    return db


def _forget_connection() -> None:
    try:
        connection().close()
    except Exception:  # noqa: BLE001 - it is being thrown away
        pass
    connection.cache_clear()


def _article(row: list[Any]) -> Article:
    updated: datetime = row[5]
    return Article(
        id=row[0], title=row[1], body=row[2], author=row[3], version=int(row[4]), updatedAt=updated.isoformat()
    )


def _run(sql: str, **params: Any) -> list[list[Any]]:
    import pg8000.native

    try:
        return connection().run(sql, **params)  # type: ignore[no-any-return]
    except (pg8000.native.DatabaseError, pg8000.native.InterfaceError, OSError) as error:
        _forget_connection()  # cancelled or broken: the next request connects again
        raise DatabaseUnavailable(str(error)) from error


def fetch(article_id: str) -> Article | None:
    rows = _run(SELECT, id=article_id)
    return _article(rows[0]) if rows else None


def save(article_id: str, title: str, body: str, author: str) -> Article:
    return _article(_run(UPSERT, id=article_id, title=title, body=body, author=author)[0])
