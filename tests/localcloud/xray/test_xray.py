"""X-Ray in the local cloud: the daemon, Lambda's own segments, traces, filters, the service graph, groups
and sampling rules, driven through the AWS APIs and a function running the real aws-xray-sdk."""

from __future__ import annotations

import json
import os
import time
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import make_role, make_table, zip_source
from harness import allow_eventbridge_to_send
from tooling.bench_kit import zip_with_xray_sdk

pytestmark = pytest.mark.localcloud

TRACED = """
import os, boto3
from aws_xray_sdk.core import patch, xray_recorder
patch(["boto3"])
dynamodb = boto3.client("dynamodb")

def handler(event, context):
    with xray_recorder.in_subsegment("store order") as sub:
        sub.put_annotation("order", event["order"])
        dynamodb.put_item(TableName=os.environ["TABLE"], Item={"id": {"S": event["order"]}})
    if event.get("fail"):
        raise ValueError("the order was refused")
    return {"trace": os.environ.get("_X_AMZN_TRACE_ID")}
"""

ECHO_HEADER = """
import os
def handler(event, context):
    return {"trace": os.environ.get("_X_AMZN_TRACE_ID"), "daemon": os.environ.get("AWS_XRAY_DAEMON_ADDRESS")}
"""

TRACE_WRITE = {"Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "Resource": "*"}


@pytest.fixture(scope="module")
def sdk_layer(local_cloud) -> str:
    from harness import client

    answer = client(local_cloud, "lambda").publish_layer_version(
        LayerName=f"xray-sdk-{uuid.uuid4().hex[:6]}", Content={"ZipFile": zip_with_xray_sdk(folder="python/")}
    )
    return str(answer["LayerVersionArn"])


def new_header(sampled: bool = True) -> tuple[str, str]:
    root = f"1-{int(time.time()):08x}-{os.urandom(12).hex()}"
    return root, f"Root={root};Parent={os.urandom(8).hex()};Sampled={int(sampled)}"


def invoke_traced(aws: Any, name: str, event: dict, header: str) -> dict:
    client = aws("lambda")

    def add_header(request: Any, **_: Any) -> None:
        request.headers["X-Amzn-Trace-Id"] = header

    client.meta.events.register("before-sign.lambda.Invoke", add_header)
    answer = client.invoke(FunctionName=name, Payload=json.dumps(event))
    answer["Body"] = json.loads(answer["Payload"].read())
    return answer


def trace_segments(aws: Any, root: str, expect: int, timeout: float = 15.0) -> list[dict]:
    """The trace's segment documents once at least `expect` arrived (the daemon's datagrams are async)."""
    xray = aws("xray")
    deadline = time.monotonic() + timeout
    while True:
        traces = xray.batch_get_traces(TraceIds=[root])["Traces"]
        segments = [json.loads(s["Document"]) for s in traces[0]["Segments"]] if traces else []
        if len(segments) >= expect or time.monotonic() > deadline:
            return segments
        time.sleep(0.2)


def by_origin(segments: list[dict], origin: str) -> dict:
    found = [s for s in segments if s.get("origin") == origin]
    assert found, f"no {origin} segment in {[s.get('origin') for s in segments]}"
    return found[0]


def subsegment(entity: dict, name: str) -> dict | None:
    """The first subsegment named so (without case: the Python SDK names AWS calls by endpoint prefix)."""
    for sub in entity.get("subsegments") or []:
        if sub["name"].lower() == name.lower():
            return sub
        nested = subsegment(sub, name)
        if nested is not None:
            return nested
    return None


@pytest.fixture
def traced_function(aws, unique, sdk_layer) -> tuple[str, str]:
    table = make_table(aws, f"{unique}-orders")
    role = make_role(
        aws("iam"),
        f"{unique}-traced",
        TRACE_WRITE,
        {"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": "*"},
    )
    name = f"{unique}-traced"
    aws("lambda").create_function(
        FunctionName=name,
        Runtime="python3.11",
        Role=role,
        Handler="fn.handler",
        Code={"ZipFile": zip_source({"fn.py": TRACED})},
        Layers=[sdk_layer],
        TracingConfig={"Mode": "Active"},
        Environment={"Variables": {"TABLE": table}},
        Timeout=30,
    )
    return name, table


def test_one_invocation_is_one_trace_with_lambdas_segments_and_the_sdks_subsegments(aws, traced_function):
    name, table = traced_function
    root, header = new_header()
    answer = invoke_traced(aws, name, {"order": "o-1"}, header)
    assert answer["Body"]["trace"].startswith(f"Root={root};Parent=")
    assert answer["Body"]["trace"].endswith(";Sampled=1")

    segments = trace_segments(aws, root, expect=2)
    service = by_origin(segments, "AWS::Lambda")
    function = by_origin(segments, "AWS::Lambda::Function")
    assert service["parent_id"] == header.split("Parent=")[1].split(";")[0]
    assert service["http"]["response"]["status"] == 200
    assert function["parent_id"] == service["id"]
    assert [s["name"] for s in function["subsegments"]] == ["Initialization", "Invocation", "Overhead"]
    # The handler's own subsegments, sent by the SDK over the daemon, nest under Invocation.
    deadline = time.monotonic() + 10
    while subsegment(function, "DynamoDB") is None and time.monotonic() < deadline:
        function = by_origin(trace_segments(aws, root, expect=2), "AWS::Lambda::Function")
    work = subsegment(function, "store order")
    assert work is not None and work["annotations"] == {"order": "o-1"}
    call = subsegment(function, "DynamoDB")
    assert call["namespace"] == "aws" and call["aws"]["table_name"] == table
    assert call["aws"]["operation"] == "PutItem"


def test_the_service_graph_draws_client_lambda_function_and_the_table(aws, traced_function):
    name, table = traced_function
    root, header = new_header()
    started = time.time() - 1
    invoke_traced(aws, name, {"order": "o-2"}, header)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        function = by_origin(trace_segments(aws, root, expect=2), "AWS::Lambda::Function")
        if subsegment(function, "DynamoDB") is not None:
            break
        time.sleep(0.2)
    services = aws("xray").get_trace_graph(TraceIds=[root])["Services"]
    nodes = {(s.get("Name"), s["Type"]): s for s in services}
    assert set(nodes) == {
        (None, "client"),
        (name, "AWS::Lambda"),
        (name, "AWS::Lambda::Function"),
        (table, "AWS::DynamoDB::Table"),
    }
    refs = {key: node["ReferenceId"] for key, node in nodes.items()}

    def calls(key: tuple) -> set[int]:
        return {edge["ReferenceId"] for edge in nodes[key]["Edges"]}

    assert calls((None, "client")) == {refs[(name, "AWS::Lambda")]}
    assert calls((name, "AWS::Lambda")) == {refs[(name, "AWS::Lambda::Function")]}
    assert calls((name, "AWS::Lambda::Function")) == {refs[(table, "AWS::DynamoDB::Table")]}
    graph = aws("xray").get_service_graph(StartTime=started, EndTime=time.time() + 1)["Services"]
    assert (table, "AWS::DynamoDB::Table") in {(s.get("Name"), s["Type"]) for s in graph}


def test_a_failing_function_is_a_fault_on_its_function_segment_and_found_by_a_filter(aws, traced_function):
    name, _ = traced_function
    root, header = new_header()
    started = time.time() - 1
    answer = invoke_traced(aws, name, {"order": "o-3", "fail": True}, header)
    assert answer["FunctionError"] == "Unhandled"
    segments = trace_segments(aws, root, expect=2)
    function = by_origin(segments, "AWS::Lambda::Function")
    assert function["fault"] is True
    assert function["cause"]["exceptions"][0] == {
        **function["cause"]["exceptions"][0],
        "type": "ValueError",
        "message": "the order was refused",
    }
    assert by_origin(segments, "AWS::Lambda")["http"]["response"]["status"] == 200  # Lambda itself answered

    def found(expression: str) -> set[str]:
        summaries = aws("xray").get_trace_summaries(
            StartTime=started, EndTime=time.time() + 1, FilterExpression=expression
        )["TraceSummaries"]
        return {s["Id"] for s in summaries}

    assert root in found(f'service(id(name: "{name}", type: "AWS::Lambda::Function")) {{ fault }}')
    assert root not in found(f'service(id(name: "{name}", type: "AWS::Lambda::Function")) {{ !fault }}')
    assert root in found('annotation.order = "o-3"')
    assert root not in found('annotation.order = "o-1"')


def test_a_role_that_may_not_upload_traces_is_refused_active_tracing(aws, unique):
    role = make_role(aws("iam"), f"{unique}-untraced", {"Effect": "Allow", "Action": "logs:*", "Resource": "*"})
    with pytest.raises(ClientError) as refused:
        aws("lambda").create_function(
            FunctionName=f"{unique}-untraced",
            Runtime="python3.11",
            Role=role,
            Handler="fn.handler",
            Code={"ZipFile": zip_source({"fn.py": ECHO_HEADER})},
            TracingConfig={"Mode": "Active"},
        )
    assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert refused.value.response["Error"]["Message"] == (
        "The provided execution role does not have permissions to call PutTraceSegments on XRAY"
    )


def test_an_unsampled_header_is_passed_on_and_nothing_is_recorded(aws, make_function):
    name = make_function(ECHO_HEADER, TracingConfig={"Mode": "Active"})
    root, header = new_header(sampled=False)
    body = invoke_traced(aws, name, {}, header)["Body"]
    assert body["trace"].startswith(f"Root={root};") and body["trace"].endswith(";Sampled=0")
    host, _, port = body["daemon"].partition(":")
    assert host == "127.0.0.1" and port.isdigit()
    time.sleep(0.5)
    assert aws("xray").batch_get_traces(TraceIds=[root])["UnprocessedTraceIds"] == [root]


def test_a_throttled_invocation_is_a_throttle_on_lambdas_segment(aws, make_function):
    name = make_function(ECHO_HEADER, TracingConfig={"Mode": "Active"})
    aws("lambda").put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    root, header = new_header()
    with pytest.raises(ClientError) as throttled:
        invoke_traced(aws, name, {}, header)
    assert throttled.value.response["Error"]["Code"] == "TooManyRequestsException"
    segments = trace_segments(aws, root, expect=1)  # one per attempt: the SDK retries a throttle
    assert {(s["origin"], s["throttle"], s["http"]["response"]["status"]) for s in segments} == {
        ("AWS::Lambda", True, 429)
    }
    summary = aws("xray").get_trace_summaries(StartTime=time.time() - 60, EndTime=time.time() + 1)
    [mine] = [s for s in summary["TraceSummaries"] if s["Id"] == root]
    assert mine["HasThrottle"] is True and mine["HasFault"] is False


def test_sqs_keeps_the_senders_trace_header_with_the_message(aws, unique):
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=f"{unique}-traced")["QueueUrl"]
    _, header = new_header()

    def add_header(request: Any, **_: Any) -> None:
        request.headers["X-Amzn-Trace-Id"] = header

    sqs.meta.events.register("before-sign.sqs.SendMessage", add_header)
    sqs.send_message(QueueUrl=url, MessageBody="traced")
    [message] = sqs.receive_message(QueueUrl=url, MessageSystemAttributeNames=["AWSTraceHeader"])["Messages"]
    assert message["Attributes"]["AWSTraceHeader"] == header


def test_put_trace_segments_refuses_what_xray_refuses_and_nests_subsegments_sent_apart(aws):
    xray = aws("xray")
    root, _ = new_header()
    now = time.time()
    segment = {"id": "a" * 16, "trace_id": root, "name": "checkout", "start_time": now, "end_time": now + 0.2}
    child = {
        "id": "b" * 16,
        "trace_id": root,
        "parent_id": "a" * 16,
        "type": "subsegment",
        "name": "payments.example.com",
        "namespace": "remote",
        "start_time": now + 0.05,
        "end_time": now + 0.15,
        "http": {
            "request": {"url": "https://payments.example.com/charge", "method": "POST"},
            "response": {"status": 503},
        },
    }
    bad_trace = {**segment, "id": "c" * 16, "trace_id": "1-xyz"}
    unfinished = {key: value for key, value in segment.items() if key != "end_time"} | {"id": "d" * 16}
    answer = xray.put_trace_segments(
        TraceSegmentDocuments=[json.dumps(d) for d in (segment, child, bad_trace, unfinished)] + ["{not json"]
    )
    refused = {(u.get("Id"), u["ErrorCode"]) for u in answer["UnprocessedTraceSegments"]}
    assert refused == {("c" * 16, "InvalidTraceId"), ("d" * 16, "MissingEndTime"), (None, "InvalidJSON")}
    [document] = [json.loads(s["Document"]) for s in xray.batch_get_traces(TraceIds=[root])["Traces"][0]["Segments"]]
    assert [s["id"] for s in document["subsegments"]] == ["b" * 16]
    services = {(s.get("Name"), s["Type"]): s for s in xray.get_trace_graph(TraceIds=[root])["Services"]}
    remote = services[("payments.example.com", "remote")]
    assert remote["SummaryStatistics"]["FaultStatistics"]["TotalCount"] == 1


def test_filter_expressions_xray_cannot_parse_are_refused(aws):
    xray = aws("xray")
    with pytest.raises(ClientError) as invalid:
        xray.get_trace_summaries(StartTime=time.time() - 60, EndTime=time.time(), FilterExpression="responsetime >")
    assert invalid.value.response["Error"]["Code"] == "InvalidRequestException"
    with pytest.raises(ClientError) as later:
        xray.get_trace_summaries(
            StartTime=time.time() - 60, EndTime=time.time(), FilterExpression='edge("a", "b") { fault }'
        )
    assert later.value.response["Error"]["Code"] == "NotImplemented"
    with pytest.raises(ClientError) as too_long:
        xray.get_trace_summaries(StartTime=time.time() - 90_000, EndTime=time.time())
    assert too_long.value.response["Error"]["Code"] == "InvalidRequestException"


def test_groups_and_sampling_rules_are_kept_and_validated(aws, unique):
    xray = aws("xray")
    group = xray.create_group(GroupName=unique, FilterExpression="fault", Tags=[{"Key": "team", "Value": "a"}])["Group"]
    assert group["GroupARN"].startswith(f"arn:aws:xray:us-east-1:123456789012:group/{unique}/")
    assert xray.get_group(GroupARN=group["GroupARN"])["Group"]["FilterExpression"] == "fault"
    assert xray.list_tags_for_resource(ResourceARN=group["GroupARN"])["Tags"] == [{"Key": "team", "Value": "a"}]
    with pytest.raises(ClientError):
        xray.create_group(GroupName=f"{unique}-bad", FilterExpression="nonsense >")
    xray.delete_group(GroupARN=group["GroupARN"])

    rule = {
        "RuleName": unique,
        "ResourceARN": "*",
        "Priority": 100,
        "FixedRate": 1.0,
        "ReservoirSize": 5,
        "ServiceName": "orders/*",
        "ServiceType": "AWS::ApiGateway::Stage",
        "Host": "*",
        "HTTPMethod": "POST",
        "URLPath": "/orders",
        "Version": 1,
    }
    record = xray.create_sampling_rule(SamplingRule=rule)["SamplingRuleRecord"]
    assert record["SamplingRule"]["RuleARN"] == f"arn:aws:xray:us-east-1:123456789012:sampling-rule/{unique}"
    names = {r["SamplingRule"]["RuleName"] for r in xray.get_sampling_rules()["SamplingRuleRecords"]}
    assert {"Default", unique} <= names
    with pytest.raises(ClientError):
        xray.create_sampling_rule(SamplingRule={**rule, "RuleName": f"{unique}-x", "FixedRate": 2})
    with pytest.raises(ClientError):
        xray.delete_sampling_rule(RuleName="Default")
    updated = xray.update_sampling_rule(SamplingRuleUpdate={"RuleName": unique, "FixedRate": 0.5})
    assert updated["SamplingRuleRecord"]["SamplingRule"]["FixedRate"] == 0.5
    xray.delete_sampling_rule(RuleName=unique)


def _traced_api(aws, unique: str, function_name: str) -> str:
    """A REST API whose POST and GET /orders proxy to the function, on a stage `live` with tracing on."""
    apigw = aws("apigateway")
    api = apigw.create_rest_api(name=unique)["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    orders = apigw.create_resource(restApiId=api, parentId=root, pathPart="orders")["id"]
    arn = aws("lambda").get_function(FunctionName=function_name)["Configuration"]["FunctionArn"]
    for method in ("POST", "GET"):
        apigw.put_method(restApiId=api, resourceId=orders, httpMethod=method, authorizationType="NONE")
        apigw.put_integration(
            restApiId=api,
            resourceId=orders,
            httpMethod=method,
            type="AWS_PROXY",
            integrationHttpMethod="POST",
            uri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations",
        )
    aws("lambda").add_permission(
        FunctionName=function_name,
        StatementId="api",
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
        SourceArn=f"arn:aws:execute-api:us-east-1:123456789012:{api}/*/*/orders",
    )
    apigw.create_deployment(restApiId=api, stageName="live")
    apigw.update_stage(
        restApiId=api, stageName="live", patchOperations=[{"op": "replace", "path": "/tracingEnabled", "value": "true"}]
    )
    return api


PROXY_TRACED = TRACED.replace(
    'return {"trace": os.environ.get("_X_AMZN_TRACE_ID")}',
    'return {"statusCode": 200, "body": os.environ.get("_X_AMZN_TRACE_ID")}',
).replace('event["order"]', '(event.get("queryStringParameters") or {}).get("order", "none")')


def test_a_request_through_a_traced_stage_is_one_trace_and_sampling_rules_decide(aws, unique, sdk_layer, local_cloud):
    from harness import http
    from localcloud.apigateway.urls import local_url

    table = make_table(aws, f"{unique}-orders")
    role = make_role(
        aws("iam"), f"{unique}-api-fn", TRACE_WRITE, {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}
    )
    name = f"{unique}-api-fn"
    aws("lambda").create_function(
        FunctionName=name,
        Runtime="python3.11",
        Role=role,
        Handler="fn.handler",
        Code={"ZipFile": zip_source({"fn.py": PROXY_TRACED})},
        Layers=[sdk_layer],
        TracingConfig={"Mode": "Active"},
        Environment={"Variables": {"TABLE": table}},
        Timeout=30,
    )
    api = _traced_api(aws, unique, name)
    xray = aws("xray")
    common = {"ResourceARN": "*", "ServiceName": f"{unique}/live", "ServiceType": "*", "Host": "*", "Version": 1}
    xray.create_sampling_rule(
        SamplingRule={
            **common,
            "RuleName": f"{unique}-post",
            "Priority": 1,
            "FixedRate": 1.0,
            "ReservoirSize": 0,
            "HTTPMethod": "POST",
            "URLPath": "/orders",
        }  # fmt: skip
    )
    xray.create_sampling_rule(
        SamplingRule={
            **common,
            "RuleName": f"{unique}-get",
            "Priority": 2,
            "FixedRate": 0.0,
            "ReservoirSize": 0,
            "HTTPMethod": "GET",
            "URLPath": "*",
        }  # fmt: skip
    )
    started = time.time() - 1
    posted = http("POST", local_url(local_cloud.endpoint, api, "live", "orders?order=o-9"), "{}")
    assert posted.status == 200
    root = posted.body.decode().split(";")[0].removeprefix("Root=")
    assert posted.body.decode().endswith("Sampled=1")
    got = http("GET", local_url(local_cloud.endpoint, api, "live", "orders?order=o-10"))
    assert got.status == 200 and got.body.decode().endswith("Sampled=0")

    segments = trace_segments(aws, root, expect=3)
    stage = by_origin(segments, "AWS::ApiGateway::Stage")
    assert stage["name"] == f"{unique}/live" and stage["http"]["response"]["status"] == 200
    assert stage["aws"]["xray"]["sampling_rule_name"] == f"{unique}-post"
    [integration] = stage["subsegments"]
    assert integration["name"] == "Lambda" and integration["namespace"] == "aws"
    assert by_origin(segments, "AWS::Lambda")["parent_id"] == integration["id"]

    summaries = xray.get_trace_summaries(
        StartTime=started, EndTime=time.time() + 1, FilterExpression=f'service("{unique}/live")'
    )["TraceSummaries"]
    assert [s["Id"] for s in summaries] == [root], "the GET was not sampled, so only the POST's trace is kept"
    assert summaries[0]["EntryPoint"]["Type"] == "AWS::ApiGateway::Stage"
    assert summaries[0]["Http"]["HttpStatus"] == 200
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        nodes = {(s.get("Name"), s["Type"]) for s in xray.get_trace_graph(TraceIds=[root])["Services"]}
        if (table, "AWS::DynamoDB::Table") in nodes:
            break
        time.sleep(0.2)
    assert nodes == {
        (None, "client"),
        (f"{unique}/live", "AWS::ApiGateway::Stage"),
        (name, "AWS::Lambda"),
        (name, "AWS::Lambda::Function"),
        (table, "AWS::DynamoDB::Table"),
    }


def test_an_active_topic_records_its_segment_and_its_subscribers_continue_the_trace(aws, unique, make_function):
    sns, sqs = aws("sns"), aws("sqs")
    topic = sns.create_topic(Name=f"{unique}-events", Attributes={"TracingConfig": "Active"})["TopicArn"]
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["TracingConfig"] == "Active"
    url = sqs.create_queue(QueueName=f"{unique}-subscriber")["QueueUrl"]
    queue = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    allow_sns = {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
                 "Resource": queue, "Condition": {"ArnEquals": {"aws:SourceArn": topic}}}  # fmt: skip
    sqs.set_queue_attributes(
        QueueUrl=url, Attributes={"Policy": json.dumps({"Version": "2012-10-17", "Statement": [allow_sns]})}
    )
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue)
    function = make_function(ECHO_HEADER)  # PassThrough: traced because SNS passes a sampled header
    function_arn = aws("lambda").get_function(FunctionName=function)["Configuration"]["FunctionArn"]
    aws("lambda").add_permission(FunctionName=function, StatementId="sns", Action="lambda:InvokeFunction",
                                 Principal="sns.amazonaws.com", SourceArn=topic)  # fmt: skip
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=function_arn)
    published = []

    def add_header(request: Any, **_: Any) -> None:
        request.headers["X-Amzn-Trace-Id"] = published[-1]

    sns.meta.events.register("before-sign.sns.Publish", add_header)

    # Without X-Ray's resource policy admitting SNS, the topic records nothing but passes the header on.
    unadmitted, published_header = new_header()
    published.append(published_header)
    sns.publish(TopicArn=topic, Message="order placed")
    segments = trace_segments(aws, unadmitted, expect=2)
    assert "AWS::SNS::Topic" not in {s.get("origin") for s in segments}
    assert by_origin(segments, "AWS::Lambda")["parent_id"] == published_header.split("Parent=")[1].split(";")[0]
    sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5)  # the first message, left in flight

    admit_sns = {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                 "Action": ["xray:PutTraceSegments", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
                 "Resource": "*", "Condition": {"ArnLike": {"aws:SourceArn": topic}}}  # fmt: skip
    aws("xray").put_resource_policy(
        PolicyName=unique, PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [admit_sns]})
    )
    root, header = new_header()
    published.append(header)
    sns.publish(TopicArn=topic, Message="order placed")
    segments = trace_segments(aws, root, expect=3)
    topic_segment = by_origin(segments, "AWS::SNS::Topic")
    assert topic_segment["parent_id"] == header.split("Parent=")[1].split(";")[0]
    deliveries = {sub["name"]: sub for sub in topic_segment["subsegments"]}
    assert set(deliveries) == {"SQS", "Lambda"}
    assert by_origin(segments, "AWS::Lambda")["parent_id"] == deliveries["Lambda"]["id"]
    [message] = sqs.receive_message(QueueUrl=url, MessageSystemAttributeNames=["AWSTraceHeader"], WaitTimeSeconds=5)[
        "Messages"
    ]
    assert message["Attributes"]["AWSTraceHeader"] == f"Root={root};Parent={deliveries['SQS']['id']};Sampled=1"
    nodes = {(s.get("Name"), s["Type"]) for s in aws("xray").get_trace_graph(TraceIds=[root])["Services"]}
    assert {(f"{unique}-events", "AWS::SNS::Topic"), (f"{unique}-subscriber", "AWS::SQS::Queue")} <= nodes
    aws("xray").delete_resource_policy(PolicyName=unique)


def test_localcloud_traces_prints_the_latest_traces_as_timelines(aws, local_cloud, capsys):
    from localcloud import cli

    root, _ = new_header()
    now = time.time()
    tag = uuid.uuid4().hex
    api = {"id": "1" * 16, "trace_id": root, "name": "shop/live", "origin": "AWS::ApiGateway::Stage",
           "start_time": now, "end_time": now + 0.1, "annotations": {"tag": tag},
           "http": {"response": {"status": 502}},
           "subsegments": [{"id": "2" * 16, "name": "Lambda", "namespace": "aws", "start_time": now + 0.01,
                            "end_time": now + 0.09}]}  # fmt: skip
    function = {"id": "3" * 16, "trace_id": root, "parent_id": "2" * 16, "name": "shop-fn", "origin": "AWS::Lambda",
                "start_time": now + 0.02, "end_time": now + 0.08, "fault": True}  # fmt: skip
    aws("xray").put_trace_segments(TraceSegmentDocuments=[json.dumps(api), json.dumps(function)])
    port = local_cloud.endpoint.rsplit(":", 1)[1]
    assert cli.main(["traces", "--port", port, "--filter", f'annotation.tag = "{tag}"']) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith(f"{root}  100.0 ms")
    labels = [line.split("|")[0].rstrip() for line in printed[1:]]
    assert labels == ["  shop/live (AWS::ApiGateway::Stage)", "    Lambda", "      shop-fn (AWS::Lambda)"]
    assert printed[1].endswith("100.0 ms 502 FAULT") and printed[3].endswith("60.0 ms FAULT")
    bar = printed[3].split("|")[1]
    assert bar.index("#") == 8 and bar.count("#") == 24, "60 ms starting 20 ms into a 100 ms trace, on 40 columns"


def test_a_functions_segments_are_kept_in_its_own_region(local_cloud, unique):
    import dataclasses

    ireland = dataclasses.replace(local_cloud, region="eu-west-1")
    layer = ireland.client("lambda").publish_layer_version(
        LayerName=f"{unique}-xray-sdk", Content={"ZipFile": zip_with_xray_sdk(folder="python/")}
    )["LayerVersionArn"]
    role = make_role(
        ireland.client("iam"), f"{unique}-ireland", TRACE_WRITE, {"Effect": "Allow", "Action": "*", "Resource": "*"}
    )
    table = f"{unique}-orders"
    ireland.client("dynamodb").create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    )
    name = f"{unique}-ireland"
    ireland.client("lambda").create_function(
        FunctionName=name,
        Runtime="python3.11",
        Role=role,
        Handler="fn.handler",
        Code={"ZipFile": zip_source({"fn.py": TRACED})},
        Layers=[layer],
        TracingConfig={"Mode": "Active"},
        Environment={"Variables": {"TABLE": table}},
        Timeout=30,
    )
    root, header = new_header()
    invoke_traced(lambda service: ireland.client(service), name, {"order": "o-ie"}, header)
    xray = ireland.client("xray")
    deadline = time.monotonic() + 15
    function: dict = {}
    while time.monotonic() < deadline:
        traces = xray.batch_get_traces(TraceIds=[root])["Traces"]
        found = [json.loads(s["Document"]) for t in traces for s in t["Segments"]]
        function = next((s for s in found if s.get("origin") == "AWS::Lambda::Function"), {})
        if subsegment(function, "DynamoDB") is not None:
            break
        time.sleep(0.2)
    assert subsegment(function, "store order") is not None and subsegment(function, "DynamoDB") is not None
    assert local_cloud.client("xray").batch_get_traces(TraceIds=[root])["UnprocessedTraceIds"] == [root]


def test_eventbridge_passes_the_put_events_trace_header_to_its_targets(aws, unique):
    sqs, events = aws("sqs"), aws("events")
    url = sqs.create_queue(QueueName=f"{unique}-from-rule")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    rule = events.put_rule(Name=unique, EventPattern=json.dumps({"source": [f"acme.{unique}"]}))["RuleArn"]
    allow_eventbridge_to_send(sqs, url, arn, rule)
    events.put_targets(Rule=unique, Targets=[{"Id": "q", "Arn": arn}])
    _, header = new_header()

    def add_header(request: Any, **_: Any) -> None:
        request.headers["X-Amzn-Trace-Id"] = header

    events.meta.events.register("before-sign.events.PutEvents", add_header)
    events.put_events(Entries=[{"Source": f"acme.{unique}", "DetailType": "Traced", "Detail": "{}"}])
    [message] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5, MessageSystemAttributeNames=["AWSTraceHeader"])[
        "Messages"
    ]
    assert message["Attributes"]["AWSTraceHeader"] == header
