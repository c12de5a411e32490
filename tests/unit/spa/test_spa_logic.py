"""P29 spa: which changes an S3 notice reports, which paths a batch invalidates, and its caller reference."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.unit


def notice(*keys: str, sequencer: str = "0A") -> dict:
    return {
        "Records": [
            {"eventSource": "aws:s3", "s3": {"bucket": {"name": "b"}, "object": {"key": key, "sequencer": sequencer}}}
            for key in keys
        ]
    }


def test_each_changed_key_is_its_path_and_the_root_object_is_also_slash():
    from site_invalidation import logic

    changes = [logic.change("index.html", "01"), logic.change("assets/app.js", "02")]
    assert logic.paths(changes, "index.html", 50) == ["/index.html", "/", "/assets/app.js"]


def test_a_key_with_spaces_and_unicode_is_percent_encoded_once():
    from site_invalidation import logic

    assert logic.paths([logic.change("img/red flower é.png", "01")], "index.html", 50) == [
        "/img/red%20flower%20%C3%A9.png"
    ]


def test_the_same_path_twice_is_invalidated_once():
    from site_invalidation import logic

    assert logic.paths([logic.change("a.js", "01"), logic.change("a.js", "02")], "index.html", 50) == ["/a.js"]


def test_past_max_paths_everything_is_invalidated_with_one_wildcard():
    from site_invalidation import logic

    changes = [logic.change(f"f{n}.js", "01") for n in range(4)]
    assert logic.paths(changes, "index.html", 4) == ["/f0.js", "/f1.js", "/f2.js", "/f3.js"]
    assert logic.paths(changes, "index.html", 3) == ["/*"]


def test_the_reference_is_the_same_for_the_same_changes_in_any_order():
    from site_invalidation import logic

    one, two = logic.change("a.js", "01"), logic.change("b.js", "02")
    assert logic.caller_reference([one, two]) == logic.caller_reference([two, one])
    assert logic.caller_reference([one]) != logic.caller_reference([logic.change("a.js", "03")])


@pytest.mark.parametrize("key, sequencer", [(None, "01"), ("a.js", None), ("", "01")])
def test_a_record_without_key_or_sequencer_is_a_bad_event(key, sequencer):
    from site_invalidation import logic

    with pytest.raises(logic.BadEvent):
        logic.change(key, sequencer)


def test_an_s3_notice_is_decoded_into_its_changes_and_the_test_event_into_none():
    from site_invalidation import logic

    assert [(c.key, c.sequencer) for c in logic.changes_in(notice("red+flower.png"))] == [("red flower.png", "0A")]
    assert logic.changes_in({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "b"}) == []


@pytest.mark.parametrize(
    "body", [{"detail": {}}, {"Records": []}, {"Records": [{"eventSource": "aws:sqs", "body": "{}"}]}, ["a list"]]
)
def test_a_notice_that_is_not_s3s_is_refused(body):
    from site_invalidation import logic

    with pytest.raises(logic.BadEvent):
        logic.changes_in(body)


def test_unreadable_notices_are_the_batchs_failed_items_and_the_rest_are_read():
    from site_invalidation import handler

    records = [
        {"messageId": "good", "body": json.dumps(notice("index.html"))},
        {"messageId": "not-json", "body": "{"},
        {"messageId": "not-s3", "body": json.dumps({"Records": [{"eventSource": "aws:sns"}]})},
    ]
    changes, unreadable = handler.read(records)
    assert [c.key for c in changes] == ["index.html"]
    assert unreadable == ["not-json", "not-s3"]
