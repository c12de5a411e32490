"""Answers Terraform's AWS provider needs from the local cloud (each a fix in one of localcloud's extensions)."""

from __future__ import annotations

import json

import pytest

from conftest import LAMBDA_TRUST, STATES_TRUST, zip_source

pytestmark = pytest.mark.localcloud


def test_redrive_policy_reads_back_as_compact_json(aws, unique):
    sqs = aws("sqs")
    dlq = sqs.create_queue(QueueName=f"{unique}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3}, separators=(",", ":"))
    queue = sqs.create_queue(QueueName=unique, Attributes={"RedrivePolicy": policy})["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert attributes["RedrivePolicy"] == policy


def test_redrive_allow_policy_is_returned(aws, unique):
    sqs = aws("sqs")
    queue = sqs.create_queue(QueueName=unique)["QueueUrl"]
    allow = json.dumps({"redrivePermission": "allowAll"}, separators=(",", ":"))
    sqs.set_queue_attributes(QueueUrl=queue, Attributes={"RedriveAllowPolicy": allow})
    by_name = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["RedriveAllowPolicy"])["Attributes"]
    assert by_name["RedriveAllowPolicy"] == allow
    assert sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]["RedriveAllowPolicy"] == allow


def test_setting_other_attributes_keeps_the_queue_policy(aws, unique):
    sqs = aws("sqs")
    queue = sqs.create_queue(QueueName=unique)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": arn,
            }
        ],
    }
    sqs.set_queue_attributes(QueueUrl=queue, Attributes={"Policy": json.dumps(policy)})
    sqs.set_queue_attributes(QueueUrl=queue, Attributes={"VisibilityTimeout": "45"})
    kept = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["Policy"])["Attributes"]
    assert json.loads(kept["Policy"])["Statement"] == policy["Statement"]


def test_function_dead_letter_and_logging_config_read_back(aws, make_function, unique):
    sqs = aws("sqs")
    dlq = sqs.create_queue(QueueName=f"{unique}-fn-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    name = make_function("def handler(e, c):\n    return 1\n", DeadLetterConfig={"TargetArn": dlq_arn})
    config = aws("lambda").get_function_configuration(FunctionName=name)
    assert config["DeadLetterConfig"] == {"TargetArn": dlq_arn}
    assert config["LoggingConfig"] == {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"}
    updated = aws("lambda").update_function_configuration(
        FunctionName=name, TracingConfig={"Mode": "Active"}, DeadLetterConfig={"TargetArn": ""}
    )
    assert updated["TracingConfig"] == {"Mode": "Active"}
    assert "DeadLetterConfig" not in aws("lambda").get_function_configuration(FunctionName=name)


def test_state_machine_definition_validation_answers_ok_or_fail(aws):
    sfn = aws("stepfunctions")
    good = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})
    assert sfn.validate_state_machine_definition(definition=good)["result"] == "OK"
    bad = sfn.validate_state_machine_definition(definition='{"StartAt": "Nowhere"')
    assert bad["result"] == "FAIL" and bad["diagnostics"]


def test_state_machine_versions_are_listed(aws, unique):
    iam = aws("iam")
    role = iam.create_role(RoleName=f"{unique}-sfn", AssumeRolePolicyDocument=STATES_TRUST)["Role"]["Arn"]
    sfn = aws("stepfunctions")
    definition = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})
    machine = sfn.create_state_machine(name=unique, definition=definition, roleArn=role, publish=True)
    versions = sfn.list_state_machine_versions(stateMachineArn=machine["stateMachineArn"])["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in versions] == [machine["stateMachineVersionArn"]]


def test_aws_managed_policies_exist_for_role_attachments(aws):
    policy = aws("iam").get_policy(PolicyArn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    assert policy["Policy"]["PolicyName"] == "AWSLambdaBasicExecutionRole"


def test_provisioned_concurrency_config_round_trips_on_an_alias(aws, make_function):
    lam = aws("lambda")
    name = make_function("def handler(e, c):\n    return 1\n")
    version = lam.publish_version(FunctionName=name)["Version"]
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion=version)
    put = lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier="live", ProvisionedConcurrentExecutions=2)
    assert (put["RequestedProvisionedConcurrentExecutions"], put["Status"]) == (2, "READY")
    got = lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier="live")
    assert got["AllocatedProvisionedConcurrentExecutions"] == 2
    lam.delete_provisioned_concurrency_config(FunctionName=name, Qualifier="live")
    with pytest.raises(lam.exceptions.ProvisionedConcurrencyConfigNotFoundException):
        lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier="live")


def test_authorizer_identity_validation_expression_is_stored(aws, unique):
    apigw = aws("apigateway")
    api = apigw.create_rest_api(name=unique)["id"]
    created = apigw.create_authorizer(
        restApiId=api,
        name="token",
        type="TOKEN",
        identitySource="method.request.header.Authorization",
        authorizerUri="arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations",
        identityValidationExpression="^Bearer .+$",
    )
    got = apigw.get_authorizer(restApiId=api, authorizerId=created["id"])
    assert got["identityValidationExpression"] == "^Bearer .+$"


def test_approximate_counts_split_visible_in_flight_and_delayed_messages(aws, unique):
    sqs = aws("sqs")
    queue = sqs.create_queue(QueueName=unique)["QueueUrl"]
    for i in range(5):
        sqs.send_message(QueueUrl=queue, MessageBody=f"m{i}")
    sqs.send_message(QueueUrl=queue, MessageBody="later", DelaySeconds=60)
    sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=2, VisibilityTimeout=60)
    counts = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert (
        counts["ApproximateNumberOfMessages"],
        counts["ApproximateNumberOfMessagesNotVisible"],
        counts["ApproximateNumberOfMessagesDelayed"],
    ) == ("3", "2", "1")


def test_an_sdk_retry_of_create_function_gets_the_first_answer_and_another_create_still_409(aws, unique):
    """The SDK retries a call whose answer it lost with the same invocation id: that is not a second create."""
    lam = aws("lambda")
    role = aws("iam").create_role(RoleName=f"{unique}-retry", AssumeRolePolicyDocument=LAMBDA_TRUST)["Role"]["Arn"]
    invocation = {"id": "11111111-2222-4333-8444-555555555555"}

    def same_invocation(request, **_):
        request.headers["amz-sdk-invocation-id"] = invocation["id"]

    lam.meta.events.register("before-send.lambda.CreateFunction", same_invocation)
    create = {
        "FunctionName": f"{unique}-fn",
        "Runtime": "python3.11",
        "Role": role,
        "Handler": "fn.handler",
        "Code": {"ZipFile": zip_source({"fn.py": "def handler(e, c):\n    return 1\n"})},
    }
    first = lam.create_function(**create)
    retried = lam.create_function(**create)
    assert retried["FunctionArn"] == first["FunctionArn"] and retried["CodeSha256"] == first["CodeSha256"]
    invocation["id"] = "66666666-7777-4888-9999-000000000000"
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.create_function(**create)


def test_executions_started_without_a_name_get_distinct_uuid_names(aws, unique):
    iam = aws("iam")
    role = iam.create_role(RoleName=f"{unique}-unnamed", AssumeRolePolicyDocument=STATES_TRUST)["Role"]["Arn"]
    sfn = aws("stepfunctions")
    machine = sfn.create_state_machine(
        name=unique, roleArn=role, definition=json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})
    )["stateMachineArn"]
    first, second = (sfn.start_execution(stateMachineArn=machine, input="{}")["executionArn"] for _ in range(2))
    assert first != second
    assert all(len(arn.rsplit(":", 1)[1]) == 36 for arn in (first, second))
