"""P18 map-reduce: a word count over byte ranges equals a plain count; a failed mapper leaves no result."""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from harness import Stack, applied_stack, as_role, authorized, metric_datapoints, package_zip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "map-reduce",
        local_cloud,
        tmp_path_factory.mktemp("p18"),
        code="p18",
        variables={"package_path": str(package_zip("map-reduce"))},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict:
    return stack.outputs["map_reduce"]


def corpus(words: int, seed: int) -> str:
    rng = random.Random(seed)
    vocabulary = [
        w
        for line in (
            "the quick brown fox jumps over the lazy dog",
            "größe naïve déjà-vu 東京 café",
            "map reduce lambda serverless byte range word count",
        )
        for w in line.split()
    ]
    return "".join(rng.choice(vocabulary) + rng.choice([" ", " ", "\n", "\t", "  "]) for _ in range(words))


def upload(stack: Stack, key: str, text: str) -> str:
    return stack.client("s3").put_object(Bucket=outputs(stack)["input_bucket_name"], Key=key, Body=text.encode())[
        "VersionId"
    ]


def work_objects(stack: Stack, prefix: str = "jobs/") -> list[str]:
    answer = stack.client("s3").list_objects_v2(Bucket=outputs(stack)["work_bucket_name"], Prefix=prefix)
    return [o["Key"] for o in answer.get("Contents", [])]


def result_of(stack: Stack, key_name: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        found = [k for k in work_objects(stack) if k.endswith("/result.json") and f"/{key_name}-" in k]
        if found:
            body = stack.client("s3").get_object(Bucket=outputs(stack)["work_bucket_name"], Key=found[0])["Body"]
            return json.loads(body.read())
        assert time.monotonic() < deadline, "no result"
        time.sleep(0.5)


def invocations(stack: Stack, function: str) -> int:
    return int(
        sum(
            metric_datapoints(
                stack.client("cloudwatch"), "AWS/Lambda", "Invocations", {"FunctionName": outputs(stack)[function]}
            )
        )
    )


def test_a_word_count_over_byte_ranges_equals_a_plain_count(stack):
    text = corpus(100_000, seed=18)
    size = len(text.encode())
    started = time.monotonic()
    upload(stack, "input/corpus.txt", text)
    result = result_of(stack, "corpus.txt")
    wall = time.monotonic() - started
    assert result["mappers"] >= 8 and result["mappers"] == -(-size // 65536)
    assert result["counts"] == dict(sorted(Counter(text.split()).items()))
    assert result["words"] == len(text.split())
    counted = {
        f: invocations(stack, f) for f in ("coordinator_function_name", "mapper_function_name", "reducer_function_name")
    }
    assert counted["mapper_function_name"] == result["mappers"]
    print(
        f"\nP18: {size} bytes, {result['mappers']} mappers, {result['words']} words in {wall:.1f} s; "
        f"invocations {counted}"
    )


@pytest.mark.failure_mode
def test_a_mapper_that_keeps_failing_lands_in_the_dlq_and_the_job_gets_no_result(stack):
    iam, role = stack.client("iam"), outputs(stack)["mapper_role_name"]
    iam.put_role_policy(
        RoleName=role,
        PolicyName="outage",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Deny", "Action": "s3:GetObject*", "Resource": "arn:aws:s3:::*-input/*"}],
            }
        ),
    )
    try:
        upload(stack, "input/during-outage.txt", corpus(20_000, seed=3))
        sqs, deadline, failed = stack.client("sqs"), time.monotonic() + 60, []
        while len(failed) < 2 and time.monotonic() < deadline:
            for message in sqs.receive_message(
                QueueUrl=outputs(stack)["dlq_url"], WaitTimeSeconds=1, MaxNumberOfMessages=10
            ).get("Messages", []):
                failed.append(json.loads(message["Body"]))
    finally:
        iam.delete_role_policy(RoleName=role, PolicyName="outage")
    assert failed, "the failed mappers were lost"
    assert {f["requestContext"]["condition"] for f in failed} == {"RetriesExhausted"}
    assert all(f["requestPayload"]["source"]["key"] == "input/during-outage.txt" for f in failed)
    time.sleep(2)
    assert not any(k.endswith("result.json") and "/during-outage.txt-" in k for k in work_objects(stack))


@pytest.mark.failure_mode
def test_mappers_may_read_the_input_and_write_counts_but_not_results_elsewhere_or_the_input(stack):
    s3 = as_role(stack, outputs(stack)["mapper_role_name"], "s3")
    source, work = outputs(stack)["input_bucket_name"], outputs(stack)["work_bucket_name"]
    assert authorized(s3.get_object, Bucket=source, Key="input/absent.txt")
    assert not authorized(s3.put_object, Bucket=source, Key="input/loop.txt", Body=b"x")
    assert authorized(s3.put_object, Bucket=work, Key="jobs/probe/map/00001.json", Body=b"{}")
    assert not authorized(s3.put_object, Bucket=work, Key="elsewhere/probe.json", Body=b"{}")
    try:
        s3.delete_object(Bucket=work, Key="jobs/probe/map/00001.json")
        raise AssertionError("the mapper's role may delete work objects")
    except ClientError as error:
        assert error.response["Error"]["Code"] == "AccessDenied"


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
