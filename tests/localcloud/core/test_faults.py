"""Injected faults answer as the service would fail, only where they are scoped, and end when they are told to."""

from __future__ import annotations

import json
import time

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import make_table
from harness import http
from localcloud.core.faults import errors_of

pytestmark = pytest.mark.localcloud

ONCE = Config(
    retries={"total_max_attempts": 1, "mode": "standard"}
)  # the SDK's own retries would hide the first answer


@pytest.fixture
def faults(local_cloud):
    """Adds faults through the control API; removes them all after the test."""
    url = f"{local_cloud.endpoint}/_localcloud/faults"

    def add(**spec) -> dict:
        answer = http("POST", url, json.dumps(spec).encode(), {"Content-Type": "application/json"})
        assert answer.status == 201, answer.text
        return answer.json()["fault"]

    def listing() -> dict[str, dict]:
        return {f["id"]: f for f in http("GET", url).json()["faults"]}

    add.listing = listing
    add.url = url
    try:
        yield add
    finally:
        http("DELETE", url)


@pytest.fixture
def table(aws, unique) -> str:
    return make_table(aws, unique)


def refusal(call) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as refused:
        call()
    error = refused.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Error"]["Message"]


def put(dynamodb, table: str, key: str):
    return dynamodb.put_item(TableName=table, Item={"id": {"S": key}})


def test_a_throttled_write_gets_dynamodbs_error_and_writes_nothing(aws, faults, table):
    fault = faults(service="dynamodb", operation="PutItem", error="ProvisionedThroughputExceededException", count=1)
    dynamodb = aws("dynamodb", config=ONCE)
    assert refusal(lambda: put(dynamodb, table, "a")) == (
        "ProvisionedThroughputExceededException",
        400,
        "The level of configured provisioned throughput for the table was exceeded. Consider increasing your "
        "provisioning level with the UpdateTable API.",
    )
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"id": {"S": "a"}})
    put(dynamodb, table, "a")  # the fault's one injection is spent
    seen = faults.listing()[fault["id"]]
    assert (seen["matched"], seen["injected"], seen["active"]) == (1, 1, False)  # an ended fault matches nothing


def test_the_sdk_retries_an_injected_throttle_as_it_would_against_aws(aws, faults, table):
    fault = faults(service="dynamodb", operation="PutItem", error="ThrottlingException", count=2)
    put(aws("dynamodb"), table, "a")  # standard mode: up to 3 attempts
    assert faults.listing()[fault["id"]]["injected"] == 2
    assert "Item" in aws("dynamodb").get_item(TableName=table, Key={"id": {"S": "a"}})


def test_each_service_fails_in_its_own_error_shape(aws, faults, unique, make_function):
    queue = aws("sqs").create_queue(QueueName=unique)["QueueUrl"]
    topic = aws("sns").create_topic(Name=unique)["TopicArn"]
    aws("s3").create_bucket(Bucket=unique)
    function = make_function("def handler(event, context):\n    return 1\n")
    faults(service="sqs", operation="SendMessage", error="InternalFailure", resource=unique)
    faults(service="sns", operation="Publish", error="InternalError", resource=unique)
    faults(service="s3", operation="PutObject", error="SlowDown", resource=unique)
    faults(service="lambda", operation="Invoke", error="TooManyRequestsException", resource=function)
    assert refusal(lambda: aws("sqs", config=ONCE).send_message(QueueUrl=queue, MessageBody="x")) == (
        "InternalFailure",
        500,
        "The request processing has failed because of an unknown error, exception or failure.",
    )
    assert refusal(lambda: aws("sns", config=ONCE).publish(TopicArn=topic, Message="x")) == (
        "InternalError",
        500,
        "Internal Error",
    )
    assert refusal(lambda: aws("s3", config=ONCE).put_object(Bucket=unique, Key="k", Body=b"x")) == (
        "SlowDown",
        503,
        "Please reduce your request rate.",
    )
    assert refusal(lambda: aws("lambda", config=ONCE).invoke(FunctionName=function)) == (
        "TooManyRequestsException",
        429,
        "Rate Exceeded.",
    )
    assert aws("sqs").receive_message(QueueUrl=queue).get("Messages") is None
    assert aws("s3").list_objects_v2(Bucket=unique).get("KeyCount") == 0


def test_a_fault_scoped_to_a_function_fails_only_that_functions_calls(aws, faults, table, make_function):
    writer = make_function(
        "import boto3, os\n"
        "def handler(event, context):\n"
        "    boto3.client('dynamodb', config=__import__('botocore.config').config.Config(retries={'total_max_attempts': 1}))"
        ".put_item(TableName=os.environ['TABLE'], Item={'id': {'S': 'from-function'}})\n",
        Environment={"Variables": {"TABLE": table}},
    )
    faults(service="dynamodb", operation="PutItem", error="ProvisionedThroughputExceededException", caller=writer)
    answer = aws("lambda").invoke(FunctionName=writer)
    assert answer.get("FunctionError") == "Unhandled"
    assert "ProvisionedThroughputExceededException" in json.loads(answer["Payload"].read())["errorMessage"]
    put(aws("dynamodb", config=ONCE), table, "from-test")  # another caller is not affected


def test_a_fault_scoped_to_a_resource_spares_the_others(aws, faults, table, unique):
    other = make_table(aws, f"{unique}-other")
    faults(service="dynamodb", error="InternalServerError", resource=table)
    dynamodb = aws("dynamodb", config=ONCE)
    assert refusal(lambda: put(dynamodb, table, "a"))[:2] == ("InternalServerError", 500)
    put(dynamodb, other, "a")


def test_a_fault_on_a_function_by_name_also_fails_its_qualified_invocations(aws, faults, make_function):
    name = make_function("def handler(event, context):\n    return 1\n")
    faults(service="lambda", operation="Invoke", error="TooManyRequestsException", resource=name)
    arn = aws("lambda").get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    functions = aws("lambda", config=ONCE)
    for qualified in (name, f"{arn}:$LATEST"):
        assert refusal(lambda q=qualified: functions.invoke(FunctionName=q))[:2] == ("TooManyRequestsException", 429)


def test_a_rate_fails_that_share_of_calls_and_lets_the_rest_through(aws, faults, table):
    fault = faults(service="dynamodb", operation="PutItem", error="ThrottlingException", rate=0.5, seed=7)
    dynamodb = aws("dynamodb", config=ONCE)
    failed = 0
    for n in range(40):
        try:
            put(dynamodb, table, str(n))
        except ClientError:
            failed += 1
    seen = faults.listing()[fault["id"]]
    assert (seen["matched"], seen["injected"]) == (40, failed)
    assert 10 <= failed <= 30
    written = dynamodb.scan(TableName=table, Select="COUNT")["Count"]
    assert written == 40 - failed


def test_latency_holds_the_answer_and_then_it_succeeds(aws, faults, table):
    faults(service="dynamodb", operation="GetItem", latency_ms=400, resource=table)
    started = time.monotonic()
    aws("dynamodb").get_item(TableName=table, Key={"id": {"S": "a"}})
    assert time.monotonic() - started >= 0.4


def test_a_fault_ends_after_its_duration(aws, faults, table):
    fault = faults(service="dynamodb", operation="PutItem", error="ThrottlingException", duration_s=0.5)
    dynamodb = aws("dynamodb", config=ONCE)
    assert refusal(lambda: put(dynamodb, table, "a"))[0] == "ThrottlingException"
    time.sleep(0.6)
    put(dynamodb, table, "a")
    assert faults.listing()[fault["id"]]["active"] is False


def test_a_fault_the_service_cannot_give_is_refused_naming_those_it_can(faults):
    answer = http(
        "POST",
        faults.url,
        json.dumps({"service": "sqs", "error": "SlowDown"}).encode(),
        {"Content-Type": "application/json"},
    )
    assert answer.status == 400
    assert answer.json()["message"] == (
        "sqs answers none of its calls with SlowDown; one of: RequestThrottled, InternalFailure, ServiceUnavailable, ThrottlingException"
    )
    for bad, why in (
        ({"service": "dynamodb"}, "a fault needs an error, a latency_ms, or both"),
        ({"service": "dynamodb", "latency_ms": 5, "rate": 0}, "rate must be above 0 and at most 1"),
        ({"service": "dynamodb", "latency_ms": 5, "colour": "red"}, "unknown fields ['colour']"),
    ):
        answer = http("POST", faults.url, json.dumps(bad).encode(), {"Content-Type": "application/json"})
        assert answer.status == 400 and answer.json()["message"].startswith(why), answer.text


def test_clearing_ends_every_fault_and_reports_what_each_did(aws, faults, table):
    faults(service="dynamodb", operation="PutItem", error="ThrottlingException", resource=table)
    dynamodb = aws("dynamodb", config=ONCE)
    refusal(lambda: put(dynamodb, table, "a"))
    removed = http("DELETE", faults.url).json()["removed"]
    assert [(f["operation"], f["injected"]) for f in removed] == [("PutItem", 1)]
    put(dynamodb, table, "a")


# A harmless call per service, to see each error the service can be made to give.
READS = {
    "dynamodb": ("dynamodb", "list_tables", {}),
    "sqs": ("sqs", "list_queues", {}),
    "sns": ("sns", "list_topics", {}),
    "lambda": ("lambda", "list_functions", {}),
    "s3": ("s3", "list_objects_v2", {"Bucket": "BUCKET"}),
    "kms": ("kms", "list_keys", {}),
    "states": ("stepfunctions", "list_state_machines", {}),
    "events": ("events", "list_rules", {}),
    "secretsmanager": ("secretsmanager", "list_secrets", {}),
    "sts": ("sts", "get_caller_identity", {}),  # a service with only the common errors
}
EVERY_ERROR = [
    (service, code, *answer) for service in READS for code, answer in errors_of(service).items()
]  # fmt: skip


@pytest.mark.parametrize(("service", "code", "status", "message"), EVERY_ERROR)
def test_every_error_a_fault_can_give_comes_with_its_status_and_message(
    aws, faults, unique, service, code, status, message
):
    client_name, operation, params = READS[service]
    if service == "s3":
        aws("s3").create_bucket(Bucket=unique)
        params = {"Bucket": unique}
    faults(service=service, error=code, count=1)
    assert refusal(lambda: getattr(aws(client_name, config=ONCE), operation)(**params)) == (code, status, message)
    getattr(aws(client_name, config=ONCE), operation)(**params)  # the count is spent
