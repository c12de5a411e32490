"""P22 EventBridge circuit breaker: failures published as events, recorded with a TTL, counted by the guard."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from harness import Downstream, Reply, Request, Stack, applied_stack, as_role, authorized, package_zip

pytestmark = pytest.mark.integration

THRESHOLD = 3  # breaker.failure_threshold in examples/eventbridge-circuit-breaker


class QuoteService(Downstream):
    """The unreliable service: the test decides whether it fails."""

    failing = False

    def answer(self, request: Request) -> Reply:
        return Reply(503 if self.failing else 200, {"quote": request.path.rsplit("/", 1)[-1]})


@pytest.fixture(scope="module")
def service() -> Iterator[QuoteService]:
    with QuoteService() as running:
        yield running


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory, service) -> Iterator[Stack]:
    with applied_stack(
        "eventbridge-circuit-breaker",
        local_cloud,
        tmp_path_factory.mktemp("p22"),
        code="p22",
        variables={
            "package_path": str(package_zip("eventbridge-circuit-breaker")),
            "service_url": service.url,
        },
    ) as applied:
        yield applied


@pytest.fixture(autouse=True)
def no_recent_failures(stack, service):
    """Each test starts with a healthy service and no failures on record."""
    service.failing = False
    out = stack.outputs["breaker"]
    ddb = stack.client("dynamodb")
    for item in ddb.query(
        TableName=out["failures_table_name"],
        KeyConditionExpression="service = :s",
        ExpressionAttributeValues={":s": {"S": out["service_name"]}},
    )["Items"]:
        ddb.delete_item(
            TableName=out["failures_table_name"], Key={"service": item["service"], "occurredAt": item["occurredAt"]}
        )
    yield


def call(stack: Stack) -> dict:
    answer = stack.client("lambda").invoke(
        FunctionName=stack.outputs["breaker"]["function_name"],
        Payload=json.dumps({"method": "GET", "path": "/quotes/7"}),
    )
    assert "FunctionError" not in answer, answer["Payload"].read()
    return json.loads(answer["Payload"].read())


def recorded(stack: Stack, expected: int, timeout: float = 15.0) -> list[dict]:
    out, ddb = stack.outputs["breaker"], stack.client("dynamodb")
    deadline = time.monotonic() + timeout
    while True:
        items = ddb.query(
            TableName=out["failures_table_name"],
            KeyConditionExpression="service = :s",
            ExpressionAttributeValues={":s": {"S": out["service_name"]}},
            ConsistentRead=True,
        )["Items"]
        if len(items) >= expected or time.monotonic() > deadline:
            return items
        time.sleep(0.2)


def test_calls_pass_while_the_service_is_healthy(stack, service):
    before = service.calls
    answers = [call(stack) for _ in range(3)]
    assert all(a["ok"] and a["recentFailures"] == 0 for a in answers) and service.calls - before == 3


@pytest.mark.failure_mode
def test_each_failure_is_published_and_recorded_with_an_expiry(stack, service):
    service.failing = True
    assert call(stack)["error"] == "ServiceFailed"
    (item,) = recorded(stack, 1)
    assert item["error"]["S"].startswith("{")  # the service's answer
    expires = int(item["expiresAt"]["N"])
    assert 55 <= expires - time.time() <= 62  # the window: DynamoDB's TTL removes it afterwards


@pytest.mark.failure_mode
def test_after_the_threshold_the_guard_fails_fast_without_calling_the_service(stack, service):
    service.failing = True
    for _ in range(THRESHOLD):
        assert call(stack)["error"] == "ServiceFailed"
    assert len(recorded(stack, THRESHOLD)) == THRESHOLD
    service.failing = False  # healthy again, but the guard does not know yet
    before = service.calls
    answers = [call(stack) for _ in range(4)]
    assert all(a["error"] == "CircuitOpen" and a["recentFailures"] == THRESHOLD for a in answers)
    assert service.calls == before, "the guard called a service it knew to be failing"


@pytest.mark.failure_mode
def test_calls_resume_once_the_failures_leave_the_window(stack, service):
    out, ddb = stack.outputs["breaker"], stack.client("dynamodb")
    service.failing = True
    for _ in range(THRESHOLD):
        call(stack)
    items = recorded(stack, THRESHOLD)
    assert call(stack)["error"] == "CircuitOpen"
    for item in items:  # what the window's end and DynamoDB's TTL do: the failures expire
        ddb.update_item(
            TableName=out["failures_table_name"],
            Key={"service": item["service"], "occurredAt": item["occurredAt"]},
            UpdateExpression="SET expiresAt = :past",
            ExpressionAttributeValues={":past": {"N": str(int(time.time()) - 1)}},
        )
    service.failing = False
    assert call(stack)["ok"]


@pytest.mark.failure_mode
def test_the_recorders_dead_letter_queue_has_an_alarm(stack):
    out = stack.outputs["breaker"]
    alarms = stack.client("cloudwatch").describe_alarms(AlarmNames=[out["dlq_alarm_name"]])["MetricAlarms"]
    assert alarms[0]["Dimensions"] == [{"Name": "QueueName", "Value": out["dlq_url"].rsplit("/", 1)[1]}]


@pytest.mark.failure_mode
def test_each_function_runs_as_a_role_allowed_only_its_own_part(stack):
    out = stack.outputs["breaker"]
    key = {"service": {"S": "authz-probe"}, "occurredAt": {"S": "0"}}
    guard = as_role(stack, out["guard_role_name"], "dynamodb")
    assert not authorized(guard.put_item, TableName=out["failures_table_name"], Item=key)
    assert authorized(
        as_role(stack, out["guard_role_name"], "events").put_events,
        Entries=[{"Source": "probe", "DetailType": "Probe", "Detail": "{}", "EventBusName": out["event_bus_name"]}],
    )
    recorder = as_role(stack, out["recorder_role_name"], "dynamodb")
    assert authorized(
        recorder.put_item,
        TableName=out["failures_table_name"],
        Item=key,
        ConditionExpression="attribute_exists(service)",
    )
    assert not authorized(recorder.scan, TableName=out["failures_table_name"], Limit=1)
    assert not authorized(
        as_role(stack, out["recorder_role_name"], "events").put_events,
        Entries=[{"Source": "probe", "DetailType": "Probe", "Detail": "{}", "EventBusName": out["event_bus_name"]}],
    )


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
