"""P04 internal handoff: the caller answers at once, the worker does the work once, and failures are kept."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest

from harness import Stack, applied_stack, as_role, authorized, package_zip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "internal-handoff",
        local_cloud,
        tmp_path_factory.mktemp("p04"),
        code="p04",
        variables={"package_path": str(package_zip("internal-handoff"))},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict:
    return stack.outputs["internal_handoff"]


def call(stack: Stack, order: dict) -> tuple[dict, str | None]:
    answer = stack.client("lambda").invoke(
        FunctionName=outputs(stack)["caller_function_name"], Payload=json.dumps(order)
    )
    return json.loads(answer["Payload"].read()), answer.get("FunctionError")


def hand_to_worker(stack: Stack, event: dict) -> None:
    """What Lambda does on the caller's behalf (or on a duplicate delivery): an asynchronous worker event."""
    answer = stack.client("lambda").invoke(
        FunctionName=outputs(stack)["worker_function_name"], InvocationType="Event", Payload=json.dumps(event)
    )
    assert answer["StatusCode"] == 202


def ledger(stack: Stack, customer: str) -> dict | None:
    item = (
        stack.client("dynamodb")
        .get_item(TableName=outputs(stack)["ledger_table_name"], ConsistentRead=True, Key={"customer": {"S": customer}})
        .get("Item")
    )
    return None if item is None else {"balance": Decimal(item["balance"]["N"]), "orders": int(item["orders"]["N"])}


def wait_for_ledger(stack: Stack, customer: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while (found := ledger(stack, customer)) is None:
        assert time.monotonic() < deadline, f"no ledger entry for {customer}"
        time.sleep(0.3)
    return found


def records(stack: Stack, queue_url: str, order_id: str, count: int, timeout: float = 30) -> list[dict]:
    """Lambda's destination records of one order (others' records are left for their tests)."""
    sqs, found, deadline = stack.client("sqs"), [], time.monotonic() + timeout
    while len(found) < count and time.monotonic() < deadline:
        for message in sqs.receive_message(
            QueueUrl=queue_url, WaitTimeSeconds=1, MaxNumberOfMessages=10, VisibilityTimeout=2
        ).get("Messages", []):
            record = json.loads(message["Body"])
            if record["requestPayload"].get("orderId") == order_id:
                found.append(record)
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return found


def test_the_caller_answers_accepted_and_the_worker_credits_the_order(stack):
    answer, error = call(stack, {"orderId": "o-100", "customer": "able", "amount": 25})
    assert error is None
    assert answer["status"] == "accepted" and answer["orderId"] == "o-100" and answer["handoffRequestId"]
    assert wait_for_ledger(stack, "able") == {"balance": Decimal("25"), "orders": 1}
    [done] = records(stack, stack.outputs["completions_queue_url"], "o-100", 1)
    assert done["requestContext"]["condition"] == "Success"
    assert done["responsePayload"] == {"orderId": "o-100", "customer": "able", "balance": "25.00"}


def test_a_handoff_is_accepted_while_the_worker_cannot_run_and_done_once_it_can(stack):
    """Asynchrony, proved: with the worker throttled to nothing the caller still answers at once; Lambda keeps
    the event and the work happens after the worker can run again."""
    lam, worker = stack.client("lambda"), outputs(stack)["worker_function_name"]
    lam.put_function_concurrency(FunctionName=worker, ReservedConcurrentExecutions=0)
    try:
        started = time.monotonic()
        answer, error = call(stack, {"orderId": "o-200", "customer": "baker", "amount": 7.5})
        assert (answer["status"], error) == ("accepted", None)
        assert time.monotonic() - started < 5
        time.sleep(2)
        assert ledger(stack, "baker") is None, "the worker ran while it had no concurrency"
    finally:
        lam.delete_function_concurrency(FunctionName=worker)
    assert wait_for_ledger(stack, "baker", timeout=90) == {"balance": Decimal("7.5"), "orders": 1}


@pytest.mark.failure_mode
def test_an_event_the_worker_keeps_failing_on_lands_in_the_dlq_after_the_retry(stack):
    event = {"orderId": "o-300", "customer": "charlie", "amount": -5}
    hand_to_worker(stack, event)
    [failed] = records(stack, outputs(stack)["dlq_url"], "o-300", 1)
    assert failed["requestContext"]["condition"] == "RetriesExhausted"
    assert failed["requestContext"]["approximateInvokeCount"] == 2  # the first attempt and one retry
    assert failed["requestPayload"] == event
    assert failed["responseContext"]["functionError"] == "Unhandled"
    assert failed["responsePayload"]["errorType"] == "InvalidOrder"
    assert "amount must be positive" in failed["responsePayload"]["errorMessage"]
    assert ledger(stack, "charlie") is None


@pytest.mark.failure_mode
def test_a_duplicated_event_has_no_second_effect(stack):
    event = {"orderId": "o-400", "customer": "delta", "amount": "12.34"}
    hand_to_worker(stack, event)
    hand_to_worker(stack, dict(event))  # Lambda delivering the same event twice
    both = records(stack, stack.outputs["completions_queue_url"], "o-400", 2)
    assert [r["responsePayload"] for r in both] == [{"orderId": "o-400", "customer": "delta", "balance": "12.34"}] * 2
    assert ledger(stack, "delta") == {"balance": Decimal("12.34"), "orders": 1}


@pytest.mark.failure_mode
def test_an_invalid_order_gets_a_structured_error_and_reaches_no_worker(stack):
    answer, error = call(stack, {"orderId": "o-500", "customer": "echo", "amount": "lots"})
    assert error is None, "a bad order is an answer the caller can handle, not a crash"
    assert answer == {
        "status": "rejected",
        "error": {"type": "InvalidOrder", "message": "amount must be a number, not 'lots'"},
    }
    time.sleep(1)
    assert ledger(stack, "echo") is None
    assert records(stack, outputs(stack)["dlq_url"], "o-500", 1, timeout=2) == []


def test_the_dead_letter_queue_has_an_alarm_on_its_depth(stack):
    alarm = stack.client("cloudwatch").describe_alarms(AlarmNames=[outputs(stack)["dlq_alarm_name"]])["MetricAlarms"][0]
    queue_name = outputs(stack)["dlq_url"].rsplit("/", 1)[-1]
    assert (alarm["MetricName"], alarm["Threshold"], alarm["ComparisonOperator"]) == (
        "ApproximateNumberOfMessagesVisible",
        0.0,
        "GreaterThanThreshold",
    )
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": queue_name}]


@pytest.mark.failure_mode
def test_each_role_may_do_only_its_part(stack):
    out = outputs(stack)
    caller_lambda = as_role(stack, out["caller_role_name"], "lambda")
    assert authorized(caller_lambda.invoke, FunctionName=out["worker_function_name"], InvocationType="DryRun")
    assert not authorized(caller_lambda.invoke, FunctionName=out["caller_function_name"], InvocationType="DryRun")
    assert not authorized(
        as_role(stack, out["caller_role_name"], "dynamodb").get_item,
        TableName=out["ledger_table_name"],
        Key={"customer": {"S": "x"}},
    )
    worker_ddb = as_role(stack, out["worker_role_name"], "dynamodb")
    key, absent = {"customer": {"S": "authz-probe"}}, {"ConditionExpression": "attribute_exists(customer)"}
    assert authorized(
        worker_ddb.update_item,
        TableName=out["ledger_table_name"],
        Key=key,
        UpdateExpression="SET v = :v",
        ExpressionAttributeValues={":v": {"N": "1"}},
        **absent,
    )
    assert not authorized(worker_ddb.put_item, TableName=out["ledger_table_name"], Item=key, **absent)
    assert not authorized(worker_ddb.scan, TableName=out["ledger_table_name"], Limit=1)
    assert not authorized(
        as_role(stack, out["worker_role_name"], "lambda").invoke,
        FunctionName=out["caller_function_name"],
        InvocationType="DryRun",
    )
    worker_sqs = as_role(stack, out["worker_role_name"], "sqs")
    assert not authorized(worker_sqs.receive_message, QueueUrl=out["dlq_url"])


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
