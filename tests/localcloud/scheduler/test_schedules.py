"""EventBridge Scheduler schedules and scheduled rules fire, invoke their targets as the schedule's role,
retry and dead-letter as Scheduler does, and the APIs refuse what AWS refuses."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from conftest import make_role, trust
from harness import advance_schedule as advance
from harness import allow_service_to_invoke, http

pytestmark = pytest.mark.localcloud

SCHEDULER_TRUST = trust("scheduler.amazonaws.com", {"StringEquals": {"aws:SourceAccount": "123456789012"}})
OFF = {"Mode": "OFF"}
# Fires only at midnight on New Year's Day: the tests that advance it see no firing of the clock's own.
YEARLY = "cron(0 0 1 1 ? *)"


def queue(aws, name: str) -> tuple[str, str]:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def receive(aws, url: str, timeout: int = 10) -> list[dict]:
    sqs = aws("sqs")
    deadline, messages = time.monotonic() + timeout, []
    while not messages and time.monotonic() < deadline:
        messages = sqs.receive_message(
            QueueUrl=url, WaitTimeSeconds=2, MessageAttributeNames=["All"], MaxNumberOfMessages=10
        ).get("Messages", [])
    return messages


def allowing(*statements: tuple[str, str]) -> list[dict]:
    return [{"Effect": "Allow", "Action": action, "Resource": resource} for action, resource in statements]


def test_a_schedule_invokes_its_lambda_target_as_its_role_with_the_context_attributes(
    aws, forwarder, local_cloud, unique
):
    function_arn, received = forwarder
    role = make_role(
        aws("iam"), f"{unique}-sch", *allowing(("lambda:InvokeFunction", function_arn)), trust=SCHEDULER_TRUST
    )
    start = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    arn = aws("scheduler").create_schedule(
        Name=unique,
        ScheduleExpression="rate(1 day)",
        StartDate=start,
        FlexibleTimeWindow=OFF,
        Target={
            "Arn": function_arn,
            "RoleArn": role,
            "Input": json.dumps(
                {
                    "at": "<aws.scheduler.scheduled-time>",
                    "schedule": "<aws.scheduler.schedule-arn>",
                    "attempt": "<aws.scheduler.attempt-number>",
                    "execution": "<aws.scheduler.execution-id>",
                }
            ),
        },
    )["ScheduleArn"]

    answer = advance(local_cloud, arn)
    assert answer.status == 200, answer.text
    event = received()
    assert event["at"] == answer.json()["ScheduledTime"] == f"{start:%Y-%m-%dT%H:%M:%SZ}", "first at its start date"
    assert (event["schedule"], event["attempt"]) == (arn, "1")
    assert len(event["execution"]) == 16


def test_a_one_time_schedule_fires_on_time_and_deletes_itself_after(aws, local_cloud, unique):
    url, queue_arn = queue(aws, unique)
    role = make_role(aws("iam"), f"{unique}-sch", *allowing(("sqs:SendMessage", queue_arn)), trust=SCHEDULER_TRUST)
    when = (datetime.now(UTC) + timedelta(seconds=4)).replace(microsecond=0)
    aws("scheduler").create_schedule(
        Name=unique,
        ScheduleExpression=f"at({when:%Y-%m-%dT%H:%M:%S})",
        FlexibleTimeWindow=OFF,
        ActionAfterCompletion="DELETE",
        Target={"Arn": queue_arn, "RoleArn": role, "Input": "report for <aws.scheduler.scheduled-time>"},
    )
    messages = receive(aws, url, timeout=15)
    assert [m["Body"] for m in messages] == [f"report for {when:%Y-%m-%dT%H:%M:%SZ}"]
    with pytest.raises(ClientError) as gone:
        aws("scheduler").get_schedule(Name=unique)
    assert gone.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_role_denied_the_target_dead_letters_the_payload_with_schedulers_attributes(
    aws, forwarder, local_cloud, unique
):
    function_arn, _ = forwarder
    dlq_url, dlq_arn = queue(aws, f"{unique}-dlq")
    role = make_role(aws("iam"), f"{unique}-sch", *allowing(("sqs:SendMessage", dlq_arn)), trust=SCHEDULER_TRUST)
    arn = aws("scheduler").create_schedule(
        Name=unique,
        ScheduleExpression="cron(0 6 * * ? *)",
        ScheduleExpressionTimezone="Europe/London",
        FlexibleTimeWindow={"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15},  # advancing fires at once
        Target={
            "Arn": function_arn,
            "RoleArn": role,
            "Input": '{"report": "daily"}',
            "DeadLetterConfig": {"Arn": dlq_arn},
        },
    )["ScheduleArn"]

    assert advance(local_cloud, arn).status == 200
    [message] = receive(aws, dlq_url)
    attributes = {name: value["StringValue"] for name, value in message["MessageAttributes"].items()}
    assert message["Body"] == '{"report": "daily"}'
    assert attributes["ERROR_CODE"] == "AWS.Lambda.AccessDeniedException"
    assert "lambda:InvokeFunction" in attributes["ERROR_MESSAGE"]
    assert (attributes["RETRY_ATTEMPTS"], attributes["SCHEDULE_ARN"], attributes["TARGET_ARN"]) == (
        "0",
        arn,
        function_arn,
    )
    assert attributes["SCHEDULED_TIME"].endswith(("T06:00:00Z", "T05:00:00Z"))  # 06:00 in London
    assert "EXHAUSTED_RETRY_CONDITION" not in attributes, "a permanent error is not retried"


def test_a_throttled_target_is_retried_then_dead_lettered_as_exhausted(aws, local_cloud, unique):
    topic = aws("sns").create_topic(Name=unique)["TopicArn"]
    dlq_url, dlq_arn = queue(aws, f"{unique}-dlq")
    role = make_role(
        aws("iam"),
        f"{unique}-sch",
        *allowing(("sns:Publish", topic), ("sqs:SendMessage", dlq_arn)),
        trust=SCHEDULER_TRUST,
    )
    faults = f"{local_cloud.endpoint}/_localcloud/faults"
    spec = {"service": "sns", "operation": "Publish", "error": "Throttled", "resource": topic}
    assert http("POST", faults, json.dumps(spec), {"Content-Type": "application/json"}).status == 201
    try:
        arn = aws("scheduler").create_schedule(
            Name=unique,
            ScheduleExpression=YEARLY,
            FlexibleTimeWindow=OFF,
            Target={
                "Arn": topic,
                "RoleArn": role,
                "Input": "<aws.scheduler.attempt-number>",
                "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600},
                "DeadLetterConfig": {"Arn": dlq_arn},
            },
        )["ScheduleArn"]
        assert advance(local_cloud, arn).status == 200
        [message] = receive(aws, dlq_url, timeout=20)
    finally:
        http("DELETE", faults)
    attributes = {name: value["StringValue"] for name, value in message["MessageAttributes"].items()}
    assert attributes["ERROR_CODE"] == "AWS.SimpleNotificationService.Throttled"
    assert (attributes["RETRY_ATTEMPTS"], attributes["EXHAUSTED_RETRY_CONDITION"]) == ("2", "MaximumRetryAttempts")
    assert message["Body"] == "3", "the payload of the last attempt"


def test_a_role_that_does_not_trust_scheduler_gets_nothing_delivered(aws, local_cloud, unique):
    url, queue_arn = queue(aws, unique)
    role = make_role(aws("iam"), f"{unique}-sch", *allowing(("sqs:SendMessage", "*")))  # trusts Lambda only
    group = aws("scheduler").create_schedule_group(Name=unique)["ScheduleGroupArn"]
    arn = aws("scheduler").create_schedule(
        Name=unique,
        GroupName=unique,
        ScheduleExpression=YEARLY,
        FlexibleTimeWindow=OFF,
        Target={"Arn": queue_arn, "RoleArn": role, "Input": "x", "DeadLetterConfig": {"Arn": queue_arn}},
    )["ScheduleArn"]
    assert advance(local_cloud, arn).status == 200
    assert receive(aws, url, timeout=4) == []
    dropped = aws("cloudwatch").get_metric_statistics(
        Namespace="AWS/Scheduler",
        MetricName="InvocationDroppedCount",
        Dimensions=[{"Name": "ScheduleGroup", "Value": unique}],
        StartTime=datetime.now(UTC) - timedelta(minutes=5),
        EndTime=datetime.now(UTC) + timedelta(minutes=1),
        Period=60,
        Statistics=["Sum"],
    )["Datapoints"]
    assert sum(point["Sum"] for point in dropped) == 1, group


def test_a_rate_fires_at_once_then_every_period_and_a_universal_target_gets_the_input_as_its_request(
    aws, local_cloud, unique
):
    url, queue_arn = queue(aws, unique)
    role = make_role(aws("iam"), f"{unique}-sch", *allowing(("sqs:SendMessage", queue_arn)), trust=SCHEDULER_TRUST)
    created = datetime.now(UTC)
    arn = aws("scheduler").create_schedule(
        Name=unique,
        ScheduleExpression="rate(5 minutes)",
        FlexibleTimeWindow=OFF,
        Target={
            "Arn": "arn:aws:scheduler:::aws-sdk:sqs:sendMessage",
            "RoleArn": role,
            "Input": json.dumps({"QueueUrl": url, "MessageBody": "<aws.scheduler.scheduled-time>"}),
        },
    )["ScheduleArn"]
    [first] = receive(aws, url)
    fired = datetime.fromisoformat(first["Body"].replace("Z", "+00:00"))
    assert abs(fired - created) < timedelta(seconds=2), "a rate without a start date starts at once"

    second = advance(local_cloud, arn).json()["ScheduledTime"]
    [message] = receive(aws, url)
    assert message["Body"] == second
    assert datetime.fromisoformat(second.replace("Z", "+00:00")) - fired == timedelta(minutes=5)


def test_a_disabled_schedule_does_not_fire(aws, local_cloud, unique):
    url, queue_arn = queue(aws, unique)
    role = make_role(aws("iam"), f"{unique}-sch", *allowing(("sqs:SendMessage", queue_arn)), trust=SCHEDULER_TRUST)
    when = datetime.now(UTC) + timedelta(seconds=2)
    arn = aws("scheduler").create_schedule(
        Name=unique,
        State="DISABLED",
        ScheduleExpression=f"at({when:%Y-%m-%dT%H:%M:%S})",
        FlexibleTimeWindow=OFF,
        Target={"Arn": queue_arn, "RoleArn": role, "Input": "fired"},
    )["ScheduleArn"]
    assert receive(aws, url, timeout=5) == [], "its time passed and nothing fired"
    assert advance(local_cloud, arn).status == 400


@pytest.mark.parametrize(
    "change, message",
    [
        ({"ScheduleExpression": "rate(10 seconds)"}, "Invalid Schedule Expression rate(10 seconds)."),
        ({"ScheduleExpression": "cron(0 8 * * * *)"}, "Invalid Schedule Expression cron(0 8 * * * *)."),
        ({"ScheduleExpressionTimezone": "Mars/Olympus"}, "Invalid ScheduleExpressionTimezone Mars/Olympus."),
        ({"FlexibleTimeWindow": {"Mode": "FLEXIBLE"}}, "MaximumWindowInMinutes must be between 1 and 1440"),
        ({"Target": {"Input": "not json"}}, "well-formed JSON"),
        ({"Target": {"Arn": "arn:aws:scheduler:::aws-sdk:sqs:receiveMessage"}}, "read-only"),
        ({"Target": {"RetryPolicy": {"MaximumRetryAttempts": 186}}}, "MaximumRetryAttempts must be between 0 and 185"),
        (
            {"Target": {"DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:123456789012:dlq.fifo"}}},
            "standard SQS queue",
        ),
        (
            {"StartDate": datetime(2030, 1, 2, tzinfo=UTC), "EndDate": datetime(2030, 1, 1, tzinfo=UTC)},
            "after the StartDate",
        ),
    ],
)
def test_create_schedule_refuses_what_scheduler_refuses(aws, forwarder, unique, change, message):
    function_arn, _ = forwarder
    request = {
        "Name": unique,
        "ScheduleExpression": "rate(1 hour)",
        "FlexibleTimeWindow": OFF,
        "Target": {"Arn": function_arn, "RoleArn": f"arn:aws:iam::123456789012:role/{unique}"},
    }
    for key, value in change.items():
        request[key] = {**request[key], **value} if key == "Target" else value
    with pytest.raises(ClientError) as refused:
        aws("scheduler").create_schedule(**request)
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert message in refused.value.response["Error"]["Message"]


def test_a_scheduled_rule_sends_the_scheduled_event_to_its_targets(aws, forwarder, local_cloud, unique):
    function_arn, received = forwarder
    events = aws("events")
    rule = events.put_rule(Name=unique, ScheduleExpression="cron(0 12 * * ? *)")["RuleArn"]
    allow_service_to_invoke(aws("lambda"), function_arn, "events.amazonaws.com", rule)
    events.put_targets(Rule=unique, Targets=[{"Id": "t1", "Arn": function_arn}])
    answer = advance(local_cloud, rule)
    assert answer.status == 200, answer.text
    event = received()
    assert (event["detail-type"], event["source"], event["resources"], event["detail"]) == (
        "Scheduled Event",
        "aws.events",
        [rule],
        {},
    )
    assert event["time"] == answer.json()["ScheduledTime"]
    assert event["time"].endswith("T12:00:00Z")


@pytest.mark.parametrize("expression", ["rate(1 minutes)", "cron(0 12 * * * *)", "at(2027-01-01T00:00:00)"])
def test_put_rule_refuses_an_invalid_schedule_expression(aws, unique, expression):
    with pytest.raises(ClientError) as refused:
        aws("events").put_rule(Name=unique, ScheduleExpression=expression)
    assert refused.value.response["Error"]["Message"] == "Parameter ScheduleExpression is not valid."


def test_context_attributes_are_filled_in_only_where_written_as_text(aws, local_cloud, unique):
    # Terraform's jsonencode writes < and > as \u003c and \u003e: Scheduler matches the keyword's text only.
    url, queue_arn = queue(aws, unique)
    role = make_role(aws("iam"), f"{unique}-sch", *allowing(("sqs:SendMessage", queue_arn)), trust=SCHEDULER_TRUST)
    body = '{"as_text": "<aws.scheduler.attempt-number>", "escaped": "\\u003caws.scheduler.attempt-number\\u003e"}'
    arn = aws("scheduler").create_schedule(
        Name=unique,
        ScheduleExpression=YEARLY,
        FlexibleTimeWindow=OFF,
        Target={"Arn": queue_arn, "RoleArn": role, "Input": body},
    )["ScheduleArn"]
    assert advance(local_cloud, arn).status == 200
    [message] = receive(aws, url)
    assert json.loads(message["Body"]) == {"as_text": "1", "escaped": "<aws.scheduler.attempt-number>"}
