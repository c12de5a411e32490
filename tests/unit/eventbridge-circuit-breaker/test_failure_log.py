"""P22 EventBridge circuit breaker: failure events recorded once, counted within the window (moto in-process)."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context

pytestmark = pytest.mark.unit

TABLE = "p22-failures"


def failure_event(event_id: str = "e-1", at: float = 1000.0, service: str = "quotes") -> dict:
    return {
        "id": event_id,
        "detail-type": "ServiceCallFailed",
        "source": "serverless-patterns.circuit-breaker",
        "detail": {"service": service, "status": 503, "error": "down", "at": at},
    }


@pytest.fixture
def log(aws_credentials, monkeypatch):
    monkeypatch.setenv("FAILURES_TABLE", TABLE)
    monkeypatch.setenv("FAILURE_WINDOW_SECONDS", "60")
    monkeypatch.setenv("FAILURE_THRESHOLD", "3")
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[
                {"AttributeName": "service", "KeyType": "HASH"},
                {"AttributeName": "occurredAt", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "service", "AttributeType": "S"},
                {"AttributeName": "occurredAt", "AttributeType": "S"},
            ],
        )
        from eventbridge_breaker import handler, store

        cold_start("eventbridge_breaker")
        yield store, handler
        cold_start("eventbridge_breaker")


def test_a_failure_event_is_recorded_once_however_often_it_is_delivered(log):
    failures, handlers = log
    assert handlers.recorder(failure_event(), lambda_context("p22-recorder")) == {"recorded": True}
    assert handlers.recorder(failure_event(), lambda_context("p22-recorder")) == {"recorded": False}
    assert failures.recent("quotes", now=1001.0) == 1


def test_only_failures_within_the_window_count(log):
    failures, _ = log
    for n, at in enumerate((900.0, 950.0, 990.0, 1000.0)):
        failures.record("quotes", f"e-{n}", at, "down")
    assert failures.recent("quotes", now=1001.0) == 3  # 900 is older than the 60 s window
    assert failures.recent("quotes", now=1070.0) == 0
    assert failures.recent("other", now=1001.0) == 0


@pytest.mark.parametrize(
    "event",
    [
        {"detail-type": "Something", "detail": {}},
        {"detail-type": "ServiceCallFailed", "detail": {"service": "q"}},
        {"detail-type": "ServiceCallFailed", "detail": "text"},
    ],
)
def test_an_event_that_is_not_a_failure_is_refused(log, event):
    from eventbridge_breaker import logic

    with pytest.raises(logic.InvalidFailureEvent):
        logic.parse_event(event)
