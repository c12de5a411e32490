"""Resources that hung or diffed against plain moto apply, plan empty and destroy on the local cloud."""

from __future__ import annotations

import pytest

from harness import STACKS, applied_stack
from tooling.build import write_zip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory):
    work = tmp_path_factory.mktemp("compat")
    probe_src = STACKS / "lambda-probe" / "src"
    write_zip(work / "probe.zip", [probe_src], probe_src)
    with applied_stack(
        "provider-compat", local_cloud, work, code="pc", variables={"package_path": str(work / "probe.zip")}
    ) as applied:
        yield applied


def test_state_machine_applies_and_runs_an_execution(stack):
    import time

    sfn = stack.client("stepfunctions")
    execution = sfn.start_execution(stateMachineArn=stack.outputs["state_machine_arn"])["executionArn"]
    deadline = time.monotonic() + 20
    status = "RUNNING"
    while status == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.5)
        status = sfn.describe_execution(executionArn=execution)["status"]
    assert status == "SUCCEEDED"


def test_the_replication_group_applies_with_a_primary_that_answers(stack):
    import redis

    address = stack.outputs["cache_primary_address"]
    assert address.startswith("127.0.")
    client = redis.Redis(
        host=address, port=6379, ssl=True, ssl_cert_reqs="none", password="a-long-auth-token-0123456789"
    )
    assert client.ping()


def test_a_pipe_applies_running_and_delivers_the_queues_messages_to_its_topic(stack):
    import json
    import time

    from harness import sns_metric_sum

    assert stack.client("pipes").describe_pipe(Name=stack.outputs["pipe_name"])["CurrentState"] == "RUNNING"
    sqs = stack.client("sqs")
    sqs.send_message(QueueUrl=stack.outputs["main_queue_url"], MessageBody=json.dumps({"order": 1}))
    deadline, published = time.monotonic() + 20, 0.0
    while time.monotonic() < deadline and published < 1:
        time.sleep(0.5)
        published = sns_metric_sum(
            stack.client("cloudwatch"), stack.outputs["piped_topic_name"], "NumberOfMessagesPublished"
        )
    assert published == 1


def test_a_metric_stream_applies_running_with_its_filters(stack):
    stream = stack.client("cloudwatch").get_metric_stream(Name=stack.outputs["metric_stream_name"])
    assert (stream["State"], stream["OutputFormat"]) == ("running", "json")
    assert stream["IncludeFilters"] == [{"Namespace": "AWS/Lambda", "MetricNames": ["Errors", "Throttles"]}]


def test_second_plan_shows_no_changes(stack):
    assert stack.second_plan_changes() is None
