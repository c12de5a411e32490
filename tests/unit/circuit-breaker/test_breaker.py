"""P21 circuit breaker: its rules, and its state kept by conditional writes (moto in-process)."""

from __future__ import annotations

from unittest import mock

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context

pytestmark = pytest.mark.unit

TABLE = "p21-circuits"


def rules(**overrides):
    from circuit_breaker import logic

    return logic.Rules(
        **{
            "failure_threshold": 3,
            "failure_window_s": 60,
            "open_s": 10,
            "max_open_s": 35,
            "trial_lease_s": 3,
            **overrides,
        }
    )


def test_a_closed_breaker_calls_an_open_one_fails_fast_until_its_period_ends_then_allows_a_trial():
    from circuit_breaker import logic

    assert logic.decide(logic.Circuit(), 0).action == "call"
    opened = logic.Circuit(state="OPEN", open_until=100)
    assert logic.decide(opened, 90) == logic.Decision("fail_fast", 10)
    assert logic.decide(opened, 100).action == "trial"
    trying = logic.Circuit(state="HALF_OPEN", trial_until=50)
    assert logic.decide(trying, 49).action == "fail_fast"
    assert logic.decide(trying, 51).action == "trial"  # the trial caller vanished: another may try


def test_each_failed_trial_doubles_the_open_period_up_to_the_cap():
    from circuit_breaker import logic

    assert [logic.open_period(rules(), n) for n in (1, 2, 3, 4)] == [10, 20, 35, 35]


@pytest.fixture
def guard(aws_credentials, monkeypatch):
    monkeypatch.setenv("CIRCUITS_TABLE", TABLE)
    monkeypatch.setenv("SERVICE_URL", "http://service.invalid")
    monkeypatch.setenv("FAILURE_THRESHOLD", "3")
    monkeypatch.setenv("OPEN_SECONDS", "10")
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "circuit", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "circuit", "AttributeType": "S"}],
        )
        from circuit_breaker import handler

        cold_start("circuit_breaker")
        yield handler
        cold_start("circuit_breaker")


def test_the_breaker_opens_at_the_threshold_and_then_fails_fast_without_calling(guard):
    calls = []

    def failing(method, url, timeout):
        calls.append(url)
        return 503, "down"

    with mock.patch.object(guard.http, "call", failing):
        answers = [guard.guarded_call("GET", "/q", 1000.0 + n) for n in range(5)]
    assert [a["error"] for a in answers] == ["ServiceFailed"] * 3 + ["CircuitOpen"] * 2
    assert [a["breaker"] for a in answers[:3]] == ["CLOSED", "CLOSED", "OPEN"]
    assert len(calls) == 3


def test_a_successful_trial_closes_the_breaker_and_a_failed_one_reopens_it_for_longer(guard):
    from circuit_breaker import store

    with mock.patch.object(guard.http, "call", lambda *args: (503, "down")):
        for n in range(3):
            guard.guarded_call("GET", "/q", 1000.0 + n)
        assert guard.guarded_call("GET", "/q", 1013.0)["breaker"] == "OPEN"  # the trial failed
    reopened = store.read("http://service.invalid")
    assert (reopened.state, reopened.openings) == ("OPEN", 2)
    assert 1033.0 <= reopened.open_until < 1034.0  # twice the first period
    with mock.patch.object(guard.http, "call", lambda *args: (200, "{}")):
        assert guard.guarded_call("GET", "/q", 1020.0)["error"] == "CircuitOpen"
        answer = guard.guarded_call("GET", "/q", 1034.0)
    assert (answer["ok"], answer["breaker"]) == (True, "CLOSED")
    assert store.read("http://service.invalid").openings == 0


def test_only_one_of_two_callers_seeing_the_same_open_breaker_gets_the_trial(guard):
    from circuit_breaker import logic, store

    with mock.patch.object(guard.http, "call", lambda *args: (503, "down")):
        for n in range(3):
            guard.guarded_call("GET", "/q", 1000.0 + n)
    seen = store.read("http://service.invalid")
    assert store.claim_trial("http://service.invalid", seen, 1020.0, rules()) is True
    assert store.claim_trial("http://service.invalid", seen, 1020.0, rules()) is False
    assert store.read("http://service.invalid").state == "HALF_OPEN"
    assert logic.decide(store.read("http://service.invalid"), 1021.0).action == "fail_fast"


def test_client_errors_do_not_count_against_the_service(guard):
    with mock.patch.object(guard.http, "call", lambda *args: (404, "no such quote")):
        answers = [guard.guarded_call("GET", "/q", 1000.0 + n) for n in range(5)]
    assert {a["breaker"] for a in answers} == {"CLOSED"} and answers[0]["status"] == 404


def test_a_bad_request_is_refused_with_the_reason(guard):
    answer = guard.handler({"method": "POST", "path": "/q"}, lambda_context("p21-guard"))
    assert answer["error"] == "InvalidRequest"
