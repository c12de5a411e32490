"""P25 Firehose transform: readings archived as clean lines, heartbeats dropped, what is not a reading failed."""

from __future__ import annotations

import base64
import json

import pytest

from sample_events import lambda_context

pytestmark = pytest.mark.unit

ARRIVED_MS = 1_796_630_400_123  # 2026-12-07T08:00:00.123Z


def test_a_reading_becomes_one_clean_json_line():
    from streamer import logic

    out = logic.transform(b'{"deviceId": "Pump-7", "metric": "pressure", "value": 3, "at": "2026-12-07T09:00:00+01:00"}',
                          ARRIVED_MS)  # fmt: skip
    assert out.outcome == "Ok"
    assert json.loads(out.line) == {
        "deviceId": "pump-7",
        "metric": "pressure",
        "value": 3.0,
        "at": "2026-12-07T08:00:00.000Z",
        "receivedAt": "2026-12-07T08:00:00.123Z",
    }
    assert out.line.endswith(b"\n") and out.line.count(b"\n") == 1


def test_a_reading_without_a_time_is_dated_by_its_arrival_and_epoch_milliseconds_are_read():
    from streamer import logic

    undated = json.loads(logic.transform(b'{"deviceId": "d", "metric": "m", "value": 1.5}', ARRIVED_MS).line)
    assert undated["at"] == undated["receivedAt"] == "2026-12-07T08:00:00.123Z"
    epoch = json.loads(logic.transform(b'{"deviceId": "d", "metric": "m", "value": 1, "at": 0}', ARRIVED_MS).line)
    assert epoch["at"] == "1970-01-01T00:00:00.000Z"


def test_heartbeats_and_the_configured_metrics_are_dropped(monkeypatch):
    from streamer import logic, settings

    assert logic.transform(b'{"deviceId": "d", "metric": "Heartbeat", "value": 1}', ARRIVED_MS).outcome == "Dropped"
    monkeypatch.setenv("DROPPED_METRICS", "ping, test")
    settings.dropped_metrics.cache_clear()
    try:
        dropped = settings.dropped_metrics()
        assert dropped == {"ping", "test"}
        assert (
            logic.transform(b'{"deviceId": "d", "metric": "TEST", "value": 1}', ARRIVED_MS, dropped).outcome
            == "Dropped"
        )
        assert (
            logic.transform(b'{"deviceId": "d", "metric": "heartbeat", "value": 1}', ARRIVED_MS, dropped).outcome
            == "Ok"
        )
    finally:
        settings.dropped_metrics.cache_clear()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"metric": "m", "value": 1}', "deviceId"),
        (b'{"deviceId": "a b", "metric": "m", "value": 1}', "deviceId"),
        (b'{"deviceId": "d", "metric": "m", "value": "1"}', "value must be a finite number"),
        (b'{"deviceId": "d", "metric": "m", "value": true}', "value must be a finite number"),
        (b'{"deviceId": "d", "metric": "m", "value": NaN}', "value must be a finite number"),
        (b'{"deviceId": "d", "metric": "m", "value": 1, "at": "2026-12-07T08:00:00"}', "no time zone"),
        (b'{"deviceId": "d", "metric": "m", "value": 1, "at": "yesterday"}', "not ISO 8601"),
        (b'{"deviceId": "d", "metric": "m", "value": 1, "at": 1e20}', "within range"),
        (b'{"deviceId": "d", "metric": "m", "value": 1, "at": -5}', "within range"),
        (b'{"deviceId": "d", "metric": "m", "value": 1, "at": "0001-01-01T00:00:00+01:00"}', "out of range"),
        (b'{"deviceId": "d", "metric": "m", "value": 1' + b"0" * 400 + b"}", "value must be a finite number"),
    ],
)
def test_what_is_not_a_reading_is_refused_with_its_reason(data, reason):
    from streamer import logic

    with pytest.raises(logic.InvalidReading, match=reason):
        logic.transform(data, ARRIVED_MS)


def test_the_handler_answers_every_record_with_its_outcome(monkeypatch):
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "p25")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "p25")
    monkeypatch.delenv("DROPPED_METRICS", raising=False)
    from streamer import handler, settings

    settings.dropped_metrics.cache_clear()

    def record(record_id: str, data: bytes) -> dict:
        encoded = base64.b64encode(data).decode()
        return {"recordId": record_id, "approximateArrivalTimestamp": ARRIVED_MS, "data": encoded}

    event = {
        "invocationId": "i-1",
        "deliveryStreamArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/p25",
        "region": "us-east-1",
        "records": [
            record("1", b'{"deviceId": "D", "metric": "t", "value": 1}'),
            record("2", b'{"deviceId": "D", "metric": "heartbeat", "value": 1}'),
            record("3", b"garbage"),
            record("4", b'{"deviceId": "d", "metric": "t", "value": 1, "at": 1e20}'),
        ],
    }
    answer = handler.handler(event, lambda_context("p25-transform"))
    results = {r["recordId"]: r for r in answer["records"]}
    assert [results[i]["result"] for i in "1234"] == ["Ok", "Dropped", "ProcessingFailed", "ProcessingFailed"]
    assert json.loads(base64.b64decode(results["1"]["data"]))["deviceId"] == "d"
    assert base64.b64decode(results["3"]["data"]) == b"garbage"


def test_a_defect_on_one_record_fails_that_record_alone(monkeypatch):
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "p25")
    from streamer import handler, logic

    real = logic.transform

    def broken(data, arrived_ms, dropped=frozenset({"heartbeat"})):
        if b"boom" in data:
            raise RuntimeError("a defect")
        return real(data, arrived_ms, dropped)

    monkeypatch.setattr(logic, "transform", broken)
    records = [
        {"recordId": str(n), "approximateArrivalTimestamp": ARRIVED_MS, "data": base64.b64encode(data).decode()}
        for n, data in enumerate([b'{"deviceId": "d", "metric": "t", "value": 1}', b"boom"])
    ]
    event = {"invocationId": "i", "deliveryStreamArn": "arn", "region": "us-east-1", "records": records}
    answer = handler.handler(event, lambda_context("p25-transform"))
    assert [r["result"] for r in answer["records"]] == ["Ok", "ProcessingFailed"]
