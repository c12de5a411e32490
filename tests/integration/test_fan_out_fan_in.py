"""P17 fan-out/fan-in: a job of N parts completes from the table's count; a failing part keeps it visibly open."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from harness import Stack, applied_stack, as_role, authorized, package_zip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "fan-out-fan-in",
        local_cloud,
        tmp_path_factory.mktemp("p17"),
        code="p17",
        variables={"package_path": str(package_zip("fan-out-fan-in"))},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict:
    return stack.outputs["fan_out_fan_in"]


def put_documents(stack: Stack, documents: dict[str, str]) -> None:
    for key, text in documents.items():
        stack.client("s3").put_object(Bucket=outputs(stack)["documents_bucket_name"], Key=key, Body=text.encode())


def invoke(stack: Stack, function: str, event: dict) -> dict:
    answer = stack.client("lambda").invoke(FunctionName=outputs(stack)[function], Payload=json.dumps(event))
    assert answer.get("FunctionError") is None, answer["Payload"].read()
    return json.loads(answer["Payload"].read())


def state_when(stack: Stack, job_id: str, done, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while not done(state := invoke(stack, "status_function_name", {"jobId": job_id})):
        assert time.monotonic() < deadline, f"job {job_id} still {state}"
        time.sleep(0.5)
    return state


def test_a_job_of_several_parts_completes_with_the_combined_result(stack):
    documents = {f"books/{n:02d}.txt": " ".join(["word"] * (n + 1)) for n in range(10)}
    put_documents(stack, documents)
    accepted = invoke(stack, "splitter_function_name", {"jobId": "job-1", "keys": sorted(documents)})
    assert accepted == {"status": "accepted", "jobId": "job-1", "parts": 4}  # 10 documents, 3 per part
    state = state_when(stack, "job-1", lambda s: s["status"] == "COMPLETE")
    assert (state["parts"], state["done"], state["failedParts"]) == (4, 4, [])
    assert state["result"] == {
        "documents": 10,
        "words": sum(range(1, 11)),
        "wordsPerDocument": {key: len(text.split()) for key, text in documents.items()},
    }


@pytest.mark.failure_mode
def test_a_part_that_keeps_failing_is_named_lands_in_the_dlq_and_the_job_stays_incomplete(stack):
    put_documents(stack, {"papers/a.txt": "alpha beta", "papers/b.txt": "gamma", "papers/d.txt": "delta"})
    keys = ["papers/a.txt", "papers/b.txt", "papers/c-missing.txt", "papers/d.txt"]
    invoke(stack, "splitter_function_name", {"jobId": "job-2", "keys": keys})
    sqs, deadline, record = stack.client("sqs"), time.monotonic() + 60, None
    while record is None and time.monotonic() < deadline:
        for message in sqs.receive_message(
            QueueUrl=outputs(stack)["dlq_url"], WaitTimeSeconds=1, MaxNumberOfMessages=10
        ).get("Messages", []):
            candidate = json.loads(message["Body"])
            if candidate["requestPayload"]["jobId"] == "job-2":
                record = candidate
    assert record is not None, "the failing part was lost"
    assert record["requestPayload"]["part"] == 1 and record["requestContext"]["condition"] == "RetriesExhausted"
    state = state_when(stack, "job-2", lambda s: s["done"] == 1)
    assert (state["status"], state["parts"], state["done"]) == ("RUNNING", 2, 1)
    assert [f["part"] for f in state["failedParts"]] == [1]
    assert "NoSuchKey" in state["failedParts"][0]["error"]
    assert "result" not in state


@pytest.mark.failure_mode
def test_a_duplicated_part_event_or_job_has_no_second_effect(stack):
    put_documents(
        stack,
        {"notes/1.txt": "one", "notes/2.txt": "two words", "notes/3.txt": "three more words", "notes/4.txt": "four"},
    )
    job = {"jobId": "job-3", "keys": ["notes/1.txt", "notes/2.txt", "notes/3.txt", "notes/4.txt"]}
    invoke(stack, "splitter_function_name", job)
    assert invoke(stack, "splitter_function_name", job)["status"] == "duplicate"
    done = state_when(stack, "job-3", lambda s: s["status"] == "COMPLETE")
    # Lambda delivering a part's event again, after the job completed
    stack.client("lambda").invoke(
        FunctionName=outputs(stack)["worker_function_name"],
        InvocationType="Event",
        Payload=json.dumps({"jobId": "job-3", "part": 1, "keys": job["keys"][:3]}),
    )
    time.sleep(2)
    again = invoke(stack, "status_function_name", {"jobId": "job-3"})
    assert again == done and again["done"] == again["parts"] == 2
    assert again["result"]["words"] == 7


@pytest.mark.failure_mode
def test_each_role_may_do_only_its_part(stack):
    out = outputs(stack)
    worker_ddb = as_role(stack, out["worker_role_name"], "dynamodb")
    key, absent = {"jobId": {"S": "probe"}, "sk": {"S": "JOB"}}, {"ConditionExpression": "attribute_exists(jobId)"}
    assert authorized(worker_ddb.put_item, TableName=out["jobs_table_name"], Item=key, **absent)
    assert not authorized(worker_ddb.delete_item, TableName=out["jobs_table_name"], Key=key, **absent)
    assert not authorized(
        as_role(stack, out["worker_role_name"], "s3").put_object,
        Bucket=out["documents_bucket_name"],
        Key="probe.txt",
        Body=b"x",
    )
    # The status function only reads jobs.
    config = stack.client("lambda").get_function_configuration(FunctionName=out["status_function_name"])
    status_ddb = as_role(stack, config["Role"].rsplit("/", 1)[1], "dynamodb")
    assert authorized(status_ddb.get_item, TableName=out["jobs_table_name"], Key=key)
    assert not authorized(status_ddb.put_item, TableName=out["jobs_table_name"], Item=key, **absent)
    assert not authorized(status_ddb.delete_item, TableName=out["jobs_table_name"], Key=key, **absent)
    splitter_lambda = as_role(stack, out["splitter_role_name"], "lambda")
    assert authorized(splitter_lambda.invoke, FunctionName=out["worker_function_name"], InvocationType="DryRun")
    assert not authorized(splitter_lambda.invoke, FunctionName=out["status_function_name"], InvocationType="DryRun")


@pytest.mark.failure_mode
def test_a_client_with_the_client_policy_can_put_documents_into_the_encrypted_bucket_and_submit(stack):
    # GIVEN a client role holding only the policy the pattern hands out (the bucket is on a customer managed key)
    out = outputs(stack)
    role = f"{out['splitter_role_name'][:40]}-client"
    iam = stack.client("iam")
    iam.create_role(
        RoleName=role,
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )
    iam.put_role_policy(RoleName=role, PolicyName="client", PolicyDocument=out["client_policy_json"])
    try:
        # THEN it may put a document (S3 generates a data key for it) and ask for a job's state, and nothing more
        client_s3 = as_role(stack, role, "s3")
        assert authorized(client_s3.put_object, Bucket=out["documents_bucket_name"], Key="client.txt", Body=b"a b")
        assert not authorized(client_s3.delete_object, Bucket=out["documents_bucket_name"], Key="client.txt")
        client_lambda = as_role(stack, role, "lambda")
        assert authorized(client_lambda.invoke, FunctionName=out["status_function_name"], InvocationType="DryRun")
        assert not authorized(client_lambda.invoke, FunctionName=out["worker_function_name"], InvocationType="DryRun")
    finally:
        iam.delete_role_policy(RoleName=role, PolicyName="client")
        iam.delete_role(RoleName=role)


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
