"""P24 read-heavy reporting: articles read cache-aside from a real Redis (the local cloud's ElastiCache
Serverless) in front of a real PostgreSQL (its RDS), invalidated on write, and a most-viewed board kept
from the view counters' stream."""

from __future__ import annotations

import json
import ssl
import threading
import time
import uuid
from collections.abc import Iterator

import pytest

from harness import (
    Stack,
    applied_stack,
    as_role,
    authorized,
    certificate_authority,
    drain_queue,
    http_api_call,
    package_zip,
    postgres_as,
    postgres_as_master,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "read-heavy-reporting",
        local_cloud,
        tmp_path_factory.mktemp("p24"),
        code="p24",
        variables={"package_path": str(package_zip("read-heavy-reporting"))},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict:
    return stack.outputs["reports"]


@pytest.fixture(scope="module")
def database(stack):
    """A connection as the master user, as a report writer or an operator would have."""
    connection = postgres_as_master(stack, outputs(stack)["database"])
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def cache(stack):
    """A client of the cache that verifies it as the functions do (the local cloud's authority)."""
    import redis

    endpoint = outputs(stack)["cache"]
    client = redis.Redis(
        host=endpoint["address"],
        port=int(endpoint["port"]),
        ssl=True,
        ssl_ca_data=certificate_authority(stack.cloud),
        ssl_check_hostname=True,
        decode_responses=True,
        socket_timeout=5,
    )
    yield client
    client.close()


def put(stack: Stack, article_id: str, **fields: str):
    body = {"title": "Quarterly figures", "body": "Revenue grew.", "author": "Grace", **fields}
    return http_api_call(stack, outputs(stack)["api_id"], "PUT", f"articles/{article_id}", json.dumps(body))


def get(stack: Stack, path: str):
    return http_api_call(stack, outputs(stack)["api_id"], "GET", path)


def served_from(answer) -> str | None:
    """The reader's x-cache header: hit (the cache answered) or miss (the database did)."""
    return {name.lower(): value for name, value in answer.headers.items()}.get("x-cache")


def new_article(stack: Stack, **fields: str) -> str:
    article_id = f"a-{uuid.uuid4().hex[:8]}"
    answer = put(stack, article_id, **fields)
    assert answer.status == 200, answer.text
    return article_id


class TableLock:
    """Holds an exclusive lock on the articles table: any query of it waits (then times out) until released,
    so a read that answers meanwhile did not query the database."""

    def __init__(self, database) -> None:
        self.database = database

    def __enter__(self) -> TableLock:
        self.database.run("BEGIN")
        self.database.run("LOCK TABLE articles IN ACCESS EXCLUSIVE MODE")
        return self

    def __exit__(self, *exc: object) -> None:
        self.database.run("ROLLBACK")


def test_a_second_read_is_served_from_the_cache_without_a_database_query(stack, database, cache):
    article_id = new_article(stack, title="Top sellers")
    first = get(stack, f"articles/{article_id}")
    assert first.status == 200 and served_from(first) == "miss", first.text
    assert 0 < cache.ttl(f"article:{article_id}") <= 60  # the example's TTL bounds how stale it can get
    uncached = new_article(stack)
    with TableLock(database):
        started = time.monotonic()
        second = get(stack, f"articles/{article_id}")
        assert second.status == 200 and served_from(second) == "hit", second.text
        assert second.json() == first.json() and time.monotonic() - started < 2
        # The control: a read that needs the database waits on the lock until the statement timeout.
        assert get(stack, f"articles/{uncached}").status == 503


@pytest.mark.failure_mode
def test_a_write_invalidates_the_cached_entry(stack, cache):
    article_id = new_article(stack, title="Draft")
    assert get(stack, f"articles/{article_id}").json()["title"] == "Draft"
    assert cache.exists(f"article:{article_id}")
    assert put(stack, article_id, title="Final").status == 200
    assert not cache.exists(f"article:{article_id}")
    after = get(stack, f"articles/{article_id}")
    assert served_from(after) == "miss" and after.json()["title"] == "Final" and after.json()["version"] == 2
    assert served_from(get(stack, f"articles/{article_id}")) == "hit"


@pytest.mark.failure_mode
def test_a_slow_database_answers_503_within_the_statement_timeout_and_caches_nothing(stack, database, cache):
    article_id = new_article(stack)
    with TableLock(database):
        started = time.monotonic()
        answer = get(stack, f"articles/{article_id}")
        waited = time.monotonic() - started
    assert answer.status == 503 and "try again" in answer.json()["message"]
    assert 2.5 < waited < 8, waited  # the example's 3 s statement timeout, not the function's 10 s
    assert not cache.exists(f"article:{article_id}")
    assert get(stack, f"articles/{article_id}").status == 200  # the next read connects again


def board(stack: Stack) -> list[dict]:
    answer = get(stack, "reports/most-viewed")
    assert answer.status == 200, answer.text
    return answer.json()["articles"]


def test_reads_rank_articles_on_the_most_viewed_board(stack):
    ids = [new_article(stack) for _ in range(4)]
    reads = dict(zip(ids, (9, 12, 7, 10), strict=True))

    def read(article_id: str, times: int) -> None:
        for _ in range(times):
            assert get(stack, f"articles/{article_id}").status == 200

    readers = [threading.Thread(target=read, args=item) for item in reads.items()]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()
    expected = [{"id": ids[1], "views": 12}, {"id": ids[3], "views": 10}, {"id": ids[0], "views": 9}]
    deadline = time.monotonic() + 30
    while board(stack) != expected and time.monotonic() < deadline:
        time.sleep(0.5)
    assert board(stack) == expected


@pytest.mark.failure_mode
def test_a_replayed_or_late_view_record_does_not_change_the_board(stack):
    if not board(stack):
        assert get(stack, f"articles/{new_article(stack)}").status == 200
        deadline = time.monotonic() + 30
        while not board(stack) and time.monotonic() < deadline:
            time.sleep(0.5)
    before = board(stack)
    leader = before[0]
    late = {
        "eventID": "late",
        "eventName": "MODIFY",
        "eventSource": "aws:dynamodb",
        "eventVersion": "1.1",
        "dynamodb": {
            "Keys": {"articleId": {"S": leader["id"]}},
            "SequenceNumber": "1",
            "SizeBytes": 1,
            "StreamViewType": "NEW_IMAGE",
            "NewImage": {"articleId": {"S": leader["id"]}, "views": {"N": "1"}},
        },
    }
    answer = stack.client("lambda").invoke(
        FunctionName=outputs(stack)["function_names"]["ranker"], Payload=json.dumps({"Records": [late, late]})
    )
    assert json.loads(answer["Payload"].read()) == {"batchItemFailures": []}
    assert board(stack) == before


@pytest.mark.failure_mode
def test_a_counter_written_around_the_reader_is_bisected_out_to_the_on_failure_queue(stack):
    ddb, table = stack.client("dynamodb"), outputs(stack)["views_table_name"]
    ddb.put_item(TableName=table, Item={"articleId": {"S": "written-around"}, "views": {"S": "many"}})
    messages = drain_queue(stack.client("sqs"), outputs(stack)["dlq_url"], wait_s=30)
    assert messages, "the bad record never reached the on-failure queue"
    info = json.loads(messages[0]["Body"])["DDBStreamBatchInfo"]
    assert info["batchSize"] == 1
    assert all(entry["id"] != "written-around" for entry in board(stack))


@pytest.mark.failure_mode
@pytest.mark.parametrize(
    "path, body, status",
    [
        ("articles/a-1", {"title": "", "body": "x", "author": "y"}, 400),
        ("articles/a-1", {"title": "t", "body": "x", "author": "y", "admin": True}, 400),
        ("articles/not%20an%20id", {"title": "t", "body": "x", "author": "y"}, 400),
    ],
)
def test_invalid_articles_are_refused_by_the_api(stack, path, body, status):
    answer = http_api_call(stack, outputs(stack)["api_id"], "PUT", path, json.dumps(body))
    assert answer.status == status, answer.text


def test_an_unknown_article_is_404_and_not_cached(stack, cache):
    assert get(stack, "articles/never-written").status == 404
    assert not cache.exists("article:never-written")


@pytest.mark.failure_mode
def test_each_function_may_use_only_its_own_resources(stack):
    out = outputs(stack)
    roles = out["role_names"]
    writer_ddb = as_role(stack, roles["writer"], "dynamodb")
    assert not authorized(writer_ddb.get_item, TableName=out["index_table_name"], Key={"board": {"S": "most-viewed"}})
    reader_ddb = as_role(stack, roles["reader"], "dynamodb")
    assert authorized(reader_ddb.get_item, TableName=out["index_table_name"], Key={"board": {"S": "most-viewed"}})
    assert not authorized(reader_ddb.put_item, TableName=out["index_table_name"], Item={"board": {"S": "forged"}})
    users = out["database"]["user_secret_arns"]
    master = out["database"]["secret_arn"]
    ranker_secrets = as_role(stack, roles["ranker"], "secretsmanager")
    assert not any(authorized(ranker_secrets.get_secret_value, SecretId=arn) for arn in [master, *users.values()])
    # Each of the API's functions reads its own database user's credentials: not the other's, not the master's.
    for function, own, other in (
        ("writer", "article_writer", "article_reader"),
        ("reader", "article_reader", "article_writer"),
    ):
        secrets = as_role(stack, roles[function], "secretsmanager")
        assert authorized(secrets.get_secret_value, SecretId=users[own])
        assert not authorized(secrets.get_secret_value, SecretId=users[other])
        assert not authorized(secrets.get_secret_value, SecretId=master)
    proxy_role = f"{stack.prefix}-proxy"  # the RDS Proxy reads the credentials it logs in with, nothing else
    proxy_secrets = as_role(stack, proxy_role, "secretsmanager")
    assert all(authorized(proxy_secrets.get_secret_value, SecretId=arn) for arn in [master, *users.values()])
    assert not authorized(
        as_role(stack, proxy_role, "dynamodb").get_item,
        TableName=out["index_table_name"],
        Key={"board": {"S": "most-viewed"}},
    )


def test_the_migration_ran_at_apply_once_and_a_second_run_changes_nothing_but_retired_users(stack, database):
    out = outputs(stack)
    assert database.run("SELECT version FROM schema_migrations ORDER BY version") == [[1]]
    # A user an earlier version of the code declared (its migrations marked it) and this one no longer does.
    database.run("CREATE ROLE article_editor LOGIN PASSWORD 'Ed1tor-pass'")
    database.run("COMMENT ON ROLE article_editor IS 'database user of reports, managed by its migrations'")
    database.run("GRANT SELECT ON articles TO article_editor")
    try:
        answer = stack.client("lambda").invoke(FunctionName=out["database"]["migration"], Payload=b"{}")
        assert "FunctionError" not in answer, answer["Payload"].read()
        assert json.loads(answer["Payload"].read()) == {"applied": [], "users": ["article_reader", "article_writer"]}
        assert database.run("SELECT count(*) FROM schema_migrations") == [[1]]
        assert database.run("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'article_editor'") == [[False]]
        assert database.run("SELECT has_table_privilege('article_editor', 'articles', 'SELECT')") == [[False]]
    finally:
        database.run("DROP ROLE article_editor")


@pytest.mark.failure_mode
def test_each_function_logs_in_as_a_database_user_that_may_do_only_what_its_grants_say(stack):
    import pg8000.native

    out = outputs(stack)
    users = out["database"]["user_secret_arns"]
    functions = stack.client("lambda")
    for function, user in (("reader", "article_reader"), ("writer", "article_writer")):
        environment = functions.get_function_configuration(FunctionName=out["function_names"][function])
        assert environment["Environment"]["Variables"]["DB_SECRET_ARN"] == users[user]
    article = f"grants-{uuid.uuid4().hex[:8]}"
    assert put(stack, article).status == 200

    reader = postgres_as(stack, out["database"], users["article_reader"])
    try:
        assert reader.run("SELECT id FROM articles WHERE id = :id", id=article) == [[article]]
        with pytest.raises(pg8000.native.DatabaseError, match="permission denied for table articles"):
            reader.run("UPDATE articles SET title = 'forged' WHERE id = :id", id=article)
    finally:
        reader.close()
    writer = postgres_as(stack, out["database"], users["article_writer"])
    try:
        writer.run("UPDATE articles SET title = 'edited' WHERE id = :id", id=article)
        with pytest.raises(pg8000.native.DatabaseError, match="permission denied for table articles"):
            writer.run("DELETE FROM articles WHERE id = :id", id=article)
        # No DDL at request time: neither user may change the schema.
        with pytest.raises(pg8000.native.DatabaseError, match="permission denied for schema public"):
            writer.run("CREATE TABLE forged (id text)")
        with pytest.raises(pg8000.native.DatabaseError, match="must be owner of table articles"):
            writer.run("ALTER TABLE articles ADD COLUMN forged text")
    finally:
        writer.close()


@pytest.mark.failure_mode
def test_the_proxy_refuses_a_database_user_none_of_its_secrets_holds(stack, database):
    import pg8000.native

    out = outputs(stack)
    database.run("CREATE ROLE stranger LOGIN PASSWORD 'Str4nger-pass'")  # a user made behind the proxy's back
    try:
        with pytest.raises(
            pg8000.native.DatabaseError, match="This RDS proxy has no credentials for the role stranger"
        ):
            pg8000.native.Connection(
                "stranger",
                password="Str4nger-pass",
                host=out["database"]["address"],
                port=5432,
                database=out["database"]["name"],
                ssl_context=ssl.create_default_context(cadata=certificate_authority(stack.cloud)),
                timeout=10,
            )
    finally:
        database.run("DROP ROLE stranger")


def test_the_functions_reach_postgresql_through_the_rds_proxy_verifying_its_certificate(stack):
    import pg8000.native

    out = outputs(stack)
    rds = stack.client("rds")
    proxy = rds.describe_db_proxies(DBProxyName=stack.prefix)["DBProxies"][0]
    assert out["database"]["address"] == proxy["Endpoint"] and int(out["database"]["port"]) == 5432
    reader = stack.client("lambda").get_function_configuration(FunctionName=out["function_names"]["reader"])
    assert reader["Environment"]["Variables"]["DB_HOST"] == proxy["Endpoint"] and reader["VpcConfig"]["VpcId"]
    # The proxy's certificate is checked, chain and name, with the default trust store: every read above proves it.
    assert reader["Environment"]["Variables"]["DB_TLS"] == "verify-full"
    target = rds.describe_db_proxy_targets(DBProxyName=stack.prefix)["Targets"][0]
    assert target["RdsResourceId"] == stack.prefix and target["TargetHealth"]["State"] == "AVAILABLE"
    secret = json.loads(
        stack.client("secretsmanager").get_secret_value(SecretId=out["database"]["secret_arn"])["SecretString"]
    )
    with pytest.raises(pg8000.native.DatabaseError, match="requires TLS"):
        pg8000.native.Connection(
            secret["username"],
            password=secret["password"],
            host=proxy["Endpoint"],
            port=5432,
            database=out["database"]["name"],
            ssl_context=False,
            timeout=10,
        )

    import ssl

    def connect(context: ssl.SSLContext) -> None:
        pg8000.native.Connection(
            secret["username"],
            password=secret["password"],
            host=proxy["Endpoint"],
            port=5432,
            database=out["database"]["name"],
            ssl_context=context,
            timeout=10,
        ).close()

    authority = certificate_authority(stack.cloud)
    connect(ssl.create_default_context(cadata=authority))  # the chain and the name check out
    # verify-full refuses a certificate for another name ...
    misnamed = NamedContext(ssl.PROTOCOL_TLS_CLIENT)
    misnamed.load_verify_locations(cadata=authority)
    misnamed.server_name = "db.example.com"
    with pytest.raises(ssl.SSLCertVerificationError, match="Hostname mismatch|doesn't match"):
        connect(misnamed)
    # ... and one no trusted authority signed.
    with pytest.raises(ssl.SSLCertVerificationError, match="certificate verify failed"):
        connect(ssl.create_default_context())


class NamedContext(ssl.SSLContext):
    """A client context that checks the server's certificate against `server_name`, whatever host it dials."""

    server_name = ""

    def wrap_socket(self, sock, *args, server_hostname=None, **kwargs):  # noqa: ANN001, ANN201
        return super().wrap_socket(sock, *args, server_hostname=self.server_name, **kwargs)


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
