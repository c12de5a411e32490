"""EventBridge delivers to API destinations and retries as the target's retry policy says, then dead-letters."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from harness import Downstream, Reply, Request, allow_eventbridge_to_send

pytestmark = pytest.mark.localcloud


class Webhook(Downstream):
    """A webhook on loopback answering a scripted list of statuses (then 200), recording each request."""

    def __init__(self, statuses: list[int]) -> None:
        super().__init__()
        self.statuses = list(statuses)

    def answer(self, request: Request) -> Reply:
        return Reply(self.statuses.pop(0) if self.statuses else 200)


@pytest.fixture
def endpoint() -> Iterator[Callable[[list[int]], Webhook]]:
    with ExitStack() as running:
        yield lambda statuses: running.enter_context(Webhook(statuses))


def api_destination(aws, unique: str, url: str) -> str:
    events = aws("events")
    connection = events.create_connection(
        Name=unique,
        AuthorizationType="API_KEY",
        AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": "x-webhook-key", "ApiKeyValue": "s3cret"}},
    )["ConnectionArn"]
    return events.create_api_destination(
        Name=unique,
        ConnectionArn=connection,
        InvocationEndpoint=f"{url}/hooks/*",
        HttpMethod="POST",
        InvocationRateLimitPerSecond=10,
    )["ApiDestinationArn"]


def dead_letter_queue(aws, unique: str) -> tuple[str, str]:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=f"{unique}-dlq")["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def route(aws, unique: str, destination: str, dlq: tuple[str, str], retries: int) -> None:
    events = aws("events")
    rule = events.put_rule(Name=unique, EventPattern=json.dumps({"source": [f"acme.{unique}"]}))["RuleArn"]
    allow_eventbridge_to_send(aws("sqs"), *dlq, rule)  # EventBridge dead-letters as itself
    events.put_targets(
        Rule=unique,
        Targets=[
            {
                "Id": "hook",
                "Arn": destination,
                "RoleArn": "arn:aws:iam::123456789012:role/events-invoke",
                "HttpParameters": {"PathParameterValues": ["orders"], "HeaderParameters": {"x-source": "eventbridge"}},
                "RetryPolicy": {"MaximumRetryAttempts": retries, "MaximumEventAgeInSeconds": 600},
                "DeadLetterConfig": {"Arn": dlq[1]},
            }
        ],
    )


def put_event(aws, unique: str) -> None:
    answer = aws("events").put_events(
        Entries=[{"Source": f"acme.{unique}", "DetailType": "OrderPlaced", "Detail": json.dumps({"order": 7})}]
    )
    assert answer["FailedEntryCount"] == 0


def dead_letters(aws, url: str, wait: int = 2) -> list[dict]:
    return (
        aws("sqs")
        .receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=wait, MessageAttributeNames=["All"])
        .get("Messages", [])
    )


def test_api_destination_gets_the_event_with_the_connections_key_and_the_targets_parameters(aws, unique, endpoint):
    hook = endpoint([])
    dlq_url, dlq_arn = dead_letter_queue(aws, unique)
    route(aws, unique, api_destination(aws, unique, hook.url), (dlq_url, dlq_arn), retries=2)
    put_event(aws, unique)
    (request,) = hook.wait_for(1)
    assert request.path == "/hooks/orders"
    assert (request.headers["x-webhook-key"], request.headers["x-source"]) == ("s3cret", "eventbridge")
    assert json.loads(request.body)["detail"] == {"order": 7}
    assert dead_letters(aws, dlq_url, wait=1) == []


def test_retryable_failures_are_retried_until_the_target_answers(aws, unique, endpoint):
    hook = endpoint([503, 429])
    dlq_url, dlq_arn = dead_letter_queue(aws, unique)
    route(aws, unique, api_destination(aws, unique, hook.url), (dlq_url, dlq_arn), retries=3)
    put_event(aws, unique)
    assert len(hook.wait_for(3)) == 3  # 503, 429, then 200
    time.sleep(1.5)
    assert len(hook.requests) == 3, "no delivery after the success"
    assert dead_letters(aws, dlq_url, wait=1) == []


def test_retries_stop_at_the_policys_maximum_and_the_event_is_dead_lettered(aws, unique, endpoint):
    hook = endpoint([500] * 10)
    dlq_url, dlq_arn = dead_letter_queue(aws, unique)
    route(aws, unique, api_destination(aws, unique, hook.url), (dlq_url, dlq_arn), retries=2)
    put_event(aws, unique)
    dead: list[dict] = []
    deadline = time.monotonic() + 20
    while not dead and time.monotonic() < deadline:
        dead = dead_letters(aws, dlq_url)
    assert len(hook.requests) == 3, "the first attempt and two retries"
    (message,) = dead
    attributes = {name: value["StringValue"] for name, value in message["MessageAttributes"].items()}
    assert attributes["ERROR_CODE"] == "HTTP_500"
    assert (attributes["RETRY_ATTEMPTS"], attributes["EXHAUSTED_RETRY_CONDITION"]) == ("2", "MaximumRetryAttempts")
    assert attributes["RULE_ARN"].endswith(f"rule/{unique}")
    assert json.loads(message["Body"])["detail"] == {"order": 7}


def test_client_errors_are_not_retried(aws, unique, endpoint):
    hook = endpoint([400])
    dlq_url, dlq_arn = dead_letter_queue(aws, unique)
    route(aws, unique, api_destination(aws, unique, hook.url), (dlq_url, dlq_arn), retries=5)
    put_event(aws, unique)
    (message,) = dead_letters(aws, dlq_url, wait=5)
    assert message["MessageAttributes"]["ERROR_CODE"]["StringValue"] == "HTTP_400"
    assert "EXHAUSTED_RETRY_CONDITION" not in message["MessageAttributes"]
    assert len(hook.requests) == 1
