"""P17: a job splits into parts, each part counts once, and the last one in completes the job."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context

pytestmark = pytest.mark.unit

TABLE, BUCKET = "p17-jobs", "p17-documents"


def test_a_job_splits_into_numbered_parts_in_order():
    from fan_out_fan_in import logic

    job = logic.parse_job({"jobId": "j1", "keys": ["a", "b", "c", "d", "e"]})
    assert [(p.number, p.keys) for p in logic.split(job, 2)] == [(1, ("a", "b")), (2, ("c", "d")), (3, ("e",))]


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ({"keys": ["a"]}, "jobId is required"),
        ({"jobId": "j", "keys": []}, "non-empty list"),
        ({"jobId": "j", "keys": ["a", "a"]}, "must not repeat"),
        ({"jobId": "j", "keys": "a"}, "non-empty list"),
    ],
)
def test_jobs_the_splitter_cannot_fan_out_are_refused(event, reason):
    from fan_out_fan_in import logic

    with pytest.raises(logic.InvalidJob, match=reason):
        logic.parse_job(event)


class FakeLambda:
    def __init__(self) -> None:
        self.calls: list[dict] = []

    def invoke(self, **kwargs):
        self.calls.append(kwargs)
        return {"StatusCode": 202}


@pytest.fixture
def functions(aws_credentials, monkeypatch):
    for name, value in {
        "JOBS_TABLE": TABLE,
        "DOCUMENTS_BUCKET": BUCKET,
        "WORKER_FUNCTION": "p17-worker",
        "PART_SIZE": "2",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "jobId", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[
                {"AttributeName": "jobId", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
        )
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        for key, text in {"a": "one two", "b": "three", "c": "four five six", "d": "", "e": "seven"}.items():
            s3.put_object(Bucket=BUCKET, Key=key, Body=text.encode())
        from fan_out_fan_in import handler, store

        cold_start("fan_out_fan_in")
        fake = FakeLambda()
        monkeypatch.setattr(store, "_lambda", lambda: fake)
        yield handler.split, handler.work, handler.status, fake


def run_parts(work, fake) -> None:
    for call in fake.calls:
        work(json.loads(call["Payload"]), lambda_context("p17-worker"))


def test_the_last_part_in_completes_the_job_with_every_parts_result(functions):
    split, work, status, fake = functions
    answer = split({"jobId": "j1", "keys": ["a", "b", "c", "d", "e"]}, lambda_context("p17-splitter"))
    assert answer == {"status": "accepted", "jobId": "j1", "parts": 3}
    assert status({"jobId": "j1"}, lambda_context("p17-status"))["status"] == "RUNNING"
    run_parts(work, fake)
    state = status({"jobId": "j1"}, lambda_context("p17-status"))
    assert (state["status"], state["done"], state["parts"], state["failedParts"]) == ("COMPLETE", 3, 3, [])
    assert state["result"] == {"documents": 5, "words": 7, "wordsPerDocument": {"a": 2, "b": 1, "c": 3, "d": 0, "e": 1}}


def test_a_duplicated_part_or_job_has_no_second_effect(functions):
    split, work, status, fake = functions
    split({"jobId": "j2", "keys": ["a", "b", "c"]}, lambda_context("p17-splitter"))
    again = split({"jobId": "j2", "keys": ["a", "b", "c"]}, lambda_context("p17-splitter"))
    assert again["status"] == "duplicate" and len(fake.calls) == 2, "no second fan-out"
    first = json.loads(fake.calls[0]["Payload"])
    work(first, lambda_context("p17-worker"))
    assert work(first, lambda_context("p17-worker"))["duplicate"] is True
    assert status({"jobId": "j2"}, lambda_context("p17-status"))["done"] == 1


def test_a_failing_part_is_named_and_the_job_stays_incomplete(functions):
    split, work, status, fake = functions
    split({"jobId": "j3", "keys": ["a", "missing", "c"]}, lambda_context("p17-splitter"))
    events = [json.loads(c["Payload"]) for c in fake.calls]
    work(events[1], lambda_context("p17-worker"))
    with pytest.raises(Exception, match="NoSuchKey|does not exist"):
        work(events[0], lambda_context("p17-worker"))
    state = status({"jobId": "j3"}, lambda_context("p17-status"))
    assert (state["status"], state["done"], state["parts"]) == ("RUNNING", 1, 2)
    assert [f["part"] for f in state["failedParts"]] == [1] and "NoSuchKey" in state["failedParts"][0]["error"]
    assert "result" not in state
