"""P21 circuit breaker: a real service on loopback, made to fail; the breaker's state in DynamoDB."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness import Downstream, Reply, Request, Stack, another_table, applied_stack, as_role, authorized, package_zip

pytestmark = pytest.mark.integration

OPEN_SECONDS = 2  # breaker.open_seconds in examples/circuit-breaker


class QuoteService(Downstream):
    """The unreliable service: the test decides whether it fails and how long it takes."""

    failing = False
    delay = 0.0

    def answer(self, request: Request) -> Reply:
        time.sleep(self.delay)
        return Reply(503 if self.failing else 200, {"quote": request.path.rsplit("/", 1)[-1], "price": 42})


@pytest.fixture(scope="module")
def service() -> Iterator[QuoteService]:
    with QuoteService() as running:
        yield running


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory, service) -> Iterator[Stack]:
    with applied_stack(
        "circuit-breaker",
        local_cloud,
        tmp_path_factory.mktemp("p21"),
        code="p21",
        variables={
            "package_path": str(package_zip("circuit-breaker")),
            "service_url": service.url,
        },
    ) as applied:
        yield applied


@pytest.fixture(autouse=True)
def fresh_breaker(stack, service):
    """Each test starts with a healthy service and a closed breaker."""
    service.failing, service.delay = False, 0.0
    stack.client("dynamodb").delete_item(
        TableName=stack.outputs["breaker"]["circuits_table_name"],
        Key={"circuit": {"S": stack.outputs["breaker"]["circuit_name"]}},
    )
    yield


def call(stack: Stack, path: str = "/quotes/7") -> dict:
    answer = stack.client("lambda").invoke(
        FunctionName=stack.outputs["breaker"]["function_name"], Payload=json.dumps({"method": "GET", "path": path})
    )
    assert "FunctionError" not in answer, answer["Payload"].read()
    return json.loads(answer["Payload"].read())


def state(stack: Stack) -> dict:
    item = (
        stack.client("dynamodb")
        .get_item(
            TableName=stack.outputs["breaker"]["circuits_table_name"],
            Key={"circuit": {"S": stack.outputs["breaker"]["circuit_name"]}},
            ConsistentRead=True,
        )
        .get("Item", {})
    )
    return {k: next(iter(v.values())) for k, v in item.items()}


def open_the_breaker(stack: Stack, service: QuoteService) -> None:
    service.failing = True
    answers = [call(stack) for _ in range(3)]
    assert answers[-1]["breaker"] == "OPEN", answers


def test_calls_pass_while_the_service_is_healthy(stack, service):
    before = service.calls
    answers = [call(stack, f"/quotes/{n}") for n in range(3)]
    assert all(a["ok"] and a["status"] == 200 and a["breaker"] == "CLOSED" for a in answers)
    assert json.loads(answers[1]["body"]) == {"quote": "1", "price": 42}
    assert service.calls - before == 3


@pytest.mark.failure_mode
def test_while_open_calls_fail_fast_without_reaching_the_service(stack, service):
    open_the_breaker(stack, service)
    before = service.calls
    started = time.monotonic()
    answers = [call(stack) for _ in range(5)]
    assert all(a["error"] == "CircuitOpen" and 0 < a["retryAfterSeconds"] <= OPEN_SECONDS for a in answers)
    assert service.calls == before, "an open breaker let a call through"
    assert (time.monotonic() - started) / 5 < 0.5
    assert state(stack)["state"] == "OPEN"


@pytest.mark.failure_mode
def test_after_the_open_period_one_successful_trial_closes_it(stack, service):
    open_the_breaker(stack, service)
    service.failing = False
    time.sleep(OPEN_SECONDS + 0.2)
    before = service.calls
    trial = call(stack)
    assert (trial["ok"], trial["breaker"]) == (True, "CLOSED")
    assert service.calls - before == 1
    assert call(stack)["ok"] and state(stack)["state"] == "CLOSED"


@pytest.mark.failure_mode
def test_a_failed_trial_opens_it_again_for_twice_as_long(stack, service):
    open_the_breaker(stack, service)
    time.sleep(OPEN_SECONDS + 0.2)
    trial = call(stack)
    assert (trial["error"], trial["breaker"]) == ("ServiceFailed", "OPEN")
    reopened = state(stack)
    assert reopened["state"] == "OPEN" and reopened["openings"] == "2"
    assert OPEN_SECONDS * 2 - 0.5 <= call(stack)["retryAfterSeconds"] <= OPEN_SECONDS * 2


@pytest.mark.failure_mode
def test_concurrent_callers_open_it_once_and_only_one_of_them_tries_it_again(stack, service):
    with ThreadPoolExecutor(max_workers=8) as pool:  # warm guards: the callers below arrive together
        list(pool.map(lambda _: call(stack), range(8)))
    service.failing = True
    started = time.time()
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: call(stack), range(12)))
    assert state(stack)["state"] in ("OPEN", "HALF_OPEN")
    assert {a["error"] for a in answers} <= {"ServiceFailed", "CircuitOpen"}
    assert openings_from_closed(stack, since=started) == 1, "concurrent callers opened the breaker more than once"
    time.sleep(max(0.0, float(state(stack)["openUntil"]) - time.time()) + 0.2)
    service.failing, service.delay = False, 0.5  # the trial is still running when the others arrive
    before = service.calls
    with ThreadPoolExecutor(max_workers=6) as pool:
        trials = list(pool.map(lambda _: call(stack), range(6)))
    assert service.calls - before == 1, "more than one caller tried the half-open service"
    assert sorted(a.get("error", "ok") for a in trials) == ["CircuitOpen"] * 5 + ["ok"]
    assert state(stack)["state"] == "CLOSED"


def openings_from_closed(stack: Stack, since: float) -> int:
    """How often the guard moved the breaker from CLOSED to OPEN (its "breaker opened" log lines)."""
    events = stack.client("logs").filter_log_events(
        logGroupName=f"/aws/lambda/{stack.outputs['breaker']['function_name']}",
        startTime=int(since * 1000),
        filterPattern='"breaker opened"',
    )["events"]
    return len(events)


@pytest.mark.failure_mode
def test_the_guard_may_only_read_and_update_its_own_state(stack):
    out = stack.outputs["breaker"]
    ddb = as_role(stack, out["role_name"], "dynamodb")
    key = {"circuit": {"S": "authz-probe"}}
    assert authorized(ddb.get_item, TableName=out["circuits_table_name"], Key=key)
    assert not authorized(ddb.delete_item, TableName=out["circuits_table_name"], Key=key)
    assert not authorized(ddb.scan, TableName=out["circuits_table_name"], Limit=1)
    with another_table(stack, "circuit") as other:
        assert not authorized(ddb.get_item, TableName=other, Key=key)


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
