"""The local cloud publishes the CloudWatch metrics AWS publishes: AWS/Lambda, and EMF lines from function logs."""

from __future__ import annotations

import json
import threading
import time

import pytest
from botocore.config import Config

from harness import metric_datapoints

pytestmark = pytest.mark.localcloud

EMF = """
import json, time
def handler(event, context):
    print(json.dumps({"_aws": {"Timestamp": int(time.time() * 1000), "CloudWatchMetrics": [{
        "Namespace": "Acme/Orders", "Dimensions": [["service"]],
        "Metrics": [{"Name": "OrdersPlaced", "Unit": "Count"}, {"Name": "Basket", "Unit": "None"}]}]},
        "service": "orders", "OrdersPlaced": event["orders"], "Basket": [3.5, 4.5]}))
    if event.get("fail"):
        raise ValueError("no")
    time.sleep(event.get("sleep", 0))
"""


def statistic(aws, namespace: str, metric: str, dimensions: dict[str, str], stat: str = "Sum") -> float | None:
    values = metric_datapoints(aws("cloudwatch"), namespace, metric, dimensions, stat)
    if not values:
        return None
    return sum(values) if stat == "Sum" else max(values)


def invoke(aws, name: str, event: dict) -> None:
    # botocore would retry a throttled invoke itself: one attempt, so one throttle is one throttle
    lam = aws("lambda", config=Config(retries={"total_max_attempts": 1}))
    try:
        lam.invoke(FunctionName=name, Payload=json.dumps(event))
    except lam.exceptions.TooManyRequestsException:
        pass


def test_embedded_metric_format_lines_become_cloudwatch_metrics(aws, make_function, unique):
    name = make_function(EMF)
    invoke(aws, name, {"orders": 2})
    invoke(aws, name, {"orders": 5})
    assert statistic(aws, "Acme/Orders", "OrdersPlaced", {"service": "orders"}) == 7
    assert statistic(aws, "Acme/Orders", "Basket", {"service": "orders"}, "Maximum") == 4.5
    assert statistic(aws, "Acme/Orders", "OrdersPlaced", {"service": "other"}) is None


def test_every_invocation_counts_in_aws_lambda_metrics(aws, make_function):
    name = make_function(EMF)
    invoke(aws, name, {"orders": 1})
    invoke(aws, name, {"orders": 1, "fail": True})
    function = {"FunctionName": name}
    assert statistic(aws, "AWS/Lambda", "Invocations", function) == 2
    assert statistic(aws, "AWS/Lambda", "Errors", function) == 1
    assert statistic(aws, "AWS/Lambda", "Duration", function, "Maximum") > 0


def test_throttles_and_peak_concurrency_are_published(aws, make_function):
    name = make_function(EMF, Timeout=10)
    aws("lambda").put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=2)
    threads = [threading.Thread(target=invoke, args=(aws, name, {"orders": 0, "sleep": 1.5})) for _ in range(3)]
    for thread in threads:
        thread.start()
        time.sleep(0.2)
    for thread in threads:
        thread.join()
    function = {"FunctionName": name}
    assert statistic(aws, "AWS/Lambda", "ConcurrentExecutions", function, "Maximum") == 2
    assert statistic(aws, "AWS/Lambda", "Throttles", function) == 1
    assert statistic(aws, "AWS/Lambda", "Invocations", function) == 2
