"""A function on each Lambda runtime the local cloud runs, applied by Terraform and reached the five ways a
function is: a direct invoke, an asynchronous event, a queue, an HTTP API route and a Step Functions task."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from harness import STACKS, Stack, applied_stack, http_api_call
from tooling.build import write_zip

pytestmark = pytest.mark.integration

# runtime -> what its interpreter reports as its version
VERSIONS = {"python3.11": "3.11.", "python3.13": "3.13.", "nodejs20.x": "v20.", "nodejs22.x": "v22."}
SOURCES = STACKS / "runtimes" / "src"


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory):
    work = tmp_path_factory.mktemp("runtimes")
    for family in ("python", "nodejs"):
        write_zip(work / f"{family}.zip", [SOURCES / family], SOURCES / family)
    functions = {
        runtime: (
            {"package": str(work / "python.zip"), "handler": "app.handler"}
            if runtime.startswith("python")
            else {"package": str(work / "nodejs.zip"), "handler": "index.handler"}
        )
        for runtime in VERSIONS
    }
    with applied_stack("runtimes", local_cloud, work, code="rt", variables={"functions": functions}) as applied:
        yield applied


def seen(stack: Stack, event_id: str, timeout_s: float = 30) -> dict[str, str]:
    """The item the function wrote for this event, as plain strings."""
    deadline = time.monotonic() + timeout_s
    while True:
        item = stack.client("dynamodb").get_item(TableName=stack.outputs["table_name"], Key={"id": {"S": event_id}})
        if "Item" in item or time.monotonic() > deadline:
            return {key: value["S"] for key, value in item.get("Item", {}).items()}
        time.sleep(0.3)


@pytest.mark.parametrize("runtime", sorted(VERSIONS))
def test_a_direct_invoke_runs_on_the_runtimes_own_interpreter(stack, runtime):
    event = {"id": f"direct-{uuid.uuid4().hex}", "source": "invoke"}
    answer = stack.client("lambda").invoke(
        FunctionName=stack.outputs["function_names"][runtime], Payload=json.dumps(event)
    )
    result = json.loads(answer["Payload"].read())
    assert "FunctionError" not in answer, result
    assert result["runtime"] == runtime and result["version"].startswith(VERSIONS[runtime])
    assert seen(stack, event["id"])["runtime"] == runtime


@pytest.mark.parametrize("runtime", sorted(VERSIONS))
def test_an_asynchronous_event_is_handled_by_the_runtime(stack, runtime):
    event = {"id": f"async-{uuid.uuid4().hex}", "source": "event"}
    answer = stack.client("lambda").invoke(
        FunctionName=stack.outputs["function_names"][runtime], InvocationType="Event", Payload=json.dumps(event)
    )
    assert answer["StatusCode"] == 202
    item = seen(stack, event["id"])
    assert item["runtime"] == runtime and item["version"].startswith(VERSIONS[runtime])


@pytest.mark.parametrize("runtime", sorted(VERSIONS))
def test_a_queue_message_reaches_the_runtime_through_its_event_source_mapping(stack, runtime):
    message_id = f"queued-{uuid.uuid4().hex}"
    stack.client("sqs").send_message(QueueUrl=stack.outputs["queue_urls"][runtime], MessageBody=message_id)
    item = seen(stack, message_id)
    assert item == {"id": message_id, "source": "aws:sqs", "runtime": runtime, "version": item.get("version", "")}
    assert item["version"].startswith(VERSIONS[runtime])


@pytest.mark.parametrize("runtime", sorted(VERSIONS))
def test_an_http_api_route_is_answered_by_the_runtime(stack, runtime):
    answer = http_api_call(stack, stack.outputs["api_id"], "GET", f"/{runtime}", signed=False)
    assert answer.status == 200, answer.text
    assert answer.json()["runtime"] == runtime and answer.json()["version"].startswith(VERSIONS[runtime])


def test_a_state_machine_calls_each_runtime_as_a_task(stack):
    sfn = stack.client("stepfunctions")
    name = f"each-{uuid.uuid4().hex[:8]}"
    execution = sfn.start_execution(stateMachineArn=stack.outputs["state_machine_arn"], name=name, input="{}")
    deadline = time.monotonic() + 60
    described = sfn.describe_execution(executionArn=execution["executionArn"])
    while described["status"] == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.5)
        described = sfn.describe_execution(executionArn=execution["executionArn"])
    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    for runtime, version in VERSIONS.items():
        answered = output[runtime.replace(".", "_")]
        assert answered["runtime"] == runtime and answered["version"].startswith(version)
        assert seen(stack, f"{name}-{runtime}")["source"] == "aws:states"


def test_second_plan_shows_no_changes(stack):
    assert stack.second_plan_changes() is None
