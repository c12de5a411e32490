"""P26 window aggregator: what a reading is, how a window's state adds up, and the aggregates kept at its end."""

from __future__ import annotations

import base64
import json

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context

pytestmark = pytest.mark.unit

WINDOWS = "p26-windows"
WINDOW = {"start": "2026-12-07T08:00:00Z", "end": "2026-12-07T08:01:00Z"}


def kinesis_record(data: bytes, sequence: str = "1") -> dict:
    return {"kinesis": {"data": base64.b64encode(data).decode(), "sequenceNumber": sequence, "partitionKey": "k"}}


def window_event(records: list[dict], state: dict | None = None, *, final: bool = False) -> dict:
    return {
        "Records": records,
        "window": WINDOW,
        "state": state or {},
        "shardId": "shardId-000000000000",
        "eventSourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/p26-readings",
        "isFinalInvokeForWindow": final,
        "isWindowTerminatedEarly": False,
    }


def test_a_reading_is_a_sensor_and_a_finite_value_on_one_line():
    from stream_analytics import logic

    assert logic.reading_of(b'{"sensor": "s-1", "value": 2}\n') == logic.Reading("s-1", 2.0)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"sensor": "s", "value": 1}', "newline"),
        (b"not json\n", "not JSON"),
        (b"[1]\n", "not a JSON object"),
        (b'{"sensor": "", "value": 1}\n', "sensor"),
        (b'{"sensor": "a b", "value": 1}\n', "sensor"),
        (b'{"sensor": "s", "value": "1"}\n', "value"),
        (b'{"sensor": "s", "value": true}\n', "value"),
        (b'{"sensor": "s", "value": NaN}\n', "value"),
        (b'{"sensor": "s"}\n', "value"),
    ],
)
def test_what_is_not_a_reading_is_refused_with_its_reason(data, reason):
    from stream_analytics import logic

    with pytest.raises(logic.InvalidReading, match=reason):
        logic.reading_of(data)


def test_a_windows_state_adds_counts_sums_and_extremes_and_leaves_the_given_state_alone():
    from stream_analytics import logic

    given = {"a": {"count": 1, "sum": 5.0, "min": 5.0, "max": 5.0}}
    state = logic.add(given, [logic.Reading("a", 1.0), logic.Reading("b", 2.0), logic.Reading("a", 9.0)])
    assert state == {
        "a": {"count": 3, "sum": 15.0, "min": 1.0, "max": 9.0},
        "b": {"count": 1, "sum": 2.0, "min": 2.0, "max": 2.0},
    }
    assert given == {"a": {"count": 1, "sum": 5.0, "min": 5.0, "max": 5.0}}
    assert json.loads(json.dumps(state)) == state  # Lambda carries it as JSON


def test_a_window_ended_early_keeps_each_part_under_its_own_key_the_same_on_a_retry():
    from stream_analytics import logic

    first = {"a": {"count": 2, "sum": 3.0, "min": 1.0, "max": 2.0}}
    second = {"a": {"count": 1, "sum": 5.0, "min": 5.0, "max": 5.0}}
    keys = [
        logic.window_key(a)
        for s in (first, first, second)
        for a in logic.aggregates("t0", "t1", "sh", s, ended_early=True)
    ]
    assert keys[0] == keys[1] != keys[2]
    assert keys[0].startswith("t0#sh#")
    (whole,) = logic.aggregates("t0", "t1", "sh", second)
    assert logic.window_key(whole) == "t0#sh"


@pytest.fixture
def aggregator(aws_credentials, monkeypatch):
    monkeypatch.setenv("WINDOWS_TABLE", WINDOWS)
    with mock_aws():
        ddb = boto3.client("dynamodb")
        ddb.create_table(
            TableName=WINDOWS,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "sensor", "KeyType": "HASH"}, {"AttributeName": "window", "KeyType": "RANGE"}],
            AttributeDefinitions=[
                {"AttributeName": "sensor", "AttributeType": "S"},
                {"AttributeName": "window", "AttributeType": "S"},
            ],
        )
        from stream_analytics import handler

        cold_start("stream_analytics")
        yield handler, ddb
        cold_start("stream_analytics")


def test_a_batch_inside_a_window_returns_the_new_state_and_keeps_nothing_yet(aggregator):
    handler, ddb = aggregator
    event = window_event(
        [kinesis_record(b'{"sensor": "a", "value": 2}\n')], {"a": {"count": 1, "sum": 1.0, "min": 1.0, "max": 1.0}}
    )
    answer = handler.aggregate(event, lambda_context("p26-aggregator"))
    assert answer == {"state": {"a": {"count": 2, "sum": 3.0, "min": 1.0, "max": 2.0}}}
    assert ddb.scan(TableName=WINDOWS)["Items"] == []


def test_the_final_invocation_keeps_one_row_per_sensor_and_a_retry_of_it_counts_nothing_twice(aggregator):
    handler, ddb = aggregator
    state = {
        "a": {"count": 2, "sum": 3.5, "min": 1.0, "max": 2.5},
        "b": {"count": 1, "sum": -1.0, "min": -1.0, "max": -1.0},
    }
    event = window_event([], state, final=True)
    assert handler.aggregate(event, lambda_context("p26-aggregator")) == {"state": {}}
    assert handler.aggregate(event, lambda_context("p26-aggregator")) == {"state": {}}
    items = sorted(ddb.scan(TableName=WINDOWS)["Items"], key=lambda i: i["sensor"]["S"])
    assert [
        (i["sensor"]["S"], i["window"]["S"], i["count"]["N"], i["sum"]["N"], i["min"]["N"], i["max"]["N"])
        for i in items
    ] == [
        ("a", "2026-12-07T08:00:00Z#shardId-000000000000", "2", "3.5", "1.0", "2.5"),
        ("b", "2026-12-07T08:00:00Z#shardId-000000000000", "1", "-1.0", "-1.0", "-1.0"),
    ]
    assert items[0]["windowEnd"]["S"] == WINDOW["end"]


def test_a_bad_record_fails_the_whole_batch_so_lambda_bisects_it(aggregator):
    handler, ddb = aggregator
    event = window_event([kinesis_record(b'{"sensor": "a", "value": 1}\n', "1"), kinesis_record(b"oops\n", "2")])
    with pytest.raises(Exception, match="not JSON"):
        handler.aggregate(event, lambda_context("p26-aggregator"))


def test_the_archive_check_passes_readings_as_they_came_and_fails_the_rest(aggregator):
    handler, _ = aggregator
    good, bad = b'{"sensor": "a", "value": 1}\n', b'{"sensor": "a", "value": "hot"}\n'
    event = {
        "invocationId": "i",
        "deliveryStreamArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/p26-archive",
        "region": "us-east-1",
        "records": [
            {"recordId": "r1", "approximateArrivalTimestamp": 1796630400000, "data": base64.b64encode(good).decode()},
            {"recordId": "r2", "approximateArrivalTimestamp": 1796630400000, "data": base64.b64encode(bad).decode()},
        ],
    }
    answer = handler.archive(event, lambda_context("p26-archive-check"))
    assert [(r["recordId"], r["result"], base64.b64decode(r["data"])) for r in answer["records"]] == [
        ("r1", "Ok", good),
        ("r2", "ProcessingFailed", bad),
    ]
