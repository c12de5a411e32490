"""modules/rest-service-integration: a REST method calling SQS directly, and a stage that follows its edits."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterator

import pytest

from harness import Stack, api_url, applied_stack, client, drain_queue, http

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def queue_url(local_cloud) -> Iterator[str]:
    sqs = client(local_cloud, "sqs")
    url = sqs.create_queue(QueueName=f"rsi-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    yield url
    sqs.delete_queue(QueueUrl=url)


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory, queue_url) -> Iterator[Stack]:
    with applied_stack(
        "rest-service-integration",
        local_cloud,
        tmp_path_factory.mktemp("rsi"),
        code="rsi",
        variables={"queue_url": queue_url},
    ) as applied:
        yield applied


def test_the_method_queues_the_body_and_answers_with_its_template(stack, queue_url):
    answer = http(
        "POST",
        api_url(stack, stack.outputs["api_id"], "v1", "jobs"),
        json.dumps({"job": 1}),
        {"Content-Type": "application/json"},
    )
    assert answer.status == 202, answer.text
    (message,) = drain_queue(stack.client("sqs"), queue_url, wait_s=5)
    assert answer.json() == {"queued": message["MessageId"]}
    assert json.loads(message["Body"]) == {"job": 1}


@pytest.mark.failure_mode
def test_a_body_of_a_content_type_without_template_is_refused_not_passed_through(stack):
    answer = http(
        "POST",
        api_url(stack, stack.outputs["api_id"], "v1", "jobs"),
        "job=1",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status == 415, answer.text


def test_an_edited_answer_template_redeploys_the_stage(stack):
    """A deployment is a snapshot: the trigger must change with the template, not only with resource ids."""
    edited = dataclasses.replace(
        stack.root, variables={**stack.root.variables, "accepted_template": '{"accepted": true}'}
    )
    changed, plan = edited.plan_changes()
    assert changed
    assert "module.stage.aws_api_gateway_deployment.this must be replaced" in plan, plan


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
