"""P25 streamer: readings posted to the API reach the archive clean; what the transform refuses is kept."""

from __future__ import annotations

import base64
import gzip
import json
import re
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

import chaos
from chaos import faults
from harness import Stack, api_url, applied_stack, as_role, authorized, http, package_zip

pytestmark = pytest.mark.integration

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "streamer",
        local_cloud,
        tmp_path_factory.mktemp("p25"),
        code="p25",
        variables={"package_path": str(package_zip("streamer"))},
    ) as applied:
        yield applied


def outputs(stack: Stack) -> dict:
    return stack.outputs["streamer"]


def post(stack: Stack, body: object) -> object:
    url = api_url(stack, outputs(stack)["api_id"], outputs(stack)["stage_name"], "readings")
    return http("POST", url, json.dumps(body), JSON)


def lines_under(stack: Stack, prefix: str) -> dict[str, list[dict]]:
    """Each object under the prefix of the archive, as its JSON lines."""
    s3, bucket = stack.client("s3"), outputs(stack)["archive_bucket_name"]
    found = {}
    for item in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []):
        body = gzip.decompress(s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read())
        found[item["Key"]] = [json.loads(line) for line in body.splitlines()]
    return found


def archived(stack: Stack, devices: set[str], timeout: float = 30.0) -> dict[str, list[dict]]:
    """The clean lines of these devices, once one has arrived for each (or what arrived at timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        found = {
            key: [line for line in lines if line["deviceId"] in devices]
            for key, lines in lines_under(stack, outputs(stack)["records_prefix"]).items()
        }
        found = {key: lines for key, lines in found.items() if lines}
        if {line["deviceId"] for lines in found.values() for line in lines} >= devices or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def failed(stack: Stack, marker: str, expected: int, timeout: float = 30.0) -> list[dict]:
    """Firehose's error records whose raw data carries the marker, once `expected` have arrived."""
    deadline = time.monotonic() + timeout
    while True:
        records = [
            record
            for lines in lines_under(stack, outputs(stack)["failed_prefix"]).values()
            for record in lines
            if marker in base64.b64decode(record["rawData"]).decode(errors="replace")
        ]
        if len(records) >= expected or time.monotonic() > deadline:
            return records
        time.sleep(0.5)


def test_posted_readings_arrive_transformed_in_the_archive(stack):
    run = uuid.uuid4().hex[:8]
    devices = {f"Pump-{run}-{n}" for n in range(3)}
    for n, device in enumerate(sorted(devices)):
        answer = post(stack, {"deviceId": device, "metric": "pressure", "value": n, "at": "2026-12-07T09:00:00+01:00"})
        assert answer.status == 202, answer.body
        assert answer.json()["sequenceNumber"].isdigit()
    found = archived(stack, {d.lower() for d in devices})
    lines = sorted((line for lines in found.values() for line in lines), key=lambda line: line["value"])
    assert [line["deviceId"] for line in lines] == sorted(d.lower() for d in devices)
    assert {(line["metric"], line["at"]) for line in lines} == {("pressure", "2026-12-07T08:00:00.000Z")}
    assert [line["value"] for line in lines] == [0.0, 1.0, 2.0]
    today = datetime.now(UTC)
    name = outputs(stack)["delivery_stream_name"]
    for key in found:
        assert re.fullmatch(rf"readings/{today:%Y/%m/%d}/{name}-1-{today:%Y-%m-%d}-[\d-]+-[0-9a-f-]{{36}}\.gz", key), (
            key
        )


@pytest.mark.failure_mode
def test_a_reading_the_transform_refuses_is_kept_under_the_failed_prefix_with_its_reason(stack):
    run = uuid.uuid4().hex[:8]
    body = {"deviceId": f"bad-{run}", "metric": "t", "value": "twenty"}
    assert post(stack, body).status == 202
    (record,) = failed(stack, f"bad-{run}", 1)
    assert json.loads(base64.b64decode(record["rawData"])) == body
    assert (record["errorCode"], record["errorMessage"]) == (
        "Lambda.ProcessingFailedStatus",
        "ProcessingFailed status set for record",
    )
    assert record["attemptsMade"] == 1
    assert archived(stack, {f"bad-{run}"}, timeout=0) == {}


@pytest.mark.failure_mode
def test_every_reading_is_archived_refused_or_a_dropped_heartbeat_none_is_lost_silently(stack):
    run = uuid.uuid4().hex[:8]
    good = [{"deviceId": f"g{run}-{n}", "metric": "t", "value": n} for n in range(6)]
    beats = [{"deviceId": f"h{run}-{n}", "metric": "heartbeat", "value": 1} for n in range(2)]
    bad = [
        {"deviceId": f"b{run}-0", "metric": "t", "value": "NaN"},
        {"deviceId": f"b{run}-1", "metric": "t", "value": 1, "at": "2026-12-07 09:00"},
    ]
    for body in good + beats + bad:
        assert post(stack, body).status == 202
    found = archived(stack, {b["deviceId"] for b in good})
    archived_devices = sorted(line["deviceId"] for lines in found.values() for line in lines)
    refused = failed(stack, f"b{run}-", len(bad))
    assert archived_devices == sorted(b["deviceId"] for b in good)
    assert sorted(json.loads(base64.b64decode(r["rawData"]))["deviceId"] for r in refused) == [f"b{run}-0", f"b{run}-1"]
    assert archived(stack, {b["deviceId"] for b in beats}, timeout=0) == {}
    assert len(good) + len(beats) + len(bad) == len(archived_devices) + len(refused) + len(beats)


@pytest.mark.failure_mode
def test_a_batch_the_transform_cannot_take_is_retried_then_kept_whole_under_the_failed_prefix(stack):
    run = uuid.uuid4().hex[:8]
    function = outputs(stack)["transform_function_name"]
    # The transform throttled for the first attempt and its one retry (the example's transform.retries).
    spec = {"service": "lambda", "operation": "Invoke", "error": "TooManyRequestsException", "resource": function,
            "count": 2}  # fmt: skip
    with faults(stack.cloud, spec) as injected:
        assert post(stack, {"deviceId": f"t{run}", "metric": "t", "value": 1}).status == 202
        (record,) = failed(stack, f"t{run}", 1)
    assert injected.count == 2
    assert (record["errorCode"], record["attemptsMade"]) == ("Lambda.InvokeLimitExceeded", 2)
    assert record["lambdaARN"].startswith(f"arn:aws:lambda:us-east-1:123456789012:function:{function}")


@pytest.mark.failure_mode
def test_a_malformed_body_is_rejected_by_the_gateway(stack):
    for body in ({"metric": "t", "value": 1}, {"deviceId": "", "metric": "t", "value": 1}, ["a", "list"]):
        answer = post(stack, body)
        assert (answer.status, answer.json()) == (400, {"message": "Invalid request body"})


@pytest.mark.failure_mode
def test_each_role_may_do_its_part_only(stack):
    out = outputs(stack)
    bucket, stream = out["archive_bucket_name"], out["stream_name"]
    api = as_role(stack, out["api_role_name"], "kinesis")
    assert authorized(api.put_record, StreamName=stream, Data=b'{"probe": 1}', PartitionKey="probe")
    assert not authorized(api.list_shards, StreamName=stream)
    firehose_s3 = as_role(stack, out["firehose_role_name"], "s3")
    assert authorized(firehose_s3.put_object, Bucket=bucket, Key=f"{out['failed_prefix']}probe", Body=b"")
    assert not authorized(firehose_s3.put_object, Bucket=bucket, Key="elsewhere/probe", Body=b"")
    assert not authorized(firehose_s3.get_object, Bucket=bucket, Key=f"{out['failed_prefix']}probe")
    firehose_lambda = as_role(stack, out["firehose_role_name"], "lambda")
    assert authorized(firehose_lambda.invoke, FunctionName=out["transform_function_name"], InvocationType="DryRun")
    assert not authorized(as_role(stack, out["firehose_role_name"], "kinesis").put_record, StreamName=stream,
                          Data=b"x", PartitionKey="x")  # fmt: skip
    transform_s3 = as_role(stack, out["transform_role_name"], "s3")
    assert not authorized(transform_s3.put_object, Bucket=bucket, Key=f"{out['records_prefix']}probe", Body=b"")
    stack.client("s3").delete_object(Bucket=bucket, Key=f"{out['failed_prefix']}probe")


@pytest.mark.chaos
def test_with_s3_slowing_down_and_the_transform_throttled_every_reading_is_archived_or_kept_failed(stack):
    # GIVEN S3 refusing Firehose's first writes and Lambda throttling its first calls to the transform (a
    # handful of objects and invocations carry the whole load, so a rate would often hit none)
    out = outputs(stack)
    slow_s3 = {"service": "s3", "error": "SlowDown", "count": 3, "caller": out["firehose_role_name"]}
    throttled = {"service": "lambda", "operation": "Invoke", "error": "TooManyRequestsException", "count": 3,
                 "resource": out["transform_function_name"]}  # fmt: skip
    run = uuid.uuid4().hex[:8]
    count = chaos.load(100)
    bodies = [
        {"deviceId": f"c{run}-{n}", "metric": "heartbeat" if n % 10 == 0 else "t", "value": "x" if n % 10 == 5 else n}
        for n in range(count)
    ]
    good = {b["deviceId"] for b in bodies if b["metric"] != "heartbeat" and b["value"] != "x"}
    kept_somewhere = {b["deviceId"] for b in bodies if b["metric"] != "heartbeat"}
    latencies: list[float] = []
    with faults(stack.cloud, slow_s3, throttled) as injected:
        started = time.monotonic()

        def send(body: dict) -> None:
            at = time.monotonic()
            assert post(stack, body).status == 202
            latencies.append((time.monotonic() - at) * 1000)

        # WHEN the readings arrive from 8 clients
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(send, bodies))
        # THEN each reading that is not a heartbeat ends archived or under the failed prefix, once
        deadline = time.monotonic() + 180
        while True:
            lines = [
                line["deviceId"]
                for found in lines_under(stack, out["records_prefix"]).values()
                for line in found
                if line["deviceId"].startswith(f"c{run}-")
            ]
            refused = [
                json.loads(base64.b64decode(r["rawData"]))["deviceId"]
                for found in lines_under(stack, out["failed_prefix"]).values()
                for r in found
                if f"c{run}-" in base64.b64decode(r["rawData"]).decode(errors="replace")
            ]
            if set(lines) | set(refused) >= kept_somewhere or time.monotonic() > deadline:
                break
            time.sleep(1)
        seconds = time.monotonic() - started
    lost = kept_somewhere - set(lines) - set(refused)
    twice = len(lines) + len(refused) - len(set(lines) | set(refused))
    held = not lost and not twice and set(lines) <= good
    chaos.record(
        chaos.Row(
            pattern="P25 streamer",
            load=f"{count} POST /readings, 8 clients",
            faults="S3 SlowDown on Firehose's first 3 writes; Lambda throttling its first 3 transform calls",
            invariant="every reading archived or kept under the failed prefix, once; heartbeats only dropped",
            held=held,
            injected=injected.count,
            latencies_ms=latencies,
            seconds=seconds,
            detail=f"{len(lines)} archived, {len(refused)} kept failed, {len(lost)} lost, {twice} twice",
        )
    )
    assert injected.count > 0, "no fault was injected: the test proved nothing"
    assert held, f"lost {sorted(lost)[:10]}, {twice} twice, archived but not good: {sorted(set(lines) - good)[:10]}"


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
