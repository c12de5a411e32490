"""Fixtures for driving the local cloud's APIs directly with boto3."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from harness import client


@pytest.fixture
def aws(local_cloud) -> Callable[..., Any]:
    return lambda service, **kwargs: client(local_cloud, service, **kwargs)


@pytest.fixture
def unique() -> str:
    return f"lc-{uuid.uuid4().hex[:8]}"


def zip_source(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buffer.getvalue()


def trust(service: str, condition: dict | None = None) -> str:
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{**statement, **({"Condition": condition} if condition else {})}]}
    )


def postgres_instance(aws: Any, identifier: str, owner: str, password: str, database: str, **extra: Any) -> dict:
    """A small PostgreSQL DB instance with its master user and database; its endpoint (Address, Port)."""
    rds = aws("rds")
    rds.create_db_instance(
        DBInstanceIdentifier=identifier,
        Engine="postgres",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername=owner,
        MasterUserPassword=password,
        DBName=database,
        **extra,
    )
    return rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]["Endpoint"]  # type: ignore[no-any-return]


LAMBDA_TRUST = trust("lambda.amazonaws.com")
STATES_TRUST = trust("states.amazonaws.com")
# The account's own principals (a test's root credentials among them) may assume the role.
ROOT_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}
        ],
    }
)


def make_table(aws: Any, name: str) -> str:
    """An on-demand table keyed by a string `id`; returns its name."""
    aws("dynamodb").create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    )
    return name


def make_role(iam: Any, name: str, *statements: dict[str, Any], trust: str = LAMBDA_TRUST) -> str:
    """A role Lambda can assume, with one inline policy of these statements (none: it may do nothing)."""
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    if statements:
        iam.put_role_policy(
            RoleName=name,
            PolicyName="inline",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": list(statements)}),
        )
    return arn


@pytest.fixture
def make_function(aws, unique) -> Callable[..., str]:
    """Create a Python function from inline sources; returns its name.

    Its role may call anything (these tests are about other behaviour); pass role= to run it as another.
    """
    role = make_role(aws("iam"), f"{unique}-role", {"Effect": "Allow", "Action": "*", "Resource": "*"})
    counter = iter(range(1000))

    def make(source: str, handler: str = "fn.handler", files: dict[str, str] | None = None, **config: Any) -> str:
        """`source` is fn.py; `files` (name: text) replaces it, for other runtimes and layouts."""
        name = f"{unique}-{next(counter)}"
        config.setdefault("Role", role)
        config.setdefault("Runtime", "python3.11")
        code = zip_source(files if files is not None else {"fn.py": source})
        aws("lambda").create_function(FunctionName=name, Handler=handler, Code={"ZipFile": code}, **config)
        return name

    return make


# Forwards the event it got to a queue, so the test can read exactly what arrived.
FORWARDER = """
import json, os, boto3
sqs = boto3.client("sqs")
def handler(event, context):
    sqs.send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps(event))
"""


@pytest.fixture
def forwarder(aws, make_function, unique):
    sqs = aws("sqs")
    out = sqs.create_queue(QueueName=f"{unique}-out")["QueueUrl"]
    name = make_function(FORWARDER, Environment={"Variables": {"OUT": out}})
    arn = aws("lambda").get_function(FunctionName=name)["Configuration"]["FunctionArn"]

    def received(timeout: int = 10) -> dict:
        messages = sqs.receive_message(QueueUrl=out, WaitTimeSeconds=timeout).get("Messages", [])
        assert messages, "the function never received the event"
        return json.loads(messages[0]["Body"])

    return arn, received
