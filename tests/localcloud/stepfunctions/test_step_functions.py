"""Step Functions executions run as AWS runs them: integrations, express workflows, JSONata, retries,
callbacks, logging and Map concurrency."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from conftest import STATES_TRUST, make_role, trust
from harness import client_as_role, finished_execution

pytestmark = pytest.mark.localcloud

ALLOW_ALL = {"Effect": "Allow", "Action": "*", "Resource": "*"}


def machine(
    aws, unique: str, definition: dict, *, name: str | None = None, role: str | None = None, **settings: Any
) -> str:
    role = role or make_role(aws("iam"), f"{name or unique}-states", ALLOW_ALL, trust=STATES_TRUST)
    return aws("stepfunctions").create_state_machine(
        name=name or unique, roleArn=role, definition=json.dumps(definition), **settings
    )["stateMachineArn"]


def finished(aws, execution_arn: str, timeout: float = 30.0) -> dict:
    return finished_execution(aws("stepfunctions"), execution_arn, timeout)


def run(aws, machine_arn: str, payload: Any, **kwargs: Any) -> dict:
    execution = aws("stepfunctions").start_execution(stateMachineArn=machine_arn, input=json.dumps(payload), **kwargs)[
        "executionArn"
    ]
    return finished(aws, execution)


CHILD = {
    "StartAt": "Double",
    "States": {"Double": {"Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)"}, "End": True}},
}


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:states:::states:startExecution",
        "arn:aws:states:::states:startExecution.sync",
        "arn:aws:states:::states:startExecution.sync:2",
    ],
)
def test_a_workflow_starts_a_child_workflow_through_the_optimised_integration(aws, unique, resource):
    child = machine(aws, unique, CHILD, name=f"{unique}-child")
    parent = machine(
        aws,
        unique,
        {
            "StartAt": "Child",
            "States": {
                "Child": {
                    "Type": "Task",
                    "Resource": resource,
                    "Parameters": {"StateMachineArn": child, "Input": {"n.$": "$.n"}},
                    "End": True,
                }
            },
        },
        name=f"{unique}-parent",
    )
    described = run(aws, parent, {"n": 21})
    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    assert output["ExecutionArn"].startswith(child.replace(":stateMachine:", ":execution:"))
    assert isinstance(output["StartDate"], int)
    if resource.endswith(".sync"):
        assert json.loads(output["Output"]) == {"doubled": 42} and output["Status"] == "SUCCEEDED"
    elif resource.endswith(".sync:2"):
        assert output["Output"] == {"doubled": 42} and output["Status"] == "SUCCEEDED"


def sync_client(aws):
    from botocore.config import Config

    # boto3 sends StartSyncExecution to a sync- host; the local endpoint is one host.
    return aws("stepfunctions", config=Config(inject_host_prefix=False))


def test_an_express_workflow_runs_to_its_end_within_start_sync_execution(aws, unique):
    express = machine(aws, unique, CHILD, type="EXPRESS")
    answer = sync_client(aws).start_sync_execution(stateMachineArn=express, input=json.dumps({"n": 4}))
    assert answer["status"] == "SUCCEEDED", answer
    assert json.loads(answer["output"]) == {"doubled": 8}
    assert answer["executionArn"].startswith(express.replace(":stateMachine:", ":express:"))
    assert answer["stopDate"] >= answer["startDate"]


def test_a_failing_express_workflow_answers_its_error_and_cause(aws, unique):
    failing = machine(
        aws,
        unique,
        {"StartAt": "No", "States": {"No": {"Type": "Fail", "Error": "Order.Rejected", "Cause": "out of stock"}}},
        type="EXPRESS",
    )
    answer = sync_client(aws).start_sync_execution(stateMachineArn=failing, input="{}")
    assert (answer["status"], answer["error"], answer["cause"]) == ("FAILED", "Order.Rejected", "out of stock")
    assert "output" not in answer


def test_start_sync_execution_refuses_a_standard_workflow(aws, unique):
    from botocore.exceptions import ClientError

    standard = machine(aws, unique, CHILD)
    with pytest.raises(ClientError) as refused:
        sync_client(aws).start_sync_execution(stateMachineArn=standard, input="{}")
    assert refused.value.response["Error"]["Code"] == "StateMachineTypeNotSupported"


def test_jsonata_states_evaluate_their_expressions(aws, unique):
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Price",
        "States": {
            "Price": {
                "Type": "Pass",
                "Assign": {"rate": 0.2},
                "Output": {
                    "total": "{% $sum($states.input.items.price) %}",
                    "count": "{% $count($states.input.items) %}",
                },
                "Next": "Tax",
            },
            "Tax": {
                "Type": "Choice",
                "Choices": [
                    {
                        "Condition": "{% $states.input.total > 100 %}",
                        "Next": "Large",
                        "Output": {"total": "{% $states.input.total %}", "tax": "{% $states.input.total * $rate %}"},
                    }
                ],
                "Default": "Small",
            },
            "Large": {"Type": "Succeed"},
            "Small": {"Type": "Succeed"},
        },
    }
    jsonata_machine = machine(aws, unique, definition)
    described = run(aws, jsonata_machine, {"items": [{"price": 80}, {"price": 70}]})
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"total": 150, "tax": 30}


def history(aws, execution_arn: str) -> list[dict]:
    return aws("stepfunctions").get_execution_history(executionArn=execution_arn, maxResults=1000)["events"]


FLAKY = """
import json, os, boto3
ddb = boto3.client("dynamodb")
def handler(event, context):
    count = ddb.update_item(TableName=os.environ["TABLE"], Key={"pk": {"S": event["id"]}},
                            UpdateExpression="ADD calls :one", ExpressionAttributeValues={":one": {"N": "1"}},
                            ReturnValues="UPDATED_NEW")["Attributes"]["calls"]["N"]
    if int(count) <= event.get("failures", 0):
        raise RuntimeError("transient failure " + count)
    if event.get("permanent"):
        raise ValueError("permanent failure")
    return {"calls": int(count)}
"""


@pytest.fixture
def flaky(aws, make_function, unique) -> str:
    aws("dynamodb").create_table(
        TableName=unique,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )
    name = make_function(FLAKY, Environment={"Variables": {"TABLE": unique}})
    return aws("lambda").get_function(FunctionName=name)["Configuration"]["FunctionArn"]


def test_retry_waits_its_interval_growing_by_the_backoff_rate(aws, unique, flaky):
    definition = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": flaky,
                "End": True,
                "Retry": [{"ErrorEquals": ["RuntimeError"], "IntervalSeconds": 1, "BackoffRate": 2, "MaxAttempts": 3}],
            }
        },
    }
    arn = machine(aws, unique, definition)
    execution = aws("stepfunctions").start_execution(
        stateMachineArn=arn, input=json.dumps({"id": unique, "failures": 2})
    )["executionArn"]
    described = finished(aws, execution)
    assert described["status"] == "SUCCEEDED" and json.loads(described["output"]) == {"calls": 3}
    events = history(aws, execution)
    failed = [e["timestamp"] for e in events if e["type"] == "LambdaFunctionFailed"]
    retried = [e["timestamp"] for e in events if e["type"] == "LambdaFunctionScheduled"][1:]
    gaps = [(again - failure).total_seconds() for failure, again in zip(failed, retried, strict=True)]
    assert len(gaps) == 2
    assert 0.95 <= gaps[0] < 1.5 and 1.95 <= gaps[1] < 2.5, gaps  # 1 s, then 2 s (BackoffRate 2)


def test_a_permanent_error_is_caught_into_the_failure_state_and_visible_in_the_history(aws, unique, flaky):
    definition = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": flaky,
                "Next": "Done",
                "Retry": [{"ErrorEquals": ["RuntimeError"], "IntervalSeconds": 1, "MaxAttempts": 2}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Rejected"}],
            },
            "Done": {"Type": "Succeed"},
            "Rejected": {"Type": "Fail", "Error": "Order.Rejected", "Cause": "the order cannot be processed"},
        },
    }
    arn = machine(aws, unique, definition)
    execution = aws("stepfunctions").start_execution(
        stateMachineArn=arn, input=json.dumps({"id": unique, "permanent": True})
    )["executionArn"]
    described = finished(aws, execution)
    assert (described["status"], described["error"]) == ("FAILED", "Order.Rejected")
    events = history(aws, execution)
    failures = [e for e in events if e["type"] == "LambdaFunctionFailed"]
    assert len(failures) == 1 and failures[0]["lambdaFunctionFailedEventDetails"]["error"] == "ValueError"
    assert [e["stateEnteredEventDetails"]["name"] for e in events if e["type"] == "FailStateEntered"] == ["Rejected"]


def test_executions_log_to_the_state_machines_group_at_its_level(aws, unique):
    logs = aws("logs")
    group = f"/aws/vendedlogs/states/{unique}"
    logs.create_log_group(logGroupName=group)
    group_arn = f"arn:aws:logs:us-east-1:123456789012:log-group:{group}:*"
    definition = {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Yes"}],
                "Default": "No",
            },
            "Yes": {"Type": "Succeed"},
            "No": {"Type": "Fail", "Error": "Not.Ok"},
        },
    }
    arn = machine(
        aws,
        unique,
        definition,
        loggingConfiguration={
            "level": "ERROR",
            "includeExecutionData": True,
            "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": group_arn}}],
        },
    )
    run(aws, arn, {"ok": True})
    run(aws, arn, {"ok": False})
    events = logs.filter_log_events(logGroupName=group)["events"]
    types = [json.loads(e["message"])["type"] for e in events]
    assert "ExecutionFailed" in types and "FailStateEntered" in types
    assert "ExecutionSucceeded" not in types and "ExecutionStarted" not in types  # ERROR level only


def test_logging_needs_a_role_allowed_to_deliver_logs(aws, unique):
    from botocore.exceptions import ClientError

    role = make_role(
        aws("iam"), f"{unique}-nolog", {"Effect": "Allow", "Action": "lambda:*", "Resource": "*"}, trust=STATES_TRUST
    )
    with pytest.raises(ClientError) as refused:
        machine(
            aws,
            unique,
            CHILD,
            role=role,
            loggingConfiguration={
                "level": "ALL",
                "includeExecutionData": False,
                "destinations": [
                    {
                        "cloudWatchLogsLogGroup": {
                            "logGroupArn": f"arn:aws:logs:us-east-1:123456789012:log-group:{unique}:*"
                        }
                    }
                ],
            },
        )
    assert refused.value.response["Error"]["Code"] == "InvalidLoggingConfiguration"


CALLBACK = """
import json, boto3
sfn = boto3.client("stepfunctions")
def handler(event, context):
    if event["approve"]:
        sfn.send_task_success(taskToken=event["token"], output=json.dumps({"approvedBy": "lambda"}))
    else:
        sfn.send_task_failure(taskToken=event["token"], error="Approval.Denied", cause="no budget")
"""


def test_wait_for_task_token_resumes_on_the_callback(aws, unique, make_function):
    function = make_function(CALLBACK)
    definition = {
        "StartAt": "Approve",
        "States": {
            "Approve": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {
                    "FunctionName": function,
                    "Payload": {"token.$": "$$.Task.Token", "approve.$": "$.approve"},
                },
                "TimeoutSeconds": 30,
                "End": True,
            }
        },
    }
    arn = machine(aws, unique, definition)
    approved = run(aws, arn, {"approve": True})
    assert approved["status"] == "SUCCEEDED" and json.loads(approved["output"]) == {"approvedBy": "lambda"}
    denied = run(aws, arn, {"approve": False})
    assert (denied["status"], denied["error"], denied["cause"]) == ("FAILED", "Approval.Denied", "no budget")


def test_a_task_token_never_returned_times_out_at_the_heartbeat(aws, unique, make_function):
    function = make_function("def handler(event, context):\n    return None\n")
    definition = {
        "StartAt": "Wait",
        "States": {
            "Wait": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {"FunctionName": function, "Payload": {"token.$": "$$.Task.Token"}},
                "HeartbeatSeconds": 2,
                "TimeoutSeconds": 30,
                "End": True,
            }
        },
    }
    described = run(aws, machine(aws, unique, definition), {})
    # AWS reports a missed heartbeat as States.Timeout (States.HeartbeatTimeout is for Retry and Catch).
    assert (described["status"], described["error"]) == ("FAILED", "States.Timeout")
    assert (described["stopDate"] - described["startDate"]).total_seconds() < 10, "the heartbeat did not end it"


SLOW = """
import time
def handler(event, context):
    started = time.time()
    time.sleep(0.6)
    return {"item": event["item"], "start": started, "end": time.time()}
"""


def test_map_runs_at_most_max_concurrency_iterations_at_once(aws, unique, make_function):
    function = make_function(SLOW)
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "MaxConcurrency": 2,
                "End": True,
                "ItemSelector": {"item.$": "$$.Map.Item.Value"},
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Work",
                    "States": {
                        "Work": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::lambda:invoke",
                            "Parameters": {"FunctionName": function, "Payload.$": "$"},
                            "OutputPath": "$.Payload",
                            "End": True,
                        }
                    },
                },
            }
        },
    }
    described = run(aws, machine(aws, unique, definition), {"items": list(range(6))})
    assert described["status"] == "SUCCEEDED", described
    results = json.loads(described["output"])
    assert [r["item"] for r in results] == list(range(6))
    moments = sorted([(r["start"], 1) for r in results] + [(r["end"], -1) for r in results])
    running, peak = 0, 0
    for _, change in moments:
        running += change
        peak = max(peak, running)
    assert peak == 2, peak


def test_a_definite_json_path_selects_a_value_and_an_indefinite_one_a_list(aws, unique):
    definition = {
        "StartAt": "Select",
        "States": {
            "Select": {
                "Type": "Pass",
                "End": True,
                "Parameters": {
                    "first.$": "$.lines[0].sku",
                    "second.$": "$.lines[1]",
                    "skus.$": "$.lines[*].sku",
                    "some.$": "$.lines[0:1].sku",
                    "big.$": "$.lines[?(@.quantity > 2)].sku",
                },
            }
        },
    }
    described = run(
        aws, machine(aws, unique, definition), {"lines": [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 5}]}
    )
    assert json.loads(described["output"]) == {
        "first": "A",
        "second": {"sku": "B", "quantity": 5},
        "skus": ["A", "B"],
        "some": ["A"],
        "big": ["B"],
    }


@pytest.mark.parametrize(
    ("principal", "accepted"),
    [
        ("states.amazonaws.com", True),
        ("states.us-east-1.amazonaws.com", True),
        ("states.eu-west-1.amazonaws.com", False),
        ("lambda.amazonaws.com", False),
    ],
)
def test_a_role_is_accepted_when_it_trusts_the_global_or_this_regions_states_principal(
    aws, unique, principal, accepted
):
    role = make_role(aws("iam"), f"{unique}-states", ALLOW_ALL, trust=trust(principal))
    definition = {"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}
    if accepted:
        assert run(aws, machine(aws, unique, definition, role=role), {})["status"] == "SUCCEEDED"
        return
    with pytest.raises(aws("stepfunctions").exceptions.ClientError) as refused:
        machine(aws, unique, definition, role=role)
    assert "Neither the global service principal states.amazonaws.com, nor the regional one" in str(refused.value)


def test_a_task_token_is_answered_only_by_a_role_allowed_on_its_state_machine(aws, unique, local_cloud):
    queue = aws("sqs").create_queue(QueueName=f"{unique}-tokens")["QueueUrl"]
    definition = {
        "StartAt": "Wait",
        "States": {
            "Wait": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": queue, "MessageBody": {"token.$": "$$.Task.Token"}},
                "TimeoutSeconds": 30,
                "End": True,
            }
        },
    }
    arn = machine(aws, unique, definition)
    execution = aws("stepfunctions").start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    message = aws("sqs").receive_message(QueueUrl=queue, WaitTimeSeconds=10)["Messages"][0]
    token = json.loads(message["Body"])["token"]

    def answering_as(allowed_on: str):
        statement = {"Effect": "Allow", "Action": "states:SendTaskSuccess", "Resource": allowed_on}
        role = make_role(aws("iam"), f"{unique}-{len(allowed_on)}", statement)
        return client_as_role(aws("sts"), local_cloud.endpoint, role, "stepfunctions")

    other_machine = arn.rsplit(":", 1)[0] + ":someone-else"
    with pytest.raises(aws("stepfunctions").exceptions.ClientError) as refused:
        answering_as(other_machine).send_task_success(taskToken=token, output="{}")
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
    assert arn in refused.value.response["Error"]["Message"]

    answering_as(arn).send_task_success(taskToken=token, output='{"answered": true}')
    assert json.loads(finished(aws, execution)["output"]) == {"answered": True}


def test_an_execution_outputting_context_times_is_described_with_them_as_iso_text(aws, unique):
    definition = {
        "StartAt": "Stamp",
        "States": {
            "Stamp": {
                "Type": "Pass",
                "Parameters": {"started.$": "$$.Execution.StartTime", "entered.$": "$$.State.EnteredTime"},
                "End": True,
            }
        },
    }
    execution = run(aws, machine(aws, unique, definition), {})
    assert execution["status"] == "SUCCEEDED"
    output = json.loads(execution["output"])
    for stamp in output.values():
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", stamp), output
    history = aws("stepfunctions").get_execution_history(executionArn=execution["executionArn"])["events"]
    assert history[-1]["type"] == "ExecutionSucceeded"


def test_a_legacy_lambda_task_given_null_passes_null(aws, unique, make_function):
    function = make_function("def handler(event, context):\n    return {'got': event}\n")
    arn = aws("lambda").get_function(FunctionName=function)["Configuration"]["FunctionArn"]
    definition = {
        "StartAt": "Call",
        "States": {"Call": {"Type": "Task", "Resource": arn, "InputPath": "$.nothing", "End": True}},
    }
    execution = run(aws, machine(aws, unique, definition), {"nothing": None})
    assert execution["status"] == "SUCCEEDED", execution
    assert json.loads(execution["output"]) == {"got": None}
