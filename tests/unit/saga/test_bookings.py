"""P20 booking saga: each service's bookings are idempotent to do and to undo, and an undone booking stays
undone (moto in-process)."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context

pytestmark = pytest.mark.unit

TABLE = "p20-bookings"


@pytest.fixture
def bookings(aws_credentials, monkeypatch):
    monkeypatch.setenv("TABLE_NAME", TABLE)
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "bookingId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "bookingId", "AttributeType": "S"}],
        )
        from booking_saga import handler

        cold_start("booking_saga")
        yield handler
        cold_start("booking_saga")


def test_reserving_twice_leaves_one_reservation_with_the_first_answer(bookings):
    first = bookings.hotel({"action": "reserve", "bookingId": "b-1", "hotel": "Harbour"}, lambda_context("hotel"))
    again = bookings.hotel({"action": "reserve", "bookingId": "b-1", "hotel": "Harbour"}, lambda_context("hotel"))
    assert first["status"] == again["status"] == "RESERVED" and again["doneAt"] == first["doneAt"]


def test_cancelling_twice_changes_nothing_the_second_time(bookings):
    bookings.flight({"action": "reserve", "bookingId": "b-2", "flight": "LH-1"}, lambda_context("hotel"))
    cancelled = bookings.flight({"action": "cancel", "bookingId": "b-2", "reason": "payment"}, lambda_context("hotel"))
    again = bookings.flight({"action": "cancel", "bookingId": "b-2", "reason": "retry"}, lambda_context("hotel"))
    assert cancelled["status"] == "CANCELLED" and again == cancelled


def test_a_compensation_before_the_booking_leaves_a_tombstone_a_late_retry_cannot_pass(bookings):
    from booking_saga import logic

    tomb = bookings.hotel({"action": "cancel", "bookingId": "b-3", "reason": "timed out"}, lambda_context("hotel"))
    assert tomb["status"] == "CANCELLED" and tomb["undoReason"] == "timed out"
    with pytest.raises(logic.BookingCancelled, match="booking b-3 was cancelled: it cannot be done again"):
        bookings.hotel({"action": "reserve", "bookingId": "b-3", "hotel": "Harbour"}, lambda_context("hotel"))


def test_a_sold_out_room_and_a_declined_card_raise_the_errors_the_saga_catches(bookings):
    from booking_saga import logic

    with pytest.raises(logic.RoomUnavailable, match="hotel SOLD-OUT Inn is sold out"):
        bookings.hotel({"action": "reserve", "bookingId": "b-4", "hotel": "SOLD-OUT Inn"}, lambda_context("hotel"))
    charge = {"action": "charge", "bookingId": "b-4", "amount": "120.50", "card": "declined"}
    with pytest.raises(logic.PaymentDeclined, match="declined for 120.50"):
        bookings.payment(charge, lambda_context("hotel"))


def test_a_payment_keeps_only_the_cards_last_four_digits(bookings):
    charged = bookings.payment(
        {"action": "charge", "bookingId": "b-5", "amount": "99", "card": "4111111111111111"}, lambda_context("hotel")
    )
    assert charged["status"] == "CHARGED" and charged["card"] == "1111" and charged["amount"] == "99"


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"action": "reserve", "bookingId": "b 6", "hotel": "H"}, "bookingId must be"),
        ({"action": "book", "bookingId": "b-6", "hotel": "H"}, "action must be reserve or cancel"),
        ({"action": "reserve", "bookingId": "b-6", "hotel": " "}, "hotel is required"),
    ],
)
def test_a_request_the_service_cannot_act_on_is_refused(bookings, event, message):
    from booking_saga import logic

    with pytest.raises(logic.InvalidRequest, match=message):
        bookings.hotel(event, lambda_context("hotel"))


@pytest.mark.parametrize("amount", ["0", "-5", "lots", "Infinity"])
def test_a_payment_needs_an_amount_above_zero(bookings, amount):
    from booking_saga import logic

    with pytest.raises(logic.InvalidRequest, match="amount must be"):
        bookings.payment(
            {"action": "charge", "bookingId": "b-7", "amount": amount, "card": "4242"}, lambda_context("hotel")
        )
