"""P31 single-domain-frontend-backend: the message rules, as plain functions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

pytestmark = pytest.mark.unit

NOW = datetime(2026, 12, 7, 10, 0, 0, 123456, tzinfo=UTC)


def test_a_message_is_trimmed_and_keyed_by_when_it_was_posted():
    from single_domain_frontend_backend import logic

    message = logic.parse_message('{"author": " Ada ", "text": " hello "}', NOW, suffix="abcd1234")
    assert message == logic.Message("2026-12-07T10:00:00.123456+00:00#abcd1234", "Ada", "hello")
    assert message.to_dict() == {"id": message.posted, "author": "Ada", "text": "hello"}


def test_two_messages_in_the_same_instant_have_different_keys():
    from single_domain_frontend_backend import logic

    body = '{"author": "Ada", "text": "hi"}'
    assert logic.parse_message(body, NOW).posted != logic.parse_message(body, NOW).posted


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (None, "request body is required"),
        ("{", "not valid JSON"),
        ('"hi"', "must be a JSON object"),
        ('{"author": "Ada", "text": "hi", "admin": true}', "unknown fields: admin"),
        ('{"author": " ", "text": "hi"}', "'author' must be a non-empty string of at most 50"),
        ('{"author": "Ada", "text": 5}', "'text' must be a non-empty string of at most 500"),
        ('{"author": "Ada", "text": "' + "x" * 501 + '"}', "'text' must be a non-empty string of at most 500"),
    ],
)
def test_a_bad_message_is_refused_with_what_is_wrong(body, reason):
    from single_domain_frontend_backend import logic

    with pytest.raises(logic.BadRequest, match=reason):
        logic.parse_message(body, NOW)


def test_only_a_body_declared_json_is_read():
    from single_domain_frontend_backend import logic

    logic.require_json("application/json; charset=utf-8")
    for declared in (None, "text/plain", "application/x-www-form-urlencoded"):
        with pytest.raises(logic.UnsupportedMediaType, match="Content-Type: application/json"):
            logic.require_json(declared)
