"""Deployed Lambda code really runs in the local cloud: direct, async and SQS-triggered.

The probe function (tests/stacks/lambda-probe/src) writes what it received to
DynamoDB: an effect only the handler, running in a worker, can produce.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from harness import STACKS, Stack, applied_stack
from sample_events import load
from tooling.build import write_zip

pytestmark = pytest.mark.integration

PROBE_SRC = STACKS / "lambda-probe" / "src"


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    work = tmp_path_factory.mktemp("probe")
    package = work / "probe.zip"
    write_zip(package, [PROBE_SRC], PROBE_SRC)
    with applied_stack("lambda-probe", local_cloud, work, code="lp", variables={"package_path": str(package)}) as s:
        yield s


def seen(stack: Stack, key: str, timeout: float = 15.0) -> dict[str, Any] | None:
    deadline = time.monotonic() + timeout
    while True:
        item = stack.client("dynamodb").get_item(TableName=stack.outputs["table_name"], Key={"pk": {"S": key}})
        if "Item" in item:
            return item["Item"]
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.1)


def invoke(stack: Stack, event: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return stack.client("lambda").invoke(
        FunctionName=stack.outputs["function_name"], Payload=json.dumps(event), **kwargs
    )


def test_direct_invoke_runs_the_deployed_handler_which_writes_through_the_local_cloud(stack):
    response = invoke(stack, {"id": "direct-1"})
    result = json.loads(response["Payload"].read())
    assert response["StatusCode"] == 200 and "FunctionError" not in response
    assert result["function"] == stack.outputs["function_name"]
    item = seen(stack, "direct-1", timeout=0)
    assert item is not None, "the handler's PutItem did not reach the local cloud"
    assert item["source"] == {"S": "direct"}
    assert item["pid"] == {"N": str(result["pid"])}


def test_warm_invocations_reuse_one_worker_process(stack):
    pids = {json.loads(invoke(stack, {"id": f"warm-{i}"})["Payload"].read())["pid"] for i in range(3)}
    assert len(pids) == 1, f"expected one warm worker, got processes {pids}"


def test_handler_exception_comes_back_as_an_unhandled_function_error(stack):
    response = invoke(stack, {"id": "boom", "fail": True})
    payload = json.loads(response["Payload"].read())
    assert response["FunctionError"] == "Unhandled"
    assert set(payload) == set(load("lambda_error_payload"))
    assert (payload["errorType"], payload["errorMessage"]) == ("RuntimeError", "probe asked to fail: boom")


def test_sqs_event_source_mapping_runs_the_handler_with_aws_record_fields(stack):
    sqs = stack.client("sqs")
    body = '{"order": 42}'
    sent = sqs.send_message(
        QueueUrl=stack.outputs["queue_url"],
        MessageBody=body,
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "order"}},
    )
    item = seen(stack, sent["MessageId"])
    assert item is not None, "the SQS-triggered handler never wrote the message"
    record = json.loads(item["payload"]["S"])
    sample = load("sqs_record")
    assert set(record) == set(sample)
    assert set(record["attributes"]) == set(sample["attributes"])
    assert record["body"] == body
    assert record["md5OfBody"] == hashlib.md5(body.encode()).hexdigest()
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["messageAttributes"]["kind"]["stringValue"] == "order"
    assert record["eventSourceARN"].endswith(":" + stack.outputs["queue_url"].rsplit("/", 1)[1])


def test_async_invoke_answers_202_at_once_and_does_the_work(stack):
    response = invoke(stack, {"id": "async-ok"}, InvocationType="Event")
    assert response["StatusCode"] == 202
    assert seen(stack, "async-ok") is not None


def test_failing_async_invoke_is_retried_then_lands_in_the_dead_letter_queue(stack):
    event = {"id": "async-poison", "fail": True}
    assert invoke(stack, event, InvocationType="Event")["StatusCode"] == 202
    sqs = stack.client("sqs")
    messages: list[dict[str, Any]] = []
    deadline = time.monotonic() + 20
    while not messages and time.monotonic() < deadline:
        messages = sqs.receive_message(
            QueueUrl=stack.outputs["async_dlq_url"], MessageAttributeNames=["All"], WaitTimeSeconds=1
        ).get("Messages", [])
    assert messages, "the failed event never reached the function's dead-letter queue"
    assert json.loads(messages[0]["Body"]) == event
    assert "probe asked to fail" in messages[0]["MessageAttributes"]["ErrorMessage"]["StringValue"]
    # 1 attempt + maximum_retry_attempts (1) from the event invoke config
    log_group = f"/aws/lambda/{stack.outputs['function_name']}"
    logged = stack.client("logs").filter_log_events(logGroupName=log_group, filterPattern='"async-poison"')["events"]
    attempts = [e for e in logged if e["message"].startswith("probe got")]
    assert len(attempts) == 2, [e["message"] for e in logged]


def test_second_plan_shows_no_changes(stack):
    assert stack.second_plan_changes() is None
