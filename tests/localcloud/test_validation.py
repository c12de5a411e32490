"""What AWS refuses at apply time, the local cloud refuses with AWS's error."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.localcloud


def queue_arn(aws, name: str, visibility: int) -> str:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": str(visibility)})["QueueUrl"]
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def refusal(call) -> dict:
    with pytest.raises(ClientError) as refused:
        call()
    return refused.value.response["Error"]


def test_a_queue_whose_visibility_timeout_is_below_the_function_timeout_is_refused(aws, make_function, unique):
    function = make_function("def handler(e, c):\n    return 1\n", Timeout=60)
    short = queue_arn(aws, f"{unique}-short", visibility=30)
    error = refusal(lambda: aws("lambda").create_event_source_mapping(EventSourceArn=short, FunctionName=function))
    assert error == {"Code": "InvalidParameterValueException", "Message": error["Message"]}
    assert error["Message"] == "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds"
    enough = queue_arn(aws, f"{unique}-enough", visibility=60)
    aws("lambda").create_event_source_mapping(EventSourceArn=enough, FunctionName=function)


def test_a_batch_over_ten_needs_a_batching_window(aws, make_function, unique):
    function = make_function("def handler(e, c):\n    return 1\n", Timeout=10)
    arn = queue_arn(aws, unique, visibility=60)
    error = refusal(lambda: aws("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName=function, BatchSize=11))
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValueException",
        "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
    aws("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName=function, BatchSize=11,
                                              MaximumBatchingWindowInSeconds=1)


def test_names_over_64_characters_are_refused_as_aws_refuses_them(aws, unique):
    name = f"{unique}-" + "x" * (65 - len(unique) - 1)
    assert len(name) == 65
    error = refusal(lambda: aws("iam").create_role(RoleName=name, AssumeRolePolicyDocument="{}"))
    assert (error["Code"], error["Message"]) == (
        "ValidationError", f"1 validation error detected: Value '{name}' at 'roleName' failed to satisfy "
                           "constraint: Member must have length less than or equal to 64")
    role = aws("iam").create_role(RoleName=name[:64], AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    from conftest import zip_source

    error = refusal(lambda: aws("lambda").create_function(
        FunctionName=name, Runtime="python3.11", Role=role, Handler="fn.handler",
        Code={"ZipFile": zip_source({"fn.py": "def handler(e, c):\n    return 1\n"})}))
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValueException", f"1 validation error detected: Value '{name}' at 'functionName' failed "
                                          "to satisfy constraint: Member must have length less than or equal to 64")
