"""The local API Gateway front door serves each integration type of an applied REST API over HTTP."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import pytest

from harness import STACKS, Stack, allow_topic_to_send, api_url, applied_stack, drain_queue, http
from tooling.build import write_zip

pytestmark = pytest.mark.integration

FIXTURE = STACKS / "apigw-frontdoor"
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory, legacy_server) -> Iterator[Stack]:
    work = tmp_path_factory.mktemp("frontdoor")
    write_zip(work / "fixture.zip", [FIXTURE / "src"], FIXTURE / "src")
    with applied_stack(
        "apigw-frontdoor",
        local_cloud,
        work,
        code="fd",
        variables={"package_path": str(work / "fixture.zip"), "legacy_port": legacy_server},
    ) as s:
        yield s


def url(stack: Stack, path: str) -> str:
    return api_url(stack, stack.outputs["api_id"], "test", path)


def test_mock_integration_renders_context_and_stage_variables(stack):
    answer = http("GET", url(stack, "mock"))
    assert (answer.status, answer.json()) == (200, {"mocked": True, "stage": "test", "flavour": "vanilla"})


def test_mock_integration_selects_the_response_by_status_pattern(stack):
    answer = http("GET", url(stack, "mock?fail=yes"))
    assert (answer.status, answer.json()) == (500, {"mocked": "failure"})


def test_sqs_integration_queues_the_body_and_answers_202_with_a_transaction_id(stack):
    body = json.dumps({"order": 1, "note": "a & b = c"})
    answer = http("POST", url(stack, "queue"), body, JSON)
    assert answer.status == 202, answer.body
    transaction = answer.json()["transactionId"]
    assert answer.json()["status"] == f"/status/{transaction}"
    messages = stack.client("sqs").receive_message(QueueUrl=stack.outputs["queue_url"]).get("Messages", [])
    assert [(m["MessageId"], m["Body"]) for m in messages] == [(transaction, body)]


def test_sqs_integration_with_passthrough_never_rejects_other_content_types(stack):
    answer = http("POST", url(stack, "queue"), "plain", {"Content-Type": "text/plain"})
    assert (answer.status, answer.json()) == (415, {"message": "Unsupported Media Type"})


def test_dynamodb_put_and_get_item_through_templates_with_escape_javascript_and_input_json(stack):
    note = 'says "hi"\nand /slashes/'
    document = {"id": "n1", "note": note, "tags": ["x"]}
    put = http("POST", url(stack, "items"), json.dumps(document), {**JSON, "X-Note-Id": "n1"})
    assert (put.status, put.json()) == (200, {"stored": "n1"})
    stored = stack.client("dynamodb").get_item(TableName=stack.outputs["table_name"], Key={"pk": {"S": "n1"}})["Item"]
    assert stored["note"]["S"] == note
    assert json.loads(stored["raw"]["S"]) == document
    got = http("GET", url(stack, "items/n1"))
    assert got.status == 200, got.body
    assert got.json() == {"id": "n1", "note": note, "raw": document}


def test_dynamodb_error_status_selects_the_4xx_integration_response(stack):
    # Without an id the template sends an empty key, which DynamoDB rejects with 400.
    answer = http("POST", url(stack, "items"), json.dumps({"note": "no id"}), JSON)
    assert (answer.status, answer.json()) == (400, {"error": "rejected by DynamoDB"})


def test_kinesis_put_record_integration(stack):
    answer = http("POST", url(stack, "records"), json.dumps({"reading": 7}), JSON)
    assert answer.status == 200, answer.body
    kinesis = stack.client("kinesis")
    shard = answer.json()["shard"]
    iterator = kinesis.get_shard_iterator(
        StreamName=stack.outputs["stream_name"],
        ShardId=shard,
        ShardIteratorType="AT_SEQUENCE_NUMBER",
        StartingSequenceNumber=answer.json()["sequence"],
    )["ShardIterator"]
    records = kinesis.get_records(ShardIterator=iterator)["Records"]
    assert json.loads(records[0]["Data"]) == {"reading": 7}


def test_sns_publish_integration_delivers_the_body_and_answers_its_message_id(stack):
    sns, sqs = stack.client("sns"), stack.client("sqs")
    topic = stack.outputs["news_topic_arn"]
    queue = sqs.create_queue(QueueName=f"{stack.prefix}-news-reader")["QueueUrl"]
    try:
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        allow_topic_to_send(sqs, queue, queue_arn, topic)
        subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
        answer = http("POST", url(stack, "publish"), json.dumps({"headline": "hello"}), JSON)
        assert answer.status == 200, answer.text
        (delivered,) = drain_queue(sqs, queue, wait_s=10)
        sns.unsubscribe(SubscriptionArn=subscription)
    finally:
        sqs.delete_queue(QueueUrl=queue)
    envelope = json.loads(delivered["Body"])
    assert (envelope["MessageId"], json.loads(envelope["Message"])) == (
        answer.json()["messageId"],
        {"headline": "hello"},
    )


def test_step_functions_start_execution_integration(stack):
    answer = http("POST", url(stack, "executions"), json.dumps({"job": "j1"}), JSON)
    assert answer.status == 200, answer.body
    execution = stack.client("stepfunctions").describe_execution(executionArn=answer.json()["executionArn"])
    assert json.loads(execution["input"]) == {"job": "j1"}


def test_lambda_proxy_gets_path_query_headers_and_body_and_shapes_the_response(stack):
    answer = http("PUT", url(stack, "proxy/a/b?x=1&x=2&y=3"), "raw body", {"X-Custom": "yes"})
    assert answer.status == 200
    assert answer.headers["X-Fixture"] == "proxy"
    event = answer.json()["event"]
    assert (event["httpMethod"], event["path"], event["resource"]) == ("PUT", "/proxy/a/b", "/proxy/{proxy+}")
    assert event["pathParameters"] == {"proxy": "a/b"}
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"], "y": ["3"]}
    assert event["queryStringParameters"] == {"x": "2", "y": "3"}
    assert event["headers"]["X-Custom"] == "yes"
    assert event["body"] == "raw body"
    assert event["stageVariables"] == {"flavour": "vanilla"}
    assert event["requestContext"]["stage"] == "test"


def test_malformed_lambda_proxy_response_is_a_502(stack):
    answer = http("GET", url(stack, "proxy/x?malformed=1"))
    assert (answer.status, answer.json()) == (502, {"message": "Internal server error"})


def test_lambda_custom_integration_maps_result_and_error_by_pattern(stack):
    ok = http("POST", url(stack, "greet"), json.dumps({"name": "ada"}), JSON)
    assert (ok.status, ok.json()) == (200, {"message": "hello ada"})
    missing = http("POST", url(stack, "greet"), json.dumps({"name": "missing"}), JSON)
    assert (missing.status, missing.json()) == (404, {"error": "NotFound: nobody called missing"})


def test_integration_past_its_timeout_answers_504(stack):
    started = time.monotonic()
    answer = http("GET", url(stack, "slow"))
    assert (answer.status, answer.json()) == (504, {"message": "Endpoint request timed out"})
    assert time.monotonic() - started < 2.5


def test_http_proxy_forwards_to_a_real_http_server(stack):
    answer = http("POST", url(stack, "legacy/orders/7?full=1"), "legacy body", {"X-Legacy": "kept"})
    assert answer.status == 201
    assert answer.headers["X-Served-By"] == "legacy"
    assert answer.json() == {"method": "POST", "path": "/app/orders/7?full=1", "body": "legacy body", "header": "kept"}


def test_http_integration_sends_the_mapped_body(stack):
    answer = http("POST", url(stack, "http-template"), json.dumps({"a": 1}), JSON)
    assert answer.status == 200
    assert json.loads(answer.json()["body"]) == {"wrapped": {"a": 1}, "via": "POST"}


def test_host_header_form_reaches_the_same_stage(stack):
    endpoint = stack.cloud.endpoint
    answer = http("GET", f"{endpoint}/test/mock", headers={"Host": f"{stack.outputs['api_id']}.execute-api.localhost"})
    assert answer.json()["mocked"] is True


def test_unknown_stage_or_route_answers_403(stack):
    for target in (api_url(stack, stack.outputs["api_id"], "nostage", "mock"), url(stack, "nothing/here")):
        answer = http("GET", target)
        assert (answer.status, answer.json()) == (403, {"message": "Missing Authentication Token"})


def test_binary_body_reaches_lambda_proxy_base64_encoded(stack):
    payload = bytes(range(256))
    event = http("POST", url(stack, "proxy/bin"), payload, {"Content-Type": "application/octet-stream"}).json()["event"]
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == payload


def test_api_key_methods_need_an_enabled_key_in_a_usage_plan_for_the_stage(stack):
    keys = stack.outputs["api_keys"]
    assert http("GET", url(stack, "metered")).status == 403
    for refused in ("not-a-key", keys["revoked"]["value"], keys["unplanned"]["value"]):
        answer = http("GET", url(stack, "metered"), headers={"x-api-key": refused})
        assert (answer.status, answer.json()) == (403, {"message": "Forbidden"}), refused
    answer = http("GET", url(stack, "metered"), headers={"x-api-key": keys["partner"]["value"]})
    assert (answer.status, answer.json()) == (200, {"key": keys["partner"]["id"]})


def test_usage_plan_throttles_past_its_burst_and_stops_at_its_quota(stack):
    # The plan allows each key 1 request per second with a burst of 3, and 5 requests a day;
    # this key is used by this test alone.
    key = {"x-api-key": stack.outputs["api_keys"]["quota"]["value"]}
    burst = [http("GET", url(stack, "metered"), headers=key).status for _ in range(4)]
    assert burst[:3] == [200, 200, 200] and burst[3] == 429, burst
    for _ in range(2):  # the fourth and fifth of the day
        time.sleep(1.1)
        assert http("GET", url(stack, "metered"), headers=key).status == 200
    time.sleep(1.1)
    over = http("GET", url(stack, "metered"), headers=key)
    assert (over.status, over.json()) == (429, {"message": "Limit Exceeded"})


def test_second_plan_shows_no_changes(stack):
    assert stack.second_plan_changes() is None
