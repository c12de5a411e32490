"""P19 order workflow: what each step decides about an order, as plain logic."""

from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = pytest.mark.unit


def order(**overrides):
    return {
        "orderId": "o-1",
        "customer": "ada",
        "items": [{"sku": "LAMP-1", "quantity": 2, "price": "19.90"}, {"sku": "BULB", "quantity": 1, "price": 3}],
        **overrides,
    }


def test_an_order_is_parsed_with_its_total_and_carried_forward_with_amounts_as_strings():
    from order_workflow import logic

    parsed = logic.parse_order(order())
    assert parsed.total == Decimal("42.80") and parsed.priority == "standard"
    summary = logic.order_summary(parsed)
    assert summary["total"] == "42.80"
    assert summary["items"][0] == {"sku": "LAMP-1", "quantity": 2, "price": "19.90"}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("not an object", "must be a JSON object"),
        (order(orderId="o 1"), "orderId must be"),
        (order(customer="  "), "customer is required"),
        (order(priority="overnight"), "priority must be standard or express"),
        (order(items=[]), "items must list 1 to 50 lines"),
        (order(items=[{"sku": "lamp", "quantity": 1, "price": 1}]), "sku of capital letters"),
        (order(items=[{"sku": "LAMP", "quantity": True, "price": 1}]), "quantity must be a whole number"),
        (order(items=[{"sku": "LAMP", "quantity": 1001, "price": 1}]), "quantity must be a whole number"),
        (order(items=[{"sku": "LAMP", "quantity": 1, "price": "cheap"}]), "price must be a number"),
        (order(items=[{"sku": "LAMP", "quantity": 1, "price": "-1"}]), "price must be zero or more"),
        (order(items=[{"sku": "LAMP", "quantity": 1, "price": "NaN"}]), "price must be zero or more"),
    ],
)
def test_an_order_that_can_never_be_processed_is_invalid_with_the_reason(payload, message):
    from order_workflow import logic

    with pytest.raises(logic.InvalidOrder, match=message):
        logic.parse_order(payload)


def test_shortfalls_name_each_sku_with_too_little_stock():
    from order_workflow import logic

    assert logic.shortfalls({"A": 2, "B": 1, "C": 5}, {"A": 2, "C": 1}) == [
        "B: 1 wanted, 0 in stock",
        "C: 5 wanted, 1 in stock",
    ]


def test_large_orders_and_unknown_customers_are_high_risk():
    from order_workflow import logic

    assert logic.risk_of(Decimal("4999.99"), "ada") == "low"
    assert logic.risk_of(Decimal("5000"), "ada") == "high"
    assert logic.risk_of(Decimal("1"), "Unknown-42") == "high"


def test_the_error_names_the_workflow_matches_are_the_exception_class_names():
    """Step Functions' Retry and Catch match Lambda's errorType, the exception's class name."""
    from order_workflow import logic

    assert [e.__name__ for e in (logic.InvalidOrder, logic.OutOfStock, logic.InventoryBusy)] == [
        "InvalidOrder",
        "OutOfStock",
        "InventoryBusy",
    ]
