"""Lambda hands asynchronous records to destinations and dead-letter targets as the function's role.

AWS refuses a dead-letter target or destination the execution role may not
write to (InvalidParameterValueException at configuration), and a record the
role cannot deliver later (permission removed, key policy) is dropped and
counted (DestinationDeliveryFailures, DeadLetterErrors), never delivered with
powers the role lacks.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from conftest import make_role, zip_source

pytestmark = pytest.mark.localcloud

FAILS = "def handler(event, context):\n    raise ValueError('cannot handle ' + str(event))\n"
SUCCEEDS = "def handler(event, context):\n    return {'handled': event}\n"


def queue(aws, name: str) -> tuple[str, str]:
    url = aws("sqs").create_queue(QueueName=name)["QueueUrl"]
    return url, aws("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def create(aws, name: str, role: str, source: str, **config) -> None:
    aws("lambda").create_function(
        FunctionName=name,
        Role=role,
        Runtime="python3.11",
        Handler="fn.handler",
        Code={"ZipFile": zip_source({"fn.py": source})},
        **config,
    )


def send_only_to(queue_arn: str) -> dict:
    return {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue_arn}


def delivery_failures(aws, name: str, metric: str) -> float:
    now = datetime.now(UTC)
    points = aws("cloudwatch").get_metric_statistics(
        Namespace="AWS/Lambda",
        MetricName=metric,
        Dimensions=[{"Name": "FunctionName", "Value": name}],
        StartTime=now - timedelta(minutes=10),
        EndTime=now + timedelta(minutes=1),
        Period=60,
        Statistics=["Sum"],
    )["Datapoints"]
    return sum(p["Sum"] for p in points)


def test_a_dead_letter_queue_the_role_may_not_send_to_is_refused_at_creation(aws, unique):
    _, dlq_arn = queue(aws, f"{unique}-dlq")
    role = make_role(aws("iam"), f"{unique}-role")
    with pytest.raises(ClientError) as refused:
        create(aws, f"{unique}-fn", role, FAILS, DeadLetterConfig={"TargetArn": dlq_arn})
    assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert refused.value.response["Error"]["Message"] == (
        "The provided execution role does not have permissions to call SendMessage on SQS"
    )


def test_a_dead_letter_queue_added_later_is_checked_too(aws, unique):
    _, dlq_arn = queue(aws, f"{unique}-dlq")
    create(aws, f"{unique}-fn", make_role(aws("iam"), f"{unique}-role"), FAILS)
    with pytest.raises(ClientError) as refused:
        aws("lambda").update_function_configuration(
            FunctionName=f"{unique}-fn", DeadLetterConfig={"TargetArn": dlq_arn}
        )
    assert "does not have permissions to call SendMessage on SQS" in refused.value.response["Error"]["Message"]


def test_a_destination_the_role_may_not_write_to_is_refused(aws, unique):
    _, allowed_arn = queue(aws, f"{unique}-allowed")
    _, other_arn = queue(aws, f"{unique}-other")
    create(aws, f"{unique}-fn", make_role(aws("iam"), f"{unique}-role", send_only_to(allowed_arn)), FAILS)
    with pytest.raises(ClientError) as refused:
        aws("lambda").put_function_event_invoke_config(
            FunctionName=f"{unique}-fn", DestinationConfig={"OnFailure": {"Destination": other_arn}}
        )
    assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert refused.value.response["Error"]["Message"] == (
        f"The function's execution role does not have permissions to call SendMessage on {other_arn}"
    )
    aws("lambda").put_function_event_invoke_config(
        FunctionName=f"{unique}-fn", DestinationConfig={"OnFailure": {"Destination": allowed_arn}}
    )


def test_put_replaces_the_config_and_update_changes_only_what_it_names(aws, unique):
    _, arn = queue(aws, f"{unique}-q")
    create(aws, f"{unique}-fn", make_role(aws("iam"), f"{unique}-role", send_only_to(arn)), FAILS)
    lam = aws("lambda")
    lam.put_function_event_invoke_config(
        FunctionName=f"{unique}-fn", MaximumRetryAttempts=2, DestinationConfig={"OnFailure": {"Destination": arn}}
    )
    lam.put_function_event_invoke_config(FunctionName=f"{unique}-fn", MaximumRetryAttempts=1)
    config = lam.get_function_event_invoke_config(FunctionName=f"{unique}-fn")
    assert config["MaximumRetryAttempts"] == 1
    assert not config.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
    lam.update_function_event_invoke_config(FunctionName=f"{unique}-fn", MaximumEventAgeInSeconds=120)
    config = lam.get_function_event_invoke_config(FunctionName=f"{unique}-fn")
    assert (config["MaximumRetryAttempts"], config["MaximumEventAgeInSeconds"]) == (1, 120)


def test_a_record_the_role_can_no_longer_deliver_is_dropped_and_counted(aws, unique):
    """The role's permission is removed after configuration: Lambda delivers as the role, so nothing arrives."""
    url, arn = queue(aws, f"{unique}-failures")
    iam = aws("iam")
    role = make_role(iam, f"{unique}-role", send_only_to(arn))
    create(aws, f"{unique}-fn", role, FAILS)
    aws("lambda").put_function_event_invoke_config(
        FunctionName=f"{unique}-fn", MaximumRetryAttempts=0, DestinationConfig={"OnFailure": {"Destination": arn}}
    )
    iam.delete_role_policy(RoleName=f"{unique}-role", PolicyName="inline")
    aws("lambda").invoke(FunctionName=f"{unique}-fn", InvocationType="Event", Payload=b'{"n": 1}')
    deadline = time.monotonic() + 15
    while delivery_failures(aws, f"{unique}-fn", "DestinationDeliveryFailures") < 1:
        assert time.monotonic() < deadline, "the undeliverable record was not counted"
        time.sleep(0.3)
    assert aws("sqs").receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", []) == []


def test_dead_letters_are_sent_as_the_role_and_counted_when_it_cannot(aws, unique):
    url, arn = queue(aws, f"{unique}-dlq")
    iam = aws("iam")
    create(
        aws,
        f"{unique}-fn",
        make_role(iam, f"{unique}-role", send_only_to(arn)),
        FAILS,
        DeadLetterConfig={"TargetArn": arn},
    )
    aws("lambda").put_function_event_invoke_config(FunctionName=f"{unique}-fn", MaximumRetryAttempts=0)
    aws("lambda").invoke(FunctionName=f"{unique}-fn", InvocationType="Event", Payload=b'{"n": 1}')
    messages = (
        aws("sqs").receive_message(QueueUrl=url, WaitTimeSeconds=10, MessageAttributeNames=["All"]).get("Messages", [])
    )
    assert [json.loads(m["Body"]) for m in messages] == [{"n": 1}]
    assert messages[0]["MessageAttributes"]["ErrorMessage"]["StringValue"] == "cannot handle {'n': 1}"

    iam.delete_role_policy(RoleName=f"{unique}-role", PolicyName="inline")
    aws("lambda").invoke(FunctionName=f"{unique}-fn", InvocationType="Event", Payload=b'{"n": 2}')
    deadline = time.monotonic() + 15
    while delivery_failures(aws, f"{unique}-fn", "DeadLetterErrors") < 1:
        assert time.monotonic() < deadline, "the undeliverable dead letter was not counted"
        time.sleep(0.3)
    assert aws("sqs").receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", []) == []


def test_an_on_success_destination_gets_the_response_in_aws_record_shape(aws, unique):
    url, arn = queue(aws, f"{unique}-done")
    create(aws, f"{unique}-fn", make_role(aws("iam"), f"{unique}-role", send_only_to(arn)), SUCCEEDS)
    aws("lambda").put_function_event_invoke_config(
        FunctionName=f"{unique}-fn", DestinationConfig={"OnSuccess": {"Destination": arn}}
    )
    aws("lambda").invoke(FunctionName=f"{unique}-fn", InvocationType="Event", Payload=b'{"n": 3}')
    messages = aws("sqs").receive_message(QueueUrl=url, WaitTimeSeconds=10).get("Messages", [])
    assert messages, "no on-success record arrived"
    record = json.loads(messages[0]["Body"])
    assert record["requestContext"]["condition"] == "Success"
    assert record["requestContext"]["functionArn"].endswith(f"function:{unique}-fn:$LATEST")
    assert record["requestPayload"] == {"n": 3}
    assert record["responsePayload"] == {"handled": {"n": 3}}
    assert record["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST"}
