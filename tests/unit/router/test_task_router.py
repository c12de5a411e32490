"""P08: a task goes to the function of its type; unknown types and bad payloads raise with the reason."""

from __future__ import annotations

import io
import json

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context

pytestmark = pytest.mark.unit

ROUTES = {"email": "p08-email", "sms": "p08-sms"}


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ([], "JSON object"),
        ({"taskId": "t"}, "taskType is required"),
        ({"taskType": "Email", "taskId": "t"}, "taskType"),
        ({"taskType": "email"}, "taskId is required"),
        ({"taskType": "email", "taskId": "t", "payload": []}, "payload"),
    ],
)
def test_malformed_tasks_are_refused_with_the_reason(event, reason):
    from task_router import logic

    with pytest.raises(logic.InvalidTask, match=reason):
        logic.parse_task(event)


def test_a_task_is_routed_by_its_type_and_an_unknown_type_names_the_known_ones():
    from task_router import logic

    assert logic.route(logic.Task("sms", "t1", {}), ROUTES) == "p08-sms"
    with pytest.raises(logic.UnknownTaskType, match=r"type 'fax' \(known types: email, sms\)"):
        logic.route(logic.Task("fax", "t1", {}), ROUTES)


@pytest.mark.parametrize(
    ("task_type", "payload", "reason"),
    [
        ("email", {"to": "nobody", "subject": "s", "body": "b"}, "email address"),
        ("email", {"to": "a@b.c", "body": "b"}, "payload.subject is required"),
        ("sms", {"to": "0151", "text": "hi"}, "E.164"),
        ("push", {"device": "d"}, "payload.title is required"),
    ],
)
def test_each_type_refuses_a_payload_it_cannot_work_with(task_type, payload, reason):
    from task_router import logic

    with pytest.raises(logic.InvalidTask, match=reason):
        logic.work(logic.Task(task_type, "t1", payload), task_type)


def test_an_sms_counts_its_segments():
    from task_router import logic

    done = logic.work(logic.Task("sms", "t1", {"to": "+4915112345678", "text": "x" * 161}), "sms")
    assert done == {"channel": "sms", "to": "+4915112345678", "text": "x" * 161, "segments": 2}


class FakeLambda:
    def __init__(self) -> None:
        self.calls: list[dict] = []

    def invoke(self, **kwargs):
        self.calls.append(kwargs)
        return {"StatusCode": 202, "Payload": io.BytesIO(b""), "ResponseMetadata": {"RequestId": "r-1"}}


@pytest.fixture
def router(monkeypatch):
    monkeypatch.setenv("ROUTES", json.dumps(ROUTES))
    from task_router import handler, store

    cold_start("task_router")
    fake = FakeLambda()
    monkeypatch.setattr(store, "_lambda", lambda: fake)
    yield handler.route, fake
    cold_start("task_router")


def test_the_router_hands_the_task_to_its_types_function_asynchronously(router):
    route, fake = router
    event = {"taskType": "email", "taskId": "t1", "payload": {"to": "a@b.c"}}
    assert route(event, lambda_context("p08-router")) == {
        "taskId": "t1",
        "taskType": "email",
        "routedTo": "p08-email",
        "requestId": "r-1",
    }
    assert [(c["FunctionName"], c["InvocationType"], json.loads(c["Payload"])) for c in fake.calls] == [
        ("p08-email", "Event", event)
    ]


def test_the_router_raises_for_an_unknown_type_so_lambda_keeps_it_with_the_reason(router):
    route, fake = router
    from task_router import logic

    with pytest.raises(logic.UnknownTaskType, match="'fax'"):
        route({"taskType": "fax", "taskId": "t2"}, lambda_context("p08-router"))
    assert fake.calls == []


@pytest.fixture
def email_task(aws_credentials, monkeypatch):
    monkeypatch.setenv("TASK_TYPE", "email")
    monkeypatch.setenv("TASK_TABLE", "p08-email")
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName="p08-email",
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "taskId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "taskId", "AttributeType": "S"}],
        )
        from task_router import handler

        cold_start("task_router")
        yield handler.do_task
        cold_start("task_router")


def test_a_task_delivered_twice_is_recorded_once(email_task):
    event = {"taskType": "email", "taskId": "t3", "payload": {"to": "a@b.c", "subject": "Hi", "body": "First"}}
    first = email_task(event, lambda_context("p08-email"))
    changed = {**event, "payload": {**event["payload"], "body": "Second"}}
    again = email_task(changed, lambda_context("p08-email"))
    assert (
        first
        == again
        == {"taskId": "t3", "result": {"channel": "email", "to": "a@b.c", "subject": "Hi", "body": "First"}}
    )
    items = boto3.client("dynamodb").scan(TableName="p08-email")["Items"]
    assert len(items) == 1
