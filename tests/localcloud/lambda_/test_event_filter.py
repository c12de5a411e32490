"""FilterCriteria as Lambda applies them: any filter matching delivers, each source seen as AWS shows it."""

from __future__ import annotations

import base64
import json

import pytest

from localcloud.lambda_ import event_filter

pytestmark = pytest.mark.unit


def patterns(*filters: dict) -> list:
    return event_filter.parse({"Filters": [{"Pattern": json.dumps(f)} for f in filters]})


def kinesis_record(data: bytes) -> dict:
    return {"kinesis": {"partitionKey": "p", "sequenceNumber": "1", "data": base64.b64encode(data).decode()}}


def test_no_filters_deliver_everything():
    assert event_filter.matches(event_filter.parse(None), {"anything": 1})


def test_any_matching_filter_delivers_the_record():
    found = patterns({"eventName": ["INSERT"]}, {"eventName": ["REMOVE"]})
    assert event_filter.matches(found, {"eventName": "REMOVE"})
    assert not event_filter.matches(found, {"eventName": "MODIFY"})


def test_dynamodb_new_image_values_match_in_dynamodb_json():
    found = patterns({"dynamodb": {"NewImage": {"status": {"S": ["paid"]}}}})
    record = {"eventName": "INSERT", "dynamodb": {"NewImage": {"status": {"S": "paid"}}}}
    assert event_filter.matches(found, event_filter.dynamodb_view(record))
    record["dynamodb"]["NewImage"]["status"]["S"] = "open"
    assert not event_filter.matches(found, event_filter.dynamodb_view(record))


def test_kinesis_data_is_decoded_before_matching_and_non_json_data_never_matches_a_data_filter():
    found = patterns({"data": {"temperature": [{"numeric": [">", 30]}]}})
    assert event_filter.matches(found, event_filter.kinesis_view(kinesis_record(b'{"temperature": 41}')))
    assert not event_filter.matches(found, event_filter.kinesis_view(kinesis_record(b'{"temperature": 12}')))
    assert not event_filter.matches(found, event_filter.kinesis_view(kinesis_record(b"41 degrees")))
    assert event_filter.matches(
        patterns({"partitionKey": ["p"]}), event_filter.kinesis_view(kinesis_record(b"41 degrees"))
    )


def test_sqs_body_is_parsed_when_it_holds_json_and_kept_as_text_otherwise():
    assert event_filter.matches(
        patterns({"body": {"kind": ["order"]}}), event_filter.sqs_view({"body": '{"kind": "order"}'})
    )
    assert event_filter.matches(patterns({"body": ["plain"]}), event_filter.sqs_view({"body": "plain"}))


@pytest.mark.parametrize(
    "criteria",
    [
        {"Filters": [{"Pattern": "{not json"}]},
        {"Filters": [{"Pattern": json.dumps({"eventName": "INSERT"})}]},  # values must be arrays or objects
        {"Filters": [{"Pattern": "{}"}]},
    ],
)
def test_invalid_patterns_are_refused_with_lambdas_message(criteria):
    with pytest.raises(event_filter.InvalidFilter, match="Invalid filter pattern definition."):
        event_filter.parse(criteria)


def test_more_than_five_filters_are_refused():
    with pytest.raises(event_filter.InvalidFilter, match="exceeds the limit of 5"):
        patterns(*({"eventName": [str(n)]} for n in range(6)))
