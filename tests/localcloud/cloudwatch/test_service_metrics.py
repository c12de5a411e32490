"""The services publish the CloudWatch metrics a production team alarms on: an API's 5xx, a workflow's
failed executions, a queue's oldest message, a stream consumer's iterator age."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from conftest import STATES_TRUST, make_role
from harness import metric_datapoints

pytestmark = pytest.mark.localcloud


def statistic(aws, namespace: str, metric: str, dimensions: dict[str, str], stat: str = "Sum") -> float | None:
    """The metric's `stat` over the last ten minutes, or None when it has no datapoint."""
    values = metric_datapoints(aws("cloudwatch"), namespace, metric, dimensions, stat)
    if not values:
        return None
    return sum(values) if stat == "Sum" else max(values)


def test_an_http_api_answering_500_counts_a_5xx_per_api_and_stage(aws, local_cloud, make_function, unique):
    function = make_function("def handler(event, context):\n    raise RuntimeError('boom')\n")
    function_arn = aws("lambda").get_function(FunctionName=function)["Configuration"]["FunctionArn"]
    v2 = aws("apigatewayv2")
    api = v2.create_api(Name=unique, ProtocolType="HTTP")["ApiId"]
    integration = v2.create_integration(
        ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=function_arn, PayloadFormatVersion="2.0"
    )["IntegrationId"]
    v2.create_route(ApiId=api, RouteKey="GET /boom", Target=f"integrations/{integration}")
    v2.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    aws("lambda").add_permission(
        FunctionName=function,
        StatementId="api",
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
        SourceArn=f"arn:aws:execute-api:us-east-1:123456789012:{api}/*/*",
    )
    with pytest.raises(urllib.error.HTTPError) as answered:
        urllib.request.urlopen(f"{local_cloud.endpoint}/restapis/{api}/$default/_user_request_/boom", timeout=10)
    assert answered.value.code == 500
    assert statistic(aws, "AWS/ApiGateway", "5xx", {"ApiId": api}) == 1
    assert statistic(aws, "AWS/ApiGateway", "5xx", {"ApiId": api, "Stage": "$default"}) == 1
    assert statistic(aws, "AWS/ApiGateway", "4xx", {"ApiId": api}) == 0
    assert statistic(aws, "AWS/ApiGateway", "Count", {"ApiId": api}) == 1


def test_a_failed_execution_counts_as_started_and_failed_for_its_state_machine(aws, unique):
    role = make_role(aws("iam"), f"{unique}-states", trust=STATES_TRUST)
    sfn = aws("stepfunctions")
    machine = sfn.create_state_machine(
        name=unique,
        roleArn=role,
        definition=json.dumps({"StartAt": "Stop", "States": {"Stop": {"Type": "Fail", "Error": "E", "Cause": "c"}}}),
    )["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine)["executionArn"]
    deadline = time.monotonic() + 10
    while sfn.describe_execution(executionArn=execution)["status"] == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.1)
    dimensions = {"StateMachineArn": machine}
    assert statistic(aws, "AWS/States", "ExecutionsStarted", dimensions) == 1
    assert statistic(aws, "AWS/States", "ExecutionsFailed", dimensions) == 1
    assert statistic(aws, "AWS/States", "ExecutionsSucceeded", dimensions) is None


def test_a_queues_sample_shows_its_backlog_and_the_age_of_its_oldest_message(aws, local_cloud, unique):
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=unique)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="waiting")
    time.sleep(2.1)
    request = urllib.request.Request(
        f"{local_cloud.endpoint}/_localcloud/sqs/sample-metrics", data=b"{}", method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert json.loads(answer.read())["sampled"] >= 1
    dimensions = {"QueueName": unique}
    assert statistic(aws, "AWS/SQS", "ApproximateNumberOfMessagesVisible", dimensions, "Maximum") == 1
    assert statistic(aws, "AWS/SQS", "ApproximateAgeOfOldestMessage", dimensions, "Maximum") >= 2


def test_a_stream_consumer_reports_the_age_of_the_records_it_is_given(aws, make_function, unique):
    dynamodb = aws("dynamodb")
    stream = dynamodb.create_table(
        TableName=unique,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )["TableDescription"]["LatestStreamArn"]
    function = make_function("def handler(event, context):\n    return None\n")
    aws("lambda").create_event_source_mapping(
        EventSourceArn=stream, FunctionName=function, StartingPosition="TRIM_HORIZON"
    )
    dynamodb.put_item(TableName=unique, Item={"id": {"S": "a"}})
    deadline = time.monotonic() + 15
    age = None
    while age is None and time.monotonic() < deadline:
        time.sleep(0.5)
        age = statistic(aws, "AWS/Lambda", "IteratorAge", {"FunctionName": function}, "Maximum")
    assert age is not None and 0 <= age < 15_000
