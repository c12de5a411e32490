"""P08 router: each task reaches the function of its type; unknown types and failing tasks are kept."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from harness import Stack, applied_stack, as_role, authorized, package_zip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "router",
        local_cloud,
        tmp_path_factory.mktemp("p08"),
        code="p08",
        variables={"package_path": str(package_zip("router"))},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict:
    return stack.outputs["router"]


def submit(stack: Stack, task: dict) -> None:
    answer = stack.client("lambda").invoke(
        FunctionName=outputs(stack)["router_function_name"], InvocationType="Event", Payload=json.dumps(task)
    )
    assert answer["StatusCode"] == 202


def recorded(stack: Stack, task_type: str, task_id: str) -> dict | None:
    item = (
        stack.client("dynamodb")
        .get_item(
            TableName=outputs(stack)["tasks"][task_type]["table_name"],
            Key={"taskId": {"S": task_id}},
            ConsistentRead=True,
        )
        .get("Item")
    )
    return None if item is None else {"taskType": item["taskType"]["S"], "channel": item["result"]["M"]["channel"]["S"]}


def wait_until(probe, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while not (found := probe()):
        assert time.monotonic() < deadline, "nothing arrived in time"
        time.sleep(0.3)
    return found


def dead_letters(stack: Stack, queue_url: str, task_id: str, timeout: float = 30) -> dict:
    """Lambda's on-failure record of one task (others are left for their tests)."""
    sqs = stack.client("sqs")

    def find() -> dict | None:
        for message in sqs.receive_message(
            QueueUrl=queue_url, WaitTimeSeconds=1, MaxNumberOfMessages=10, VisibilityTimeout=2
        ).get("Messages", []):
            record = json.loads(message["Body"])
            if record["requestPayload"].get("taskId") == task_id:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
                return record
        return None

    return wait_until(find, timeout)


def test_each_task_type_lands_in_its_own_table(stack):
    tasks = {
        "email": {"to": "ops@example.com", "subject": "Disk full", "body": "on db-1"},
        "sms": {"to": "+4915112345678", "text": "Disk full on db-1"},
        "push": {"device": "phone-1", "title": "Disk full"},
    }
    for task_type, payload in tasks.items():
        submit(stack, {"taskType": task_type, "taskId": f"t-{task_type}", "payload": payload})
    for task_type in tasks:
        assert wait_until(lambda t=task_type: recorded(stack, t, f"t-{t}")) == {
            "taskType": task_type,
            "channel": task_type,
        }
        others = [t for t in tasks if t != task_type]
        assert all(recorded(stack, other, f"t-{task_type}") is None for other in others)


@pytest.mark.failure_mode
def test_an_unknown_task_type_lands_in_the_routers_dlq_with_the_reason(stack):
    submit(stack, {"taskType": "fax", "taskId": "t-fax", "payload": {}})
    record = dead_letters(stack, outputs(stack)["router_dlq_url"], "t-fax")
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 2
    assert record["responsePayload"]["errorType"] == "UnknownTaskType"
    assert record["responsePayload"]["errorMessage"] == (
        "no task function handles type 'fax' (known types: email, push, sms)"
    )


@pytest.mark.failure_mode
def test_a_task_its_function_keeps_failing_on_lands_in_that_types_dlq(stack):
    submit(stack, {"taskType": "sms", "taskId": "t-bad-sms", "payload": {"to": "0151", "text": "hi"}})
    record = dead_letters(stack, outputs(stack)["tasks"]["sms"]["dlq_url"], "t-bad-sms")
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["responsePayload"]["errorType"] == "InvalidTask"
    assert "E.164" in record["responsePayload"]["errorMessage"]
    assert recorded(stack, "sms", "t-bad-sms") is None


@pytest.mark.failure_mode
def test_a_task_delivered_twice_is_done_once(stack):
    task = {"taskType": "push", "taskId": "t-twice", "payload": {"device": "phone-2", "title": "First"}}
    submit(stack, task)
    wait_until(lambda: recorded(stack, "push", "t-twice"))
    submit(stack, {**task, "payload": {"device": "phone-2", "title": "Second"}})
    time.sleep(2)
    item = stack.client("dynamodb").get_item(
        TableName=outputs(stack)["tasks"]["push"]["table_name"], Key={"taskId": {"S": "t-twice"}}, ConsistentRead=True
    )["Item"]
    assert item["result"]["M"]["title"]["S"] == "First"


def test_every_dead_letter_queue_has_an_alarm(stack):
    names = outputs(stack)["dlq_alarm_names"]
    alarms = stack.client("cloudwatch").describe_alarms(AlarmNames=names)["MetricAlarms"]
    assert len(alarms) == len(names) == 4
    assert {a["MetricName"] for a in alarms} == {"ApproximateNumberOfMessagesVisible"}


@pytest.mark.failure_mode
def test_each_role_may_do_only_its_part(stack):
    out = outputs(stack)
    router = as_role(stack, out["router_role_name"], "lambda")
    for task in out["tasks"].values():
        assert authorized(router.invoke, FunctionName=task["function_name"], InvocationType="DryRun")
    assert not authorized(router.invoke, FunctionName=out["router_function_name"], InvocationType="DryRun")
    email = out["tasks"]["email"]
    ddb = as_role(stack, email["role_name"], "dynamodb")
    absent = {"ConditionExpression": "attribute_exists(taskId)"}
    assert authorized(ddb.put_item, TableName=email["table_name"], Item={"taskId": {"S": "probe"}}, **absent)
    assert not authorized(
        ddb.put_item, TableName=out["tasks"]["sms"]["table_name"], Item={"taskId": {"S": "probe"}}, **absent
    )
    assert not authorized(
        as_role(stack, email["role_name"], "lambda").invoke,
        FunctionName=out["tasks"]["sms"]["function_name"],
        InvocationType="DryRun",
    )


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
