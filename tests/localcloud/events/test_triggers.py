"""Producers moto wires to Lambda (and EventBridge targets it lacked) run our handlers."""

from __future__ import annotations

import json
import time

import pytest
from botocore.exceptions import ClientError

from conftest import STATES_TRUST, make_role, trust
from harness import (
    allow_eventbridge_to_send,
    allow_service_to_invoke,
    allow_topic_to_send,
    finished_execution,
    metric_datapoints,
)
from sample_events import load

pytestmark = pytest.mark.localcloud


# Rules stay on the default bus for the whole session: each test matches only its own source.
def put_rule_with_target(
    aws, unique: str, target_arn: str, allow_invoke: bool = True, allow_dead_letters: bool = True, **target: object
) -> None:
    """A rule on this test's source; a Lambda target that exists gets the invoke permission EventBridge needs."""
    events = aws("events")
    rule_arn = events.put_rule(Name=unique, EventPattern=json.dumps({"source": [f"acme.{unique}"]}))["RuleArn"]
    if allow_invoke and ":lambda:" in target_arn and function_exists(aws, target_arn):
        allow_service_to_invoke(aws("lambda"), target_arn, "events.amazonaws.com", rule_arn)
    dead_letters = (target.get("DeadLetterConfig") or {}).get("Arn")  # type: ignore[union-attr]
    if dead_letters and allow_dead_letters:  # EventBridge dead-letters as itself
        url = aws("sqs").get_queue_url(QueueName=str(dead_letters).split(":")[5])["QueueUrl"]
        allow_eventbridge_to_send(aws("sqs"), url, str(dead_letters), rule_arn)
    events.put_targets(Rule=unique, Targets=[{"Id": "t1", "Arn": target_arn, **target}])


def function_exists(aws, arn: str) -> bool:
    try:
        aws("lambda").get_function(FunctionName=arn)
    except aws("lambda").exceptions.ResourceNotFoundException:
        return False
    return True


def put_order_event(aws, unique: str) -> dict:
    return aws("events").put_events(
        Entries=[{"Source": f"acme.{unique}", "DetailType": "OrderPlaced", "Detail": json.dumps({"order": 7})}]
    )


def test_eventbridge_rule_invokes_a_lambda_target_with_the_aws_event_shape(aws, forwarder, unique):
    function_arn, received = forwarder
    put_rule_with_target(aws, unique, function_arn)
    answer = put_order_event(aws, unique)
    assert answer["FailedEntryCount"] == 0
    event = received()
    assert set(event) == set(load("eventbridge_event"))
    assert (event["source"], event["detail-type"], event["detail"]) == (f"acme.{unique}", "OrderPlaced", {"order": 7})
    assert event["id"] == answer["Entries"][0]["EventId"]
    assert time.strptime(event["time"], "%Y-%m-%dT%H:%M:%SZ"), "time is ISO 8601 as EventBridge sends it"


def test_eventbridge_input_transformer_shapes_what_the_target_gets(aws, forwarder, unique):
    function_arn, received = forwarder
    put_rule_with_target(
        aws,
        unique,
        function_arn,
        InputTransformer={"InputPathsMap": {"order": "$.detail.order"}, "InputTemplate": '{"orderId": <order>}'},
    )
    put_order_event(aws, unique)
    assert received() == {"orderId": 7}


def allow_eventbridge_to_publish(sns, topic: str) -> None:
    """The topic policy EventBridge needs: it publishes as events.amazonaws.com, not as this account."""
    sns.set_topic_attributes(
        TopicArn=topic,
        AttributeName="Policy",
        AttributeValue=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "events.amazonaws.com"},
                        "Action": "sns:Publish",
                        "Resource": topic,
                        "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
                    }
                ],
            }
        ),
    )


def test_eventbridge_rule_publishes_to_an_sns_target_whose_policy_admits_it(aws, unique):
    sns, sqs = aws("sns"), aws("sqs")
    topic = sns.create_topic(Name=f"{unique}-topic")["TopicArn"]
    allow_eventbridge_to_publish(sns, topic)
    queue = sqs.create_queue(QueueName=f"{unique}-sub")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    allow_topic_to_send(sqs, queue, queue_arn, topic)
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    put_rule_with_target(aws, unique, topic)
    assert put_order_event(aws, unique)["FailedEntryCount"] == 0
    messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=5).get("Messages", [])
    assert messages and json.loads(messages[0]["Body"])["detail"] == {"order": 7}


def test_an_sns_target_whose_policy_does_not_admit_eventbridge_is_dead_lettered(aws, unique):
    """The topic's default policy admits this account's principals; EventBridge is a service, not one of them."""
    sns, sqs = aws("sns"), aws("sqs")
    topic = sns.create_topic(Name=f"{unique}-closed")["TopicArn"]
    dlq = sqs.create_queue(QueueName=f"{unique}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    put_rule_with_target(aws, unique, topic, DeadLetterConfig={"Arn": dlq_arn})
    put_order_event(aws, unique)
    (message,) = sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=5, MessageAttributeNames=["All"])["Messages"]
    assert message["MessageAttributes"]["ERROR_CODE"]["StringValue"] == "NO_PERMISSIONS"


def test_eventbridge_rule_starts_a_step_functions_execution_as_the_targets_role(aws, unique):
    role = aws("iam").create_role(RoleName=f"{unique}-sfn", AssumeRolePolicyDocument=STATES_TRUST)["Role"]["Arn"]
    sfn = aws("stepfunctions")
    machine = sfn.create_state_machine(
        name=unique,
        roleArn=role,
        definition=json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}),
    )["stateMachineArn"]
    # the machine's own role is not one EventBridge may assume: nothing starts
    put_rule_with_target(aws, unique, machine, RoleArn=role)
    put_order_event(aws, unique)
    assert sfn.list_executions(stateMachineArn=machine)["executions"] == []
    starter = make_role(
        aws("iam"),
        f"{unique}-starter",
        {"Effect": "Allow", "Action": "states:StartExecution", "Resource": machine},
        trust=trust("events.amazonaws.com"),
    )
    put_rule_with_target(aws, unique, machine, RoleArn=starter)
    put_order_event(aws, unique)
    executions = sfn.list_executions(stateMachineArn=machine)["executions"]
    assert len(executions) == 1
    started = sfn.describe_execution(executionArn=executions[0]["executionArn"])
    assert json.loads(started["input"])["detail"] == {"order": 7}


def test_unreachable_lambda_target_sends_the_event_to_the_targets_dead_letter_queue(aws, unique):
    sqs = aws("sqs")
    dlq = sqs.create_queue(QueueName=f"{unique}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    missing = f"arn:aws:lambda:us-east-1:123456789012:function:{unique}-gone"
    put_rule_with_target(aws, unique, missing, DeadLetterConfig={"Arn": dlq_arn})
    put_order_event(aws, unique)
    messages = sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=5, MessageAttributeNames=["All"]).get("Messages", [])
    assert messages, "the undeliverable event was lost"
    assert json.loads(messages[0]["Body"])["detail"] == {"order": 7}
    assert messages[0]["MessageAttributes"]["TARGET_ARN"]["StringValue"] == missing


def test_lambda_target_without_an_invoke_permission_for_the_rule_is_dead_lettered_not_run(aws, forwarder, unique):
    function_arn, received = forwarder
    sqs = aws("sqs")
    dlq = sqs.create_queue(QueueName=f"{unique}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    put_rule_with_target(aws, unique, function_arn, allow_invoke=False, DeadLetterConfig={"Arn": dlq_arn})
    put_order_event(aws, unique)
    (message,) = sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=5, MessageAttributeNames=["All"])["Messages"]
    assert message["MessageAttributes"]["ERROR_CODE"]["StringValue"] == "NO_PERMISSIONS"
    with pytest.raises(AssertionError, match="never received"):
        received(timeout=1)


def test_dynamodb_stream_mapping_runs_the_handler_with_stream_records(aws, forwarder, unique):
    function_arn, received = forwarder
    ddb = aws("dynamodb")
    table = ddb.create_table(
        TableName=unique,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    aws("lambda").create_event_source_mapping(
        EventSourceArn=table["TableDescription"]["LatestStreamArn"],
        FunctionName=function_arn,
        StartingPosition="LATEST",
    )
    ddb.put_item(TableName=unique, Item={"pk": {"S": "k1"}, "v": {"N": "1"}})
    record = received()["Records"][0]
    sample = load("dynamodb_stream_record")
    assert set(sample) <= set(record)
    assert record["eventName"] == "INSERT"
    assert record["dynamodb"]["NewImage"] == {"pk": {"S": "k1"}, "v": {"N": "1"}}


def run_to_the_end(sfn, machine: str, payload: dict) -> dict:
    execution = sfn.start_execution(stateMachineArn=machine, input=json.dumps(payload))["executionArn"]
    return finished_execution(sfn, execution, timeout=20)


def test_step_functions_lambda_task_runs_the_handler_as_the_state_machines_role(aws, make_function, unique):
    """The execution invokes as its role: without lambda:InvokeFunction the task fails, as in AWS."""
    name = make_function("def handler(event, context):\n    return {'doubled': event['n'] * 2}\n")
    function_arn = aws("lambda").get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    role = make_role(aws("iam"), f"{unique}-task", trust=STATES_TRUST)
    sfn = aws("stepfunctions")
    definition = {
        "StartAt": "Double",
        "States": {
            "Double": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": function_arn, "Payload.$": "$"},
                "OutputPath": "$.Payload",
                "End": True,
            }
        },
    }
    machine = sfn.create_state_machine(name=unique, roleArn=role, definition=json.dumps(definition))["stateMachineArn"]
    refused = run_to_the_end(sfn, machine, {"n": 21})
    assert refused["status"] == "FAILED"
    assert "AccessDenied" in refused.get("error", "") + refused.get("cause", ""), refused
    aws("iam").put_role_policy(
        RoleName=f"{unique}-task",
        PolicyName="invoke",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": function_arn}],
            }
        ),
    )
    described = run_to_the_end(sfn, machine, {"n": 21})
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"doubled": 42}


def test_a_state_machine_whose_role_step_functions_may_not_assume_is_refused(aws, unique):
    role = make_role(aws("iam"), f"{unique}-lambda-only")
    with pytest.raises(ClientError) as refused:
        aws("stepfunctions").create_state_machine(
            name=unique,
            roleArn=role,
            definition=json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}),
        )
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "states.amazonaws.com" in refused.value.response["Error"]["Message"]


def test_unreachable_target_without_dead_letter_queue_neither_fails_put_events_nor_the_other_targets(aws, unique):
    sqs = aws("sqs")
    queue = sqs.create_queue(QueueName=f"{unique}-ok")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    put_rule_with_target(aws, unique, f"arn:aws:lambda:us-east-1:123456789012:function:{unique}-gone")
    rule_arn = aws("events").describe_rule(Name=unique)["Arn"]
    sqs.set_queue_attributes(
        QueueUrl=queue,
        Attributes={
            "Policy": json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "events.amazonaws.com"},
                            "Action": "sqs:SendMessage",
                            "Resource": queue_arn,
                            "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}},
                        }
                    ],
                }
            )
        },
    )
    aws("events").put_targets(Rule=unique, Targets=[{"Id": "t2", "Arn": queue_arn}])
    assert put_order_event(aws, unique)["FailedEntryCount"] == 0
    (message,) = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=5)["Messages"]
    assert json.loads(message["Body"])["detail"] == {"order": 7}


def test_an_sqs_target_whose_queue_policy_does_not_admit_eventbridge_is_dead_lettered_not_delivered(aws, unique):
    sqs = aws("sqs")
    queue = sqs.create_queue(QueueName=unique)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    dlq = sqs.create_queue(QueueName=f"{unique}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    put_rule_with_target(aws, unique, queue_arn, DeadLetterConfig={"Arn": dlq_arn})

    assert put_order_event(aws, unique)["FailedEntryCount"] == 0, "PutEvents never fails for a target"
    (kept,) = sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=5, MessageAttributeNames=["All"])["Messages"]
    assert kept["MessageAttributes"]["ERROR_CODE"]["StringValue"] == "NO_PERMISSIONS"
    assert sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages", []) == []


def test_a_dead_letter_queue_that_does_not_admit_eventbridge_keeps_nothing_and_is_counted(aws, unique):
    sqs = aws("sqs")
    dlq = sqs.create_queue(QueueName=f"{unique}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    missing = f"arn:aws:lambda:us-east-1:123456789012:function:{unique}-missing"
    put_rule_with_target(aws, unique, missing, allow_dead_letters=False, DeadLetterConfig={"Arn": dlq_arn})

    put_order_event(aws, unique)
    assert sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=3).get("Messages", []) == []
    counts = {
        name: sum(metric_datapoints(aws("cloudwatch"), "AWS/Events", name, {"RuleName": unique}, minutes=5))
        for name in (
            "MatchedEvents",
            "InvocationAttempts",
            "Invocations",
            "FailedInvocations",
            "InvocationsFailedToBeSentToDlq",
        )
    }
    assert counts == dict.fromkeys(counts, 1)
