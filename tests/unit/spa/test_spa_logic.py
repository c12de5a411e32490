"""P29 spa: which paths a site change invalidates, and the reference that makes a retry the same request."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.unit


def test_each_changed_key_is_its_path_and_the_root_object_is_also_slash():
    from site_invalidation import logic

    changes = [logic.change("index.html", "01"), logic.change("assets/app.js", "02")]
    assert logic.paths(changes, "index.html") == ["/index.html", "/", "/assets/app.js"]


def test_a_key_with_spaces_and_unicode_is_percent_encoded_once():
    from site_invalidation import logic

    assert logic.paths([logic.change("img/red flower é.png", "01")], "index.html") == ["/img/red%20flower%20%C3%A9.png"]


def test_the_same_path_twice_is_invalidated_once():
    from site_invalidation import logic

    assert logic.paths([logic.change("a.js", "01"), logic.change("a.js", "02")], "index.html") == ["/a.js"]


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


def test_an_event_that_is_not_s3s_is_refused_before_any_call():
    from site_invalidation import handler, logic

    with pytest.raises(logic.BadEvent, match="no Records"):
        handler.site_changes({"detail": {}})
    with pytest.raises(logic.BadEvent, match="not an S3 record"):
        handler.site_changes({"Records": [{"eventSource": "aws:sqs", "body": "{}"}]})


def test_an_s3_record_is_decoded_into_its_change():
    from site_invalidation import handler

    event = {
        "Records": [
            {
                "eventSource": "aws:s3",
                "s3": {"bucket": {"name": "b"}, "object": {"key": "red+flower.png", "sequencer": "0A"}},
            }
        ]
    }
    assert [(c.key, c.sequencer) for c in handler.site_changes(event)] == [("red flower.png", "0A")]
