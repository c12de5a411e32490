"""The articles in PostgreSQL (RDS in AWS), the source of truth: one connection per execution environment,
TLS on, as the function's own database user (its credentials in the Secrets Manager secret DB_SECRET_ARN
names), and a statement timeout so a slow or locked database answers the API with an error instead of
holding it. The schema and the users are the migration's (MIGRATIONS, USERS below), run as the master
user at deploy."""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import Any

import boto3

from pattern_helpers import migrations, postgres
from pattern_helpers.migrations import Migration, User

from . import logic, settings
from .logic import Article

SELECT = "SELECT id, title, body, author, version, updated_at FROM articles WHERE id = :id"

UPSERT = """
INSERT INTO articles AS a (id, title, body, author, version, updated_at)
VALUES (:id, :title, :body, :author, 1, now())
ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, author = EXCLUDED.author,
    version = a.version + 1, updated_at = now()
RETURNING id, title, body, author, version, updated_at
"""


# The articles' schema and who may do what with it, applied at deploy time by the migration function
# (handler.migrate) as the master user: the reader may only read, the writer read and write, neither may
# change the schema.
MIGRATIONS = (
    Migration(
        1,
        "articles",
        (
            # IF NOT EXISTS: databases from before migrations have the table the functions created.
            """
            CREATE TABLE IF NOT EXISTS articles (
                id          text PRIMARY KEY,
                title       text NOT NULL,
                body        text NOT NULL,
                author      text NOT NULL,
                version     bigint NOT NULL,
                updated_at  timestamptz NOT NULL
            )
            """,
        ),
    ),
)

USERS = (
    User("article_reader", ("GRANT SELECT ON articles TO {user}",)),
    User("article_writer", ("GRANT SELECT, INSERT, UPDATE ON articles TO {user}",)),
)


class DatabaseUnavailable(RuntimeError):
    """The database did not answer within the statement timeout, or could not be reached."""


@lru_cache(maxsize=1)
def _secrets() -> Any:
    return boto3.client("secretsmanager")


@lru_cache(maxsize=1)
def connection() -> Any:
    where = settings.database()
    db = postgres.connect_to(where, _secrets().get_secret_value(SecretId=where.secret_arn)["SecretString"])
    db.run(f"SET statement_timeout = {settings.statement_timeout_ms()}")
    return db


def migrate() -> dict[str, list[Any]]:
    """The schema and the users brought up to date, as the master user (the migration function's DB_SECRET_ARN)."""
    return migrations.migrate(settings.database(), _secrets(), MIGRATIONS, USERS, settings.user_secrets())


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


# -- the cache ------------------------------------------------------------------------------------------------
# The cache (ElastiCache Serverless in AWS): one TLS connection per execution environment that checks
# the server's certificate and name, and short socket timeouts so a cache problem costs a read its speed,
# never its answer.


@lru_cache(maxsize=1)
def cache_client() -> Any:
    import redis

    return redis.Redis(
        host=settings.cache_host(),
        port=settings.cache_port(),
        ssl=True,
        ssl_cert_reqs="required",
        ssl_check_hostname=True,
        decode_responses=True,
        socket_timeout=1,
        socket_connect_timeout=1,
    )


def cache_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.RedisError, OSError)


def cache_get(key: str) -> str | None:
    return cache_client().get(key)  # type: ignore[no-any-return]


def cache_put(key: str, value: str) -> None:
    cache_client().set(key, value, ex=settings.cache_ttl_seconds())


def cache_forget(key: str) -> None:
    cache_client().delete(key)


# -- the views ------------------------------------------------------------------------------------------------
# View counters and the top-N index in DynamoDB: a read adds one to its article's counter, the
# counters' stream feeds the ranker, which keeps one index item per board with optimistic locking.


BOARD = "most-viewed"
WRITE_ATTEMPTS = 5


@lru_cache(maxsize=1)
def _dynamodb() -> Any:
    return boto3.client("dynamodb")


def count_view(article_id: str) -> None:
    _dynamodb().update_item(
        TableName=settings.views_table(),
        Key={"articleId": {"S": article_id}},
        UpdateExpression="ADD #views :one",
        ExpressionAttributeNames={"#views": "views"},
        ExpressionAttributeValues={":one": {"N": "1"}},
    )


def _board() -> tuple[list[dict[str, Any]], int]:
    item = (
        _dynamodb()
        .get_item(TableName=settings.index_table(), Key={"board": {"S": BOARD}}, ConsistentRead=True)
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
        merged = logic.merge(entries, counts, size)
        if merged == entries:
            return entries
        try:
            client.put_item(
                TableName=settings.index_table(),
                Item={"board": {"S": BOARD}, "entries": {"S": json.dumps(merged)}, "version": {"N": str(version + 1)}},
                ConditionExpression="attribute_not_exists(board) OR version = :seen",
                ExpressionAttributeValues={":seen": {"N": str(version)}},
            )
            return merged
        except client.exceptions.ConditionalCheckFailedException:
            continue
    raise RuntimeError(f"the {BOARD} board kept changing under {WRITE_ATTEMPTS} attempts")
