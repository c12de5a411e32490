"""P14 queue-based load leveling: a burst is accepted at once and drained under the consumer's cap."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

import chaos
from harness import Stack, api_url, applied_stack, http, metric_datapoints, package_zip

pytestmark = pytest.mark.integration

JSON = {"Content-Type": "application/json"}
CAP = 3  # consumer.maximum_concurrency in examples/queue-based-load-leveling


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "queue-based-load-leveling",
        local_cloud,
        tmp_path_factory.mktemp("p14"),
        code="p14",
        variables={"package_path": str(package_zip("queue-based-load-leveling"))},
    ) as applied:
        yield applied


def url(stack: Stack, path: str) -> str:
    outputs = stack.outputs["leveling"]
    return api_url(stack, outputs["api_id"], outputs["stage_name"], path)


def results(stack: Stack) -> list[dict]:
    ddb = stack.client("dynamodb")
    items, start = [], None
    while True:
        page = ddb.scan(
            TableName=stack.outputs["leveling"]["results_table_name"], **({"ExclusiveStartKey": start} if start else {})
        )
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def dead_letters(stack: Stack) -> list[dict]:
    sqs = stack.client("sqs")
    found: dict[str, dict] = {}
    for _ in range(20):
        batch = sqs.receive_message(
            QueueUrl=stack.outputs["leveling"]["dlq_url"], MaxNumberOfMessages=10, VisibilityTimeout=60
        ).get("Messages", [])
        if not batch:
            break
        found.update((m["MessageId"], m) for m in batch)
    return list(found.values())


def lambda_metric(stack: Stack, metric: str, statistic: str) -> list[float]:
    """The consumer's AWS/Lambda metric over the last ten minutes, one value per minute."""
    return metric_datapoints(
        stack.client("cloudwatch"),
        "AWS/Lambda",
        metric,
        {"FunctionName": stack.outputs["leveling"]["consumer_function_name"]},
        statistic,
    )


@pytest.mark.failure_mode
def test_burst_of_500_is_accepted_drained_under_the_cap_and_counted_exactly(stack):
    # GIVEN 499 valid requests and one that passes the gateway's model but can never be processed
    bodies = [json.dumps({"customer": f"c{i}", "amount": i + 1}) for i in range(499)]
    bodies.insert(250, json.dumps({"customer": "poison", "amount": -5}))
    started = time.monotonic()
    # WHEN they arrive as a burst
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda body: http("POST", url(stack, "requests"), body, JSON), bodies))
    accepted_in = time.monotonic() - started
    # THEN every one is accepted at once with a transaction id and a status location
    assert [a.status for a in answers] == [202] * 500
    ids = [a.json()["transactionId"] for a in answers]
    assert len(set(ids)) == 500
    assert all(a.json()["status"] == f"requests/{a.json()['transactionId']}" for a in answers)
    poison_id = ids[250]
    # AND every one ends either processed or dead-lettered: nothing lost, nothing twice
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        processed = results(stack)
        if len(processed) == 499:
            break
        time.sleep(1)
    drained_in = time.monotonic() - started
    dead = []
    while time.monotonic() < deadline and not dead:
        dead = dead_letters(stack)
        time.sleep(0.5)
    processed_ids = {item["transactionId"]["S"] for item in processed}
    missing = set(ids) - {poison_id} - processed_ids
    assert not missing, f"{len(missing)} valid requests unprocessed; dead-lettered: {len(dead_letters(stack))}"
    assert [m["Body"] for m in dead] == [bodies[250]]
    assert len(processed_ids) + len(dead) == 500
    # AND the consumer never ran more batches at once than its cap (AWS/Lambda ConcurrentExecutions)
    peak = max(lambda_metric(stack, "ConcurrentExecutions", "Maximum"), default=0)
    assert 1 <= peak <= CAP, f"peak {peak} batches at once, cap {CAP}"
    assert sum(lambda_metric(stack, "Throttles", "Sum")) == 0, "the cap holds batches back instead of throttling"
    print(
        f"\nP14 burst: 500 accepted in {accepted_in:.1f} s ({500 / accepted_in:.0f} req/s); "
        f"drained in {drained_in:.1f} s ({499 / drained_in:.0f} processed/s); peak {peak} of cap {CAP}"
    )


@pytest.mark.chaos
def test_with_a_third_of_the_consumers_writes_throttled_every_request_is_processed_or_dead_lettered(stack, local_cloud):
    # GIVEN DynamoDB throttling a third of the consumer's calls (its idempotency records and its results)
    consumer = stack.outputs["leveling"]["consumer_function_name"]
    throttled = {"service": "dynamodb", "error": "ThrottlingException", "rate": 0.33, "caller": consumer, "seed": 14}
    count = chaos.load(100)
    bodies = [json.dumps({"customer": f"chaos-{i}", "amount": i + 1}) for i in range(count)]
    sent: dict[str, float] = {}
    customer_of: dict[str, str] = {}
    with chaos.faults(local_cloud, throttled) as injected:
        started = time.monotonic()

        def send(body: str) -> str:
            at = time.time()
            answer = http("POST", url(stack, "requests"), body, JSON)
            assert answer.status == 202, answer.text
            sent[answer.json()["transactionId"]] = at
            customer_of[answer.json()["transactionId"]] = json.loads(body)["customer"]
            return answer.json()["transactionId"]

        # WHEN a burst arrives from 8 clients
        with ThreadPoolExecutor(max_workers=8) as pool:
            ids = set(pool.map(send, bodies))
        # THEN each accepted request ends processed or dead-lettered, none both, none lost
        deadline = time.monotonic() + 240
        processed: dict[str, dict] = {}
        dead: set[str] = set()
        while time.monotonic() < deadline:
            processed = {i["transactionId"]["S"]: i for i in results(stack) if i["transactionId"]["S"] in ids}
            # accumulated: a dead letter once received stays hidden for its visibility timeout
            dead |= {json.loads(m["Body"])["customer"] for m in dead_letters(stack)} & set(customer_of.values())
            if not set(customer_of.values()) - dead - {customer_of[tid] for tid in processed}:
                break
            time.sleep(1)
        seconds = time.monotonic() - started
    # Processed and then dead-lettered (a later write of the same record throttled) is not lost: redriven,
    # its idempotency record makes it a no-op.
    lost = len(set(customer_of.values()) - dead - {customer_of[tid] for tid in processed})
    latencies = [
        (datetime.fromisoformat(item["processedAt"]["S"]).timestamp() - sent[tid]) * 1000
        for tid, item in processed.items()
    ]
    held = lost == 0 and len(ids) == count and all(i["status"]["S"] == "DONE" for i in processed.values())
    chaos.record(
        chaos.Row(
            pattern="P14 queue-based-load-leveling",
            load=f"{count} POST /requests, 8 clients",
            faults="DynamoDB ThrottlingException on 33% of the consumer's calls",
            invariant="every accepted request processed or dead-lettered, none lost",
            held=held,
            injected=injected.count,
            latencies_ms=latencies,
            seconds=seconds,
            detail=f"{len(processed)} processed, {len(dead)} dead-lettered, {lost} lost",
        )
    )
    assert injected.count > 0, "no fault was injected: the test proved nothing"
    assert held, (
        f"{lost} of {count} accepted requests neither processed nor dead-lettered: {why_lost(stack, customer_of, processed, dead)}"
    )


def why_lost(stack: Stack, customer_of: dict[str, str], processed: dict, dead: set[str]) -> dict:
    """Where the requests neither processed nor dead-lettered are: the queue's counts and the consumer's log."""
    missing = set(customer_of.values()) - dead - {customer_of[tid] for tid in processed}
    counts = stack.client("sqs").get_queue_attributes(
        QueueUrl=stack.outputs["leveling"]["queue_url"],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    logs = stack.client("logs").filter_log_events(
        logGroupName=f"/aws/lambda/{stack.outputs['leveling']['consumer_function_name']}"
    )["events"]
    ids = {tid for tid, customer in customer_of.items() if customer in missing}
    return {
        "missing": sorted(missing),
        "queue": counts,
        "log": [e["message"][:400] for e in logs if any(i in e["message"] for i in ids | missing)][:20],
    }


def test_status_endpoint_answers_pending_for_unknown_and_done_with_the_result(stack):
    unknown = http("GET", url(stack, "requests/00000000-0000-0000-0000-000000000000"))
    assert (unknown.status, unknown.json()["status"]) == (200, "PENDING")
    transaction = http("POST", url(stack, "requests"), json.dumps({"customer": "acme", "amount": 40}), JSON).json()
    deadline = time.monotonic() + 30
    status = {}
    while time.monotonic() < deadline:
        status = http("GET", url(stack, transaction["status"])).json()
        if status["status"] == "DONE":
            break
        time.sleep(0.3)
    assert status["status"] == "DONE" and status["fee"] == "1.00", status
    assert status["transactionId"] == transaction["transactionId"]


@pytest.mark.failure_mode
def test_body_outside_the_model_is_rejected_before_the_queue(stack):
    answer = http("POST", url(stack, "requests"), json.dumps({"customer": "acme"}), JSON)
    assert (answer.status, answer.json()) == (400, {"message": "Invalid request body"})


@pytest.mark.failure_mode
def test_dead_letter_queue_has_an_alarm(stack):
    alarms = stack.client("cloudwatch").describe_alarms(AlarmNames=[stack.outputs["leveling"]["dlq_alarm_name"]])
    assert alarms["MetricAlarms"][0]["MetricName"] == "ApproximateNumberOfMessagesVisible"


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
