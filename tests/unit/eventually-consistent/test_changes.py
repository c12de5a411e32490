"""P23: what a customers stream record means to the relational copy, and what the API accepts."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.unit


def record(kind: str = "MODIFY", **image: dict) -> dict:
    base = {
        "id": {"S": "c-1"},
        "name": {"S": "Ada"},
        "email": {"S": "ada@example.com"},
        "version": {"N": "3"},
        "updatedAt": {"N": "1700000000000"},
    }
    base.update(image)
    key = "OldImage" if kind == "REMOVE" else "NewImage"
    return {"eventName": kind, "dynamodb": {"Keys": {"id": {"S": "c-1"}}, key: base}}


def test_a_write_becomes_a_change_carrying_its_version():
    from replica_sync import logic

    change = logic.change_of(record())
    assert change == logic.Change("c-1", 3, 1700000000000, "Ada", "ada@example.com", False)


def test_a_removal_outranks_the_version_it_removed():
    from replica_sync import logic

    change = logic.change_of(record("REMOVE"))
    assert change.deleted and change.version == 4 and change.name is None


def test_a_customer_created_again_after_a_removal_outranks_the_removal():
    from replica_sync import logic

    removed = logic.change_of(record("REMOVE", version={"N": "7"}, createdAt={"N": "1700000000000"}))
    created_again = logic.change_of(record("INSERT", version={"N": "1"}, createdAt={"N": "1700000500000"}))
    replayed_first_life = logic.change_of(record("INSERT", version={"N": "1"}, createdAt={"N": "1700000000000"}))
    assert replayed_first_life.order < removed.order < created_again.order


def test_a_removal_of_a_customer_written_before_generations_is_outranked_by_its_next_life():
    from replica_sync import logic

    removed = logic.change_of(record("REMOVE", version={"N": "7"}))
    created_again = logic.change_of(record("INSERT", version={"N": "1"}, createdAt={"N": "1700000500000"}))
    assert removed.generation == 0 and removed.order < created_again.order


def test_an_item_written_around_the_api_is_refused_with_the_reason():
    from replica_sync import logic

    bad = record()
    del bad["dynamodb"]["NewImage"]["version"]
    with pytest.raises(logic.InvalidChange, match="no version"):
        logic.change_of(bad)


@pytest.mark.parametrize(
    ("customer_id", "body", "reason"),
    [
        ("bad id!", {"name": "A", "email": "a@b.io"}, "customer id"),
        ("c-1", ["not", "an", "object"], "JSON object"),
        ("c-1", {"name": "", "email": "a@b.io"}, "name"),
        ("c-1", {"name": "A", "email": "nope"}, "email"),
    ],
)
def test_the_api_refuses_bad_customers(customer_id, body, reason):
    from replica_sync import logic

    with pytest.raises(logic.InvalidCustomer, match=reason):
        logic.parse_customer(customer_id, body)


def test_emails_are_kept_in_lower_case():
    from replica_sync import logic

    assert logic.parse_customer("c-1", {"name": " Ada ", "email": "Ada@Example.COM"}) == ("Ada", "ada@example.com")
