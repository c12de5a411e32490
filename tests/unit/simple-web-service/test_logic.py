"""P01 request validation: plain functions, no AWS."""

from datetime import UTC, datetime

import pytest

from sample_events import cold_start
from simple_web_service import logic

pytestmark = pytest.mark.unit


def test_valid_body_becomes_item_with_trimmed_name_and_timestamp():
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    item = logic.parse_new_item('{"name": "  lamp ", "description": "desk"}', now=now, new_id="fixed")
    assert item == logic.Item(id="fixed", name="lamp", description="desk", created_at="2026-01-02T03:04:05+00:00")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (None, "request body is required"),
        ("   ", "request body is required"),
        ('{"name": ', "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"description": "x"}', "'name' is required"),
        ('{"name": ""}', "'name' is required"),
        ('{"name": 7}', "'name' is required"),
        ('{"name": "a", "price": 3}', "unknown fields: price"),
        ('{"name": "a", "description": 3}', "'description' must be a string"),
        ('{"name": "' + "x" * 201 + '"}', "at most 200"),
    ],
)
def test_bad_body_is_rejected_with_a_message_naming_the_problem(body, message):
    with pytest.raises(logic.BadRequest, match=message):
        logic.parse_new_item(body)


def test_item_id_must_be_a_uuid():
    with pytest.raises(logic.BadRequest, match="not a valid item id"):
        logic.parse_item_id({"id": "../etc/passwd"})
    with pytest.raises(logic.BadRequest, match="'id' is required"):
        logic.parse_item_id(None)
    assert logic.parse_item_id({"id": "6F9619FF-8B86-4011-B42D-00C04FC964FF"}) == "6f9619ff-8b86-4011-b42d-00c04fc964ff"


def test_page_request_bounds_limit_and_round_trips_cursor():
    cursor = logic.encode_cursor({"id": "abc"})
    page = logic.parse_page_request({"limit": "5", "cursor": cursor}, max_page_size=100)
    assert page == logic.PageRequest(limit=5, cursor={"id": "abc"})
    assert logic.parse_page_request(None, max_page_size=10).limit == 10
    for bad in ("0", "101", "x"):
        with pytest.raises(logic.BadRequest, match="'limit'"):
            logic.parse_page_request({"limit": bad}, max_page_size=100)


def test_forged_cursor_is_rejected():
    with pytest.raises(logic.BadRequest, match="cursor"):
        logic.decode_cursor("not-base64!!")
    with pytest.raises(logic.BadRequest, match="cursor"):
        logic.decode_cursor(logic.encode_cursor({"id": "a", "other": 1}))


@pytest.mark.parametrize(
    "environment, setting, message",
    [
        ({}, "table_name", "TABLE_NAME not set"),
        (
            {"TABLE_NAME": "t", "MAX_PAGE_SIZE": "many"},
            "max_page_size",
            "MAX_PAGE_SIZE must be a whole number of at least 1",
        ),
    ],
)
def test_a_misconfigured_function_says_which_setting_is_wrong(monkeypatch, environment, setting, message):
    from simple_web_service import settings

    monkeypatch.delenv("TABLE_NAME", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    cold_start("simple_web_service")
    try:
        with pytest.raises(RuntimeError, match=message):
            getattr(settings, setting)()
    finally:
        cold_start("simple_web_service")
