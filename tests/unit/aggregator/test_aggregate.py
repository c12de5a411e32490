"""P05: parts are called at once; a late or failing part is named, and the whole waits for the timeout, not the sum."""

from __future__ import annotations

import time
import urllib.error

import pytest

pytestmark = pytest.mark.unit

DOWNSTREAMS = {
    "profile": "http://x/profile/{customerId}",
    "orders": "http://x/orders/{customerId}",
    "recommendations": "http://x/recommendations/{customerId}",
}


def fake_fetch(delays: dict[str, float], failing: set[str] = frozenset()):
    def fetch(url: str, timeout_s: float):
        part = url.split("/")[3]
        if part in failing:
            raise urllib.error.HTTPError(url, 503, "down", {}, None)
        time.sleep(min(delays.get(part, 0.0), timeout_s))
        if delays.get(part, 0.0) > timeout_s:
            raise TimeoutError("timed out")
        return {"part": part, "id": url.rsplit("/", 1)[-1]}

    return fetch


def test_every_part_arrives_and_the_calls_run_at_once():
    from aggregator import logic

    started = time.monotonic()
    answer = logic.aggregate(
        "c 1", DOWNSTREAMS, 1000, fake_fetch({"profile": 0.3, "orders": 0.3, "recommendations": 0.3})
    )
    assert time.monotonic() - started < 0.6, "three calls of 0.3 s ran one after another"
    assert answer["missing"] == [] and answer["profile"] == {"part": "profile", "id": "c%201"}


def test_a_slow_part_is_named_missing_and_the_answer_waits_only_for_the_timeout():
    from aggregator import logic

    started = time.monotonic()
    answer = logic.aggregate("c1", DOWNSTREAMS, 300, fake_fetch({"recommendations": 5.0}))
    assert time.monotonic() - started < 1.0
    assert answer["missing"] == [{"part": "recommendations", "reason": "timed out after 300 ms"}]
    assert set(answer) >= {"profile", "orders"} and "recommendations" not in answer


def test_a_failing_part_is_named_with_what_it_answered():
    from aggregator import logic

    answer = logic.aggregate("c1", DOWNSTREAMS, 300, fake_fetch({}, failing={"orders"}))
    assert answer["missing"] == [{"part": "orders", "reason": "answered HTTP 503"}]


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "[]",
        '{"a": "ftp://x/{customerId}"}',
        '{"a": "http://x/no-placeholder"}',
        '{"missing": "http://x/{customerId}"}',
    ],
)
def test_a_misconfigured_downstream_list_is_refused(raw):
    from aggregator import logic

    with pytest.raises(logic.InvalidDownstreams):
        logic.parse_downstreams(raw)
