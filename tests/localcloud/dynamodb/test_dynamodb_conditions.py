"""DynamoDB applies a conditional write atomically: of concurrent writers racing on one condition, exactly
one wins and the others get ConditionalCheckFailedException, as in AWS."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.localcloud

ROUNDS, WRITERS = 25, 8


def test_of_concurrent_conditional_writers_exactly_one_wins(aws, unique):
    ddb = aws("dynamodb")
    ddb.create_table(
        TableName=unique,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )

    def claim(round_and_writer: tuple[int, int]) -> bool:
        round_, writer = round_and_writer
        try:
            ddb.update_item(
                TableName=unique,
                Key={"pk": {"S": f"r{round_}"}},
                UpdateExpression="SET #state = :open, openedBy = :me",
                ConditionExpression="attribute_not_exists(#state) OR #state = :closed",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={
                    ":open": {"S": "OPEN"},
                    ":closed": {"S": "CLOSED"},
                    ":me": {"N": str(writer)},
                },
            )
            return True
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ConditionalCheckFailedException"
            return False

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        for round_ in range(ROUNDS):
            wins = list(pool.map(claim, [(round_, writer) for writer in range(WRITERS)]))
            assert sum(wins) == 1, f"round {round_}: {sum(wins)} writers passed one condition"


def test_a_read_during_an_update_of_a_new_item_sees_it_whole_or_not_at_all(monkeypatch):
    """UpdateItem on a missing item creates it with every attribute the update sets, atomically: a reader
    never sees the key alone (a ledger row without its balance). moto in this process, the update slowed
    down where moto stored the key alone, and a read sent in that moment."""
    import threading
    import time

    import boto3
    from moto import mock_aws
    from moto.dynamodb.parsing.executors import UpdateExpressionExecutor

    from localcloud.dynamodb import atomic_writes

    atomic_writes.install()
    execute = UpdateExpressionExecutor.execute

    def slow_execute(self, *args, **kwargs):  # noqa: ANN001, ANN202
        time.sleep(0.3)
        return execute(self, *args, **kwargs)

    monkeypatch.setattr(UpdateExpressionExecutor, "execute", slow_execute)
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name="us-east-1")
        ddb.create_table(
            TableName="ledger",
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        )
        credit = threading.Thread(
            target=ddb.update_item,
            kwargs={
                "TableName": "ledger",
                "Key": {"pk": {"S": "customer-1"}},
                "UpdateExpression": "ADD balance :amount",
                "ExpressionAttributeValues": {":amount": {"N": "42"}},
            },
        )
        credit.start()
        time.sleep(0.1)  # the update has stored the key and is applying the rest
        item = ddb.get_item(TableName="ledger", Key={"pk": {"S": "customer-1"}}, ConsistentRead=True).get("Item")
        credit.join()
    assert item == {"pk": {"S": "customer-1"}, "balance": {"N": "42"}}
