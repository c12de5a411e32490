"""P23 eventually consistent: customers written through the API appear in PostgreSQL (a real server behind
the local cloud's RDS), newest version wins, bad records are bisected out to the on-failure queue."""

from __future__ import annotations

import copy
import json
import time
import uuid
from collections.abc import Iterator

import pytest

from harness import (
    Stack,
    applied_stack,
    as_role,
    authorized,
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
        "eventually-consistent",
        local_cloud,
        tmp_path_factory.mktemp("p23"),
        code="p23",
        variables={"package_path": str(package_zip("eventually-consistent"))},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict:
    return stack.outputs["copy"]


@pytest.fixture(scope="module")
def database(stack):
    connection = postgres_as_master(stack, outputs(stack)["database"])
    yield connection
    connection.close()


def put(stack: Stack, customer_id: str, body: dict):
    return http_api_call(stack, outputs(stack)["api_id"], "PUT", f"customers/{customer_id}", json.dumps(body))


def copied(database, customer_id: str, version: int, timeout: float = 20.0) -> dict | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            rows = database.run("SELECT name, email, version, deleted FROM customers WHERE id = :id", id=customer_id)
        except Exception:  # the table appears with the replicator's first connection
            rows = []
        if rows and rows[0][2] >= version:
            return dict(zip(("name", "email", "version", "deleted"), rows[0], strict=True))
        time.sleep(0.3)
    return None


def test_a_write_through_the_api_appears_in_the_relational_copy(stack, database):
    customer = f"c-{uuid.uuid4().hex[:8]}"
    answer = put(stack, customer, {"name": "Ada Lovelace", "email": "Ada@Example.com"})
    assert answer.status == 200, answer.body
    assert answer.json()["version"] == 1
    assert copied(database, customer, 1) == {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "version": 1,
        "deleted": False,
    }
    put(stack, customer, {"name": "Ada King", "email": "ada@example.com"})
    assert copied(database, customer, 2)["name"] == "Ada King"


@pytest.mark.failure_mode
def test_a_replayed_or_out_of_order_record_never_overwrites_newer_data(stack, database):
    customer = f"c-{uuid.uuid4().hex[:8]}"
    put(stack, customer, {"name": "First", "email": "first@example.com"})
    put(stack, customer, {"name": "Second", "email": "second@example.com"})
    assert copied(database, customer, 2)["name"] == "Second"
    old = {
        "eventID": "replayed",
        "eventName": "MODIFY",
        "eventSource": "aws:dynamodb",
        "eventVersion": "1.1",
        "dynamodb": {
            "Keys": {"id": {"S": customer}},
            "SequenceNumber": "1",
            "SizeBytes": 1,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
            "NewImage": {
                "id": {"S": customer},
                "name": {"S": "First"},
                "email": {"S": "first@example.com"},
                "version": {"N": "1"},
                "updatedAt": {"N": "1000"},
            },
        },
    }
    answer = stack.client("lambda").invoke(
        FunctionName=outputs(stack)["replicator_function_name"],
        Payload=json.dumps({"Records": [old, copy.deepcopy(old)]}),
    )
    assert json.loads(answer["Payload"].read()) == {"batchItemFailures": []}
    assert copied(database, customer, 2, timeout=1) == {
        "name": "Second",
        "email": "second@example.com",
        "version": 2,
        "deleted": False,
    }


@pytest.mark.failure_mode
def test_a_bad_record_is_bisected_out_to_the_on_failure_queue_and_its_neighbours_are_copied(stack, database):
    ddb, table = stack.client("dynamodb"), outputs(stack)["customers_table_name"]
    good = [f"c-{uuid.uuid4().hex[:8]}" for _ in range(2)]
    ddb.transact_write_items(
        TransactItems=[
            {
                "Put": {
                    "TableName": table,
                    "Item": {
                        "id": {"S": good[0]},
                        "name": {"S": "Good"},
                        "email": {"S": "g@x.io"},
                        "version": {"N": "1"},
                        "updatedAt": {"N": "1"},
                    },
                }
            },
            {"Put": {"TableName": table, "Item": {"id": {"S": "written-around-the-api"}, "name": {"S": "No version"}}}},
            {
                "Put": {
                    "TableName": table,
                    "Item": {
                        "id": {"S": good[1]},
                        "name": {"S": "Good"},
                        "email": {"S": "g@x.io"},
                        "version": {"N": "1"},
                        "updatedAt": {"N": "1"},
                    },
                }
            },
        ]
    )
    assert copied(database, good[0], 1) and copied(database, good[1], 1)
    messages = drain_queue(stack.client("sqs"), outputs(stack)["dlq_url"], wait_s=30)
    assert messages, "the bad record never reached the on-failure queue"
    info = json.loads(messages[0]["Body"])["DDBStreamBatchInfo"]
    assert info["batchSize"] == 1 and info["streamArn"] == outputs(stack)["customers_stream_arn"]
    assert copied(database, "written-around-the-api", 1, timeout=1) is None


@pytest.mark.failure_mode
@pytest.mark.failure_mode
def test_a_customer_deleted_and_created_again_is_copied_again(stack, database):
    customer = f"c-{uuid.uuid4().hex[:8]}"
    put(stack, customer, {"name": "First Life", "email": "first@example.com"})
    put(stack, customer, {"name": "First Life", "email": "first-2@example.com"})
    assert copied(database, customer, 2)["deleted"] is False
    stack.client("dynamodb").delete_item(TableName=outputs(stack)["customers_table_name"], Key={"id": {"S": customer}})
    assert copied(database, customer, 3)["deleted"] is True  # the removal of version 2 is version 3
    # WHEN the customer is created again: a new life, starting at version 1
    answer = put(stack, customer, {"name": "Second Life", "email": "second@example.com"})
    assert answer.json()["version"] == 1
    # THEN the copy takes it, although its version is below the removal's
    deadline = time.monotonic() + 20
    while (row := copied(database, customer, 1, timeout=1)) and row["deleted"] and time.monotonic() < deadline:
        time.sleep(0.3)
    assert row == {"name": "Second Life", "email": "second@example.com", "version": 1, "deleted": False}


def test_an_invalid_customer_is_refused_by_the_api(stack):
    answer = put(stack, "c-1", {"name": "", "email": "not-an-email"})
    assert answer.status == 400 and "name" in answer.json()["message"]


@pytest.mark.failure_mode
def test_the_replicator_may_read_only_its_credentials_and_its_stream(stack):
    out = outputs(stack)
    secrets = as_role(stack, out["replicator_role_name"], "secretsmanager")
    assert authorized(secrets.get_secret_value, SecretId=out["database"]["user_secret_arns"]["customer_replicator"])
    assert not authorized(secrets.get_secret_value, SecretId=out["database"]["secret_arn"])  # the master's
    other = stack.client("secretsmanager").create_secret(Name=f"{stack.prefix}-another", SecretString="{}")["ARN"]
    try:
        assert not authorized(secrets.get_secret_value, SecretId=other)
    finally:
        stack.client("secretsmanager").delete_secret(SecretId=other, ForceDeleteWithoutRecovery=True)
    ddb = as_role(stack, out["replicator_role_name"], "dynamodb")
    assert not authorized(ddb.get_item, TableName=out["customers_table_name"], Key={"id": {"S": "x"}})


@pytest.mark.failure_mode
def test_the_replicator_logs_in_as_a_user_that_may_not_delete_or_change_the_schema(stack, database):
    import pg8000.native

    out = outputs(stack)
    secret = out["database"]["user_secret_arns"]["customer_replicator"]
    replicator = stack.client("lambda").get_function_configuration(FunctionName=out["replicator_function_name"])
    assert replicator["Environment"]["Variables"]["DB_SECRET_ARN"] == secret
    assert database.run("SELECT version FROM schema_migrations ORDER BY version") == [[1], [2]]
    user = postgres_as(stack, out["database"], secret)
    try:
        assert user.run("SELECT current_user") == [["customer_replicator"]]
        with pytest.raises(pg8000.native.DatabaseError, match="permission denied for table customers"):
            user.run("DELETE FROM customers")
        with pytest.raises(pg8000.native.DatabaseError, match="must be owner of table customers"):
            user.run("ALTER TABLE customers ADD COLUMN forged text")
    finally:
        user.close()


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
