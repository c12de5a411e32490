"""P30 regional-api-edge: product rules and the list's caching, as plain functions."""

from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = pytest.mark.unit

NOW = "2026-12-07T10:00:00+00:00"


def test_a_product_keeps_its_exact_price_and_who_changed_it():
    from regional_api_edge import logic

    product = logic.parse_product("lamp-1", '{"name": " Lamp ", "price": 19.90}', "editor-sub", NOW)
    assert product == logic.Product("lamp-1", "Lamp", Decimal("19.90"), "editor-sub", NOW)
    assert product.to_dict() == {
        "id": "lamp-1",
        "name": "Lamp",
        "price": 19.9,
        "updatedBy": "editor-sub",
        "updatedAt": NOW,
    }
    assert logic.parse_product("desk", '{"name": "Desk", "price": 250}', "e", NOW).to_dict()["price"] == 250


@pytest.mark.parametrize(
    ("product_id", "body", "message"),
    [
        ("lamp", None, "request body is required"),
        ("lamp", "{", "not valid JSON"),
        ("lamp", "[]", "must be a JSON object"),
        ("lamp", '{"name": "Lamp", "price": 1, "stock": 3}', "unknown fields: stock"),
        ("lamp", '{"name": " ", "price": 1}', "'name' must be a non-empty string"),
        ("lamp", '{"name": "Lamp", "price": -1}', "'price' must be a number of at least 0"),
        ("lamp", '{"name": "Lamp", "price": "12"}', "'price' must be a number of at least 0"),
        ("lamp", '{"name": "Lamp", "price": NaN}', "'price' must be a number of at least 0"),
        ("a/b", '{"name": "Lamp", "price": 1}', "the product id must be"),
    ],
)
def test_a_bad_product_is_refused_with_what_is_wrong(product_id, body, message):
    from regional_api_edge import logic

    with pytest.raises(logic.BadRequest, match=message):
        logic.parse_product(product_id, body, "editor", NOW)


def test_the_editor_is_the_id_tokens_subject_and_a_write_without_one_is_refused():
    from regional_api_edge import logic

    assert logic.editor_of({"sub": "abc", "email": "ed@example.com"}) == "abc"
    for claims in (None, {}, {"sub": ""}):
        with pytest.raises(logic.Unauthorized):
            logic.editor_of(claims)


def test_the_public_list_is_kept_for_its_max_age_or_not_at_all():
    from regional_api_edge import logic

    assert logic.list_cache_control(60) == "public, max-age=60"
    assert logic.list_cache_control(0) == "no-store"
