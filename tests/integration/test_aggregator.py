"""P05 aggregator: every part at once; a slow or failing service yields a partial answer naming it, in bounded time."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from harness import Downstream, Reply, Request, Stack, applied_stack, http_api_call, package_zip

pytestmark = pytest.mark.integration


class CustomerServices(Downstream):
    """Three real downstream services; the test decides which part is slow or failing."""

    slow: set[str] = set()
    failing: set[str] = set()

    def answer(self, request: Request) -> Reply:
        part, customer = request.path.strip("/").split("/")[:2]
        if part in self.slow:
            time.sleep(3)
        return Reply(503 if part in self.failing else 200, {"service": part, "customer": customer})


@pytest.fixture(scope="module")
def services() -> Iterator[CustomerServices]:
    with CustomerServices() as running:
        yield running


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory, services) -> Iterator[Stack]:
    with applied_stack(
        "aggregator",
        local_cloud,
        tmp_path_factory.mktemp("p05"),
        code="p05",
        variables={
            "package_path": str(package_zip("aggregator")),
            "services_base_url": services.url,
        },
    ) as applied:
        yield applied


def overview(stack: Stack, customer: str):
    started = time.monotonic()
    answer = http_api_call(stack, stack.outputs["aggregator"]["api_id"], "GET", f"customers/{customer}/overview")
    return answer, time.monotonic() - started


@pytest.fixture(autouse=True)
def healthy_services(services):
    services.slow, services.failing = set(), set()
    yield
    services.slow, services.failing = set(), set()


def test_one_request_returns_the_merged_parts_of_three_services(stack):
    overview(stack, "warmup")
    answer, _ = overview(stack, "c-1")
    assert answer.status == 200, answer.text
    body = answer.json()
    assert body["missing"] == []
    assert {part: body[part] for part in ("profile", "orders", "recommendations")} == {
        part: {"service": part, "customer": "c-1"} for part in ("profile", "orders", "recommendations")
    }


@pytest.mark.failure_mode
def test_a_slow_service_yields_a_partial_answer_in_the_time_of_one_call_not_the_sum(stack, services):
    overview(stack, "warmup")
    services.slow = {"recommendations", "orders"}
    answer, seconds = overview(stack, "c-2")
    assert answer.status == 200
    body = answer.json()
    assert body["profile"] == {"service": "profile", "customer": "c-2"}
    assert sorted(m["part"] for m in body["missing"]) == ["orders", "recommendations"]
    assert {m["reason"] for m in body["missing"]} == {"timed out after 700 ms"}
    assert seconds < 2.5, f"two slow services (3 s each) took {seconds:.1f} s: the calls were not bounded"


@pytest.mark.failure_mode
def test_a_failing_service_is_named_and_only_no_part_at_all_is_a_502(stack, services):
    services.failing = {"orders"}
    body = overview(stack, "c-3")[0].json()
    assert body["missing"] == [{"part": "orders", "reason": "answered HTTP 503"}]
    services.failing = {"profile", "orders", "recommendations"}
    answer, _ = overview(stack, "c-4")
    assert answer.status == 502 and len(answer.json()["missing"]) == 3


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
