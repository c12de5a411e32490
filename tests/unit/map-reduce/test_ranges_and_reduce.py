"""P18: byte ranges cut anywhere still count every word once; the result appears only when every range is in."""

from __future__ import annotations

import json
import random
from collections import Counter

import boto3
import pytest
from moto import mock_aws

from sample_events import cold_start, lambda_context

pytestmark = pytest.mark.unit

INPUT, WORK = "p18-input", "p18-work"


def text_of(words: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    vocabulary = ["alpha", "beta", "größe", "naïve", "東京", "x", "déjà-vu", "a" * 50]
    return "".join(rng.choice(vocabulary) + rng.choice([" ", "\n", "\t", "  "]) for _ in range(words))


@pytest.mark.parametrize("chunk_bytes", [1024, 1500, 4097, 10_000])
def test_ranges_cut_anywhere_even_inside_a_character_count_what_a_plain_split_counts(chunk_bytes):
    from map_reduce import logic

    text = text_of(5000)
    data = text.encode()
    total: Counter[str] = Counter()
    for chunk in logic.chunks(len(data), chunk_bytes):
        first, last = logic.read_range(chunk, len(data))
        total += logic.count(data[first : last + 1], chunk, first, len(data))
    assert total == Counter(text.split())


def test_a_word_longer_than_a_mapper_reads_fails_the_mapper_rather_than_miscounting():
    from map_reduce import logic

    data = b"short " + b"y" * 5000 + b" end"
    chunk = logic.chunks(len(data), 1024)[0]
    first, last = logic.read_range(chunk, len(data))
    with pytest.raises(logic.WordTooLong, match="runs past"):
        logic.count(data[first : last + 1], chunk, first, len(data))


def test_each_uploaded_version_is_its_own_job():
    from map_reduce import logic

    assert logic.job_id("input/big book.txt", "v1") != logic.job_id("input/big book.txt", "v2")
    assert logic.job_id("input/big book.txt", "v1").startswith("big-book.txt-")


class InProcessLambda:
    """Runs each asynchronous invocation in process, in order, as the mappers and reducer would run."""

    def __init__(self, handlers: dict) -> None:
        self.handlers, self.queue, self.invocations = handlers, [], []

    def invoke(self, FunctionName, InvocationType, Payload):  # noqa: N803 - boto3's argument names
        self.queue.append((FunctionName, json.loads(Payload)))
        return {"StatusCode": 202}

    def drain(self, skip=lambda name, event: False) -> None:
        while self.queue:
            name, event = self.queue.pop(0)
            if skip(name, event):
                continue
            self.invocations.append(name)
            self.handlers[name](event, lambda_context(name))


@pytest.fixture
def pipeline(aws_credentials, monkeypatch):
    for name, value in {
        "WORK_BUCKET": WORK,
        "MAPPER_FUNCTION": "mapper",
        "REDUCER_FUNCTION": "reducer",
        "CHUNK_BYTES": "2048",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3")
        for bucket in (INPUT, WORK):
            s3.create_bucket(Bucket=bucket)
        from map_reduce import handler, store

        cold_start("map_reduce")
        fake = InProcessLambda({"mapper": handler.map_range, "reducer": handler.reduce})
        monkeypatch.setattr(store, "_lambda", lambda: fake)
        yield handler.coordinate, fake, s3


def upload_event(key: str, size: int) -> dict:
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "eventName": "ObjectCreated:Put",
                "s3": {"bucket": {"name": INPUT, "arn": f"arn:aws:s3:::{INPUT}"}, "object": {"key": key, "size": size}},
            }
        ]
    }


def test_an_upload_is_mapped_in_ranges_and_reduced_to_a_plain_count(pipeline):
    coordinate, fake, s3 = pipeline
    text = text_of(3000)
    s3.put_object(Bucket=INPUT, Key="input/book.txt", Body=text.encode())
    started = coordinate(upload_event("input/book.txt", len(text.encode())), lambda_context("coordinator"))
    job, mappers = started["jobs"][0]["job"], started["jobs"][0]["mappers"]
    assert mappers >= 8
    fake.drain()
    result = json.loads(s3.get_object(Bucket=WORK, Key=f"jobs/{job}/result.json")["Body"].read())
    assert result["counts"] == dict(Counter(text.split())) and result["mappers"] == mappers
    assert fake.invocations.count("mapper") == mappers and fake.invocations.count("reducer") >= 1


def test_a_missing_range_leaves_no_result_and_a_reducer_started_early_refuses(pipeline):
    coordinate, fake, s3 = pipeline
    text = text_of(1000)
    s3.put_object(Bucket=INPUT, Key="input/short.txt", Body=text.encode())
    job = coordinate(upload_event("input/short.txt", len(text.encode())), lambda_context("coordinator"))["jobs"][0][
        "job"
    ]
    fake.drain(skip=lambda name, event: name == "mapper" and event["chunk"]["number"] == 2)  # a mapper lost
    listed = s3.list_objects_v2(Bucket=WORK, Prefix=f"jobs/{job}/").get("Contents", [])
    assert not any(o["Key"].endswith("result.json") for o in listed)
    from map_reduce import handler, logic

    with pytest.raises(logic.Incomplete, match="ranges mapped"):
        handler.reduce({"job": job}, lambda_context("reducer"))
