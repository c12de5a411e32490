"""P13 FIFOer: each account's events are applied in the order sent, and a deduplication id only once."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from harness import Stack, applied_stack, as_role, authorized, expire_sqs_deduplication, package_zip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "fifoer",
        local_cloud,
        tmp_path_factory.mktemp("p13"),
        code="p13",
        variables={"package_path": str(package_zip("fifoer"))},
    ) as applied:
        yield applied


def send(stack: Stack, account: str, kind: str, amount: int, reference: str, dedup: str | None = None) -> None:
    stack.client("sqs").send_message(
        QueueUrl=stack.outputs["fifoer"]["queue_url"],
        MessageGroupId=account,
        MessageBody=json.dumps({"account": account, "kind": kind, "amount": amount, "reference": reference}),
        **({"MessageDeduplicationId": dedup} if dedup else {}),
    )


def entries(stack: Stack, account: str) -> list[dict]:
    items = stack.client("dynamodb").query(
        TableName=stack.outputs["fifoer"]["ledger_table_name"],
        ConsistentRead=True,
        KeyConditionExpression="pk = :a AND begins_with(sk, :e)",
        ExpressionAttributeValues={":a": {"S": account}, ":e": {"S": "ENTRY#"}},
    )["Items"]
    return [
        {"reference": i["reference"]["S"], "status": i["status"]["S"], "balanceAfter": i["balanceAfter"]["N"]}
        for i in items
    ]


def wait_for_entries(stack: Stack, account: str, count: int, timeout: float = 60) -> list[dict]:
    deadline = time.monotonic() + timeout
    found = entries(stack, account)
    while len(found) < count and time.monotonic() < deadline:
        time.sleep(0.3)
        found = entries(stack, account)
    return found


def test_each_accounts_events_are_applied_in_the_order_sent(stack):
    # GIVEN two accounts whose withdrawals only succeed when each follows its deposits
    plan = {
        "alpha": [("deposit", 100), ("withdrawal", 70), ("deposit", 5), ("withdrawal", 35)],
        "bravo": [("deposit", 10), ("withdrawal", 10), ("deposit", 50), ("withdrawal", 25)],
    }
    # WHEN their events are interleaved on the queue, twice over
    for round_ in range(2):
        for step in range(4):
            for account, moves in plan.items():
                kind, amount = moves[step]
                send(stack, account, kind, amount, f"{account}-{round_}-{step}")
    # THEN each account's entries are in sending order, every one applied, with running balances
    for account in plan:
        found = wait_for_entries(stack, account, 8)
        assert [e["reference"] for e in found] == [f"{account}-{r}-{s}" for r in range(2) for s in range(4)]
        assert {e["status"] for e in found} == {"APPLIED"}, found
    assert [e["balanceAfter"] for e in entries(stack, "alpha")] == ["100", "30", "35", "0"] * 2
    assert [e["balanceAfter"] for e in entries(stack, "bravo")] == ["10", "0", "50", "25", "35", "25", "75", "50"]


@pytest.mark.failure_mode
def test_a_duplicate_deduplication_id_has_no_second_effect(stack):
    send(stack, "charlie", "deposit", 40, "c-1", dedup="invoice-1")
    assert len(wait_for_entries(stack, "charlie", 1)) == 1
    # the producer retries (same id, even with another body), then sends something new
    send(stack, "charlie", "deposit", 999, "c-1-retry", dedup="invoice-1")
    send(stack, "charlie", "withdrawal", 15, "c-2", dedup="invoice-2")
    found = wait_for_entries(stack, "charlie", 2)
    time.sleep(2)  # room for a wrongly accepted duplicate to land
    assert (
        entries(stack, "charlie")
        == found
        == [
            {"reference": "c-1", "status": "APPLIED", "balanceAfter": "40"},
            {"reference": "c-2", "status": "APPLIED", "balanceAfter": "25"},
        ]
    )


def queue_is_drained(stack: Stack, timeout: float = 60) -> bool:
    sqs, url = stack.client("sqs"), stack.outputs["fifoer"]["queue_url"]
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
        if all(counts[name] == "0" for name in names):
            return True
        time.sleep(0.3)
    return False


@pytest.mark.failure_mode
def test_redelivery_past_the_queues_window_has_no_second_effect(stack):
    # SQS forgets a deduplication id five minutes after the send; the consumer remembers it for days
    send(stack, "delta", "deposit", 10, "d-1", dedup="late-1")
    assert len(wait_for_entries(stack, "delta", 1)) == 1
    assert expire_sqs_deduplication(stack.cloud, stack.outputs["fifoer"]["queue_url"]) >= 1
    # the producer retries after the window: SQS takes it as new and delivers it to the consumer
    send(stack, "delta", "deposit", 10, "d-1", dedup="late-1")
    assert queue_is_drained(stack), "the consumer took the redelivered event and deleted it"
    assert entries(stack, "delta") == [{"reference": "d-1", "status": "APPLIED", "balanceAfter": "10"}]
    # peeked (visibility 0), so another test's dead letters stay where they are
    dead = (
        stack.client("sqs")
        .receive_message(
            QueueUrl=stack.outputs["fifoer"]["dlq_url"], MaxNumberOfMessages=10, VisibilityTimeout=0, WaitTimeSeconds=1
        )
        .get("Messages", [])
    )
    assert [m for m in dead if '"delta"' in m["Body"]] == [], "accepted as a duplicate, not refused"


@pytest.mark.failure_mode
def test_a_poison_event_holds_only_its_own_group_then_lands_in_the_dlq(stack):
    sqs = stack.client("sqs")
    queue = stack.outputs["fifoer"]["queue_url"]
    sqs.send_message(QueueUrl=queue, MessageGroupId="echo", MessageBody="not json")
    send(stack, "echo", "deposit", 7, "e-1")
    send(stack, "foxtrot", "deposit", 3, "f-1")
    # the other group is not held up
    assert wait_for_entries(stack, "foxtrot", 1, timeout=15) == [
        {"reference": "f-1", "status": "APPLIED", "balanceAfter": "3"}
    ]
    assert entries(stack, "echo") == []
    # the poison event is retried, dead-lettered, and then its group moves on in order
    assert wait_for_entries(stack, "echo", 1, timeout=90) == [
        {"reference": "e-1", "status": "APPLIED", "balanceAfter": "7"}
    ]
    dead = sqs.receive_message(
        QueueUrl=stack.outputs["fifoer"]["dlq_url"], MaxNumberOfMessages=10, WaitTimeSeconds=5
    ).get("Messages", [])
    assert [m["Body"] for m in dead] == ["not json"]


def test_dead_letter_queue_has_an_alarm(stack):
    alarms = stack.client("cloudwatch").describe_alarms(AlarmNames=[stack.outputs["fifoer"]["dlq_alarm_name"]])
    assert alarms["MetricAlarms"][0]["Dimensions"] == [
        {"Name": "QueueName", "Value": stack.outputs["fifoer"]["dlq_url"].rsplit("/", 1)[1]}
    ]


@pytest.mark.failure_mode
def test_consumer_role_may_only_consume_its_queue_and_write_its_ledger(stack):
    """The consumer's role, assumed: the ledger calls its code makes pass; deleting, scanning, a condition
    check it never makes, and sending to (or purging) its own queue are refused."""
    outputs = stack.outputs["fifoer"]
    role, table = outputs["consumer_role_name"], outputs["ledger_table_name"]
    dynamodb, sqs = as_role(stack, role, "dynamodb"), as_role(stack, role, "sqs")
    key = {"pk": {"S": "ACCOUNT#authz-probe"}, "sk": {"S": "ACCOUNT"}}
    absent = {"ConditionExpression": "attribute_exists(pk)"}  # authorized writes fail their condition
    assert authorized(dynamodb.get_item, TableName=table, Key=key)
    assert authorized(dynamodb.put_item, TableName=table, Item=key, **absent)
    assert authorized(
        dynamodb.update_item,
        TableName=table,
        Key=key,
        UpdateExpression="SET v = :v",
        ExpressionAttributeValues={":v": {"N": "1"}},
        **absent,
    )
    assert not authorized(dynamodb.delete_item, TableName=table, Key=key, **absent)
    assert not authorized(dynamodb.scan, TableName=table, Limit=1)
    assert not authorized(
        dynamodb.transact_write_items,
        TransactItems=[
            {"ConditionCheck": {"TableName": table, "Key": key, "ConditionExpression": "attribute_exists(pk)"}}
        ],
    )
    assert authorized(sqs.get_queue_attributes, QueueUrl=outputs["queue_url"], AttributeNames=["All"])
    assert not authorized(sqs.send_message, QueueUrl=outputs["queue_url"], MessageBody="{}", MessageGroupId="authz")
    assert not authorized(sqs.purge_queue, QueueUrl=outputs["queue_url"])


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
