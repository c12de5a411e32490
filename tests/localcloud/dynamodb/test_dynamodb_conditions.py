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
