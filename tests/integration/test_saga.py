"""P20 saga: hotel, flight and payment booked in order; on a failure, undone in reverse order."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest

from harness import Stack, applied_stack, as_role, authorized, finished_execution, package_zip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "saga",
        local_cloud,
        tmp_path_factory.mktemp("p20"),
        code="p20",
        variables={"package_path": str(package_zip("saga"))},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict:
    return stack.outputs["saga"]


def trip(**overrides) -> dict:
    return {
        "bookingId": f"b-{uuid.uuid4().hex[:10]}",
        "hotel": "Hotel Lisboa",
        "flight": "TP123",
        "amount": "840.00",
        "card": "4242",
        **overrides,
    }


def run(stack: Stack, payload: dict, timeout: float = 60.0) -> tuple[dict, list[dict]]:
    sfn = stack.client("stepfunctions")
    arn = sfn.start_execution(stateMachineArn=outputs(stack)["state_machine_arn"], input=json.dumps(payload))[
        "executionArn"
    ]
    described = finished_execution(sfn, arn, timeout)
    return described, sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]


def records(stack: Stack, booking_id: str) -> dict[str, dict | None]:
    ddb = stack.client("dynamodb")
    found = {}
    for service, table in outputs(stack)["table_names"].items():
        item = ddb.get_item(TableName=table, Key={"bookingId": {"S": booking_id}}, ConsistentRead=True).get("Item")
        found[service] = {k: next(iter(v.values())) for k, v in item.items()} if item else None
    return found


def statuses(stack: Stack, booking_id: str) -> dict[str, str | None]:
    return {service: (record or {}).get("status") for service, record in records(stack, booking_id).items()}


def entered(events: list[dict]) -> list[str]:
    return [e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("StateEntered")]


def invoke(stack: Stack, service: str, payload: dict) -> dict:
    answer = stack.client("lambda").invoke(
        FunctionName=outputs(stack)["function_names"][service], Payload=json.dumps(payload)
    )
    return {"error": answer.get("FunctionError"), **json.loads(answer["Payload"].read())}


def test_the_happy_path_commits_all_three(stack):
    payload = trip()
    started = time.monotonic()
    described, events = run(stack, payload)
    took = time.monotonic() - started
    assert described["status"] == "SUCCEEDED", described
    assert entered(events) == ["CheckRequest", "ReserveHotel", "ReserveFlight", "TakePayment", "Booked"]
    assert statuses(stack, payload["bookingId"]) == {"hotel": "RESERVED", "flight": "RESERVED", "payment": "CHARGED"}
    print(f"\nP20: happy path in {took:.2f} s end to end")


@pytest.mark.failure_mode
def test_a_payment_failure_undoes_the_flight_then_the_hotel_and_leaves_no_reservation(stack):
    payload = trip(card="declined")
    started = time.monotonic()
    described, events = run(stack, payload)
    took = time.monotonic() - started
    assert (described["status"], described["error"]) == ("FAILED", "Booking.Failed")
    assert entered(events) == [
        "CheckRequest",
        "ReserveHotel",
        "ReserveFlight",
        "TakePayment",
        "RefundPayment",
        "CancelFlight",
        "CancelHotel",
        "BookingFailed",
    ]
    found = records(stack, payload["bookingId"])
    assert {service: r["status"] for service, r in found.items()} == {
        "hotel": "CANCELLED",
        "flight": "CANCELLED",
        "payment": "REFUNDED",
    }
    assert found["hotel"]["undoReason"] == "PaymentDeclined"
    assert found["payment"].get("amount") is None  # nothing was charged: the refund is a tombstone
    print(f"\nP20: payment failure compensated in {took:.2f} s end to end")


@pytest.mark.failure_mode
def test_a_flight_failure_undoes_the_hotel_and_never_takes_payment(stack):
    payload = trip(flight="SOLD-OUT-9")
    described, events = run(stack, payload)
    assert described["status"] == "FAILED"
    assert entered(events) == [
        "CheckRequest",
        "ReserveHotel",
        "ReserveFlight",
        "CancelFlight",
        "CancelHotel",
        "BookingFailed",
    ]
    assert statuses(stack, payload["bookingId"]) == {"hotel": "CANCELLED", "flight": "CANCELLED", "payment": None}


@pytest.mark.failure_mode
@pytest.mark.parametrize(
    "request_fields",
    [
        {"flight": None},
        {"amount": None},
        {"card": None},
        {"amount": 840},
    ],
    ids=["no-flight", "no-amount", "no-card", "amount-not-a-string"],
)
def test_an_incomplete_request_fails_before_anything_is_reserved(stack, request_fields):
    # WHEN a field a later step needs is missing (or of the wrong type)
    payload = {key: value for key, value in trip(**request_fields).items() if value is not None}
    described, events = run(stack, payload)
    # THEN the saga stops at the check: an uncatchable States.Runtime after the hotel would leave a room
    assert (described["status"], described["error"]) == ("FAILED", "Booking.InvalidRequest")
    assert entered(events) == ["CheckRequest", "InvalidRequest"]
    assert statuses(stack, payload["bookingId"]) == {"hotel": None, "flight": None, "payment": None}


@pytest.mark.failure_mode
def test_a_compensation_run_twice_changes_nothing(stack):
    payload = trip(card="declined")
    run(stack, payload)
    before = records(stack, payload["bookingId"])
    for service, action in (("payment", "refund"), ("flight", "cancel"), ("hotel", "cancel")):
        answer = invoke(stack, service, {"action": action, "bookingId": payload["bookingId"], "reason": "again"})
        assert answer["error"] is None, answer
    assert records(stack, payload["bookingId"]) == before


@pytest.mark.failure_mode
def test_a_late_retry_cannot_bring_back_an_undone_booking(stack):
    payload = trip(card="declined")
    run(stack, payload)
    answer = invoke(stack, "hotel", {"action": "reserve", "bookingId": payload["bookingId"], "hotel": "Hotel Lisboa"})
    assert (answer["error"], answer["errorType"]) == ("Unhandled", "BookingCancelled")
    assert statuses(stack, payload["bookingId"])["hotel"] == "CANCELLED"


def test_a_retried_step_has_no_second_effect(stack):
    payload = trip()
    request = {"action": "reserve", "bookingId": payload["bookingId"], "hotel": "Hotel Lisboa"}
    first, second = invoke(stack, "hotel", request), invoke(stack, "hotel", request)
    assert first == second and first["status"] == "RESERVED"


@pytest.mark.failure_mode
def test_each_service_may_touch_only_its_own_table(stack):
    out = outputs(stack)
    tables, roles = out["table_names"], out["role_names"]
    key = {"bookingId": {"S": "authz-probe"}}
    for service, own in tables.items():
        client = as_role(stack, roles[service], "dynamodb")
        assert authorized(client.get_item, TableName=own, Key=key), service
        assert not authorized(client.delete_item, TableName=own, Key=key), service
        for other in set(tables.values()) - {own}:
            assert not authorized(client.get_item, TableName=other, Key=key), (service, other)
    workflow = as_role(stack, out["workflow_role_name"], "dynamodb")
    assert not authorized(workflow.get_item, TableName=tables["payment"], Key=key)


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
