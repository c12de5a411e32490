"""The Lambda runner: AWS's invoke contract without Docker."""

from __future__ import annotations

import json
import time

import pytest

pytestmark = pytest.mark.localcloud

ECHO = """
import os
def handler(event, context):
    print("echo", event)
    return {"event": event, "pid": os.getpid(), "remaining": context.get_remaining_time_in_millis(),
            "region": os.environ["AWS_REGION"], "endpoint": os.environ.get("AWS_ENDPOINT_URL"),
            "greeting": os.environ.get("GREETING")}
"""


def invoke(aws, name, event=None, **kwargs):
    response = aws("lambda").invoke(FunctionName=name, Payload=json.dumps(event or {}), **kwargs)
    return response, json.loads(response["Payload"].read() or "null")


def test_handler_sees_its_environment_and_the_local_cloud_endpoint(aws, make_function, local_cloud):
    name = make_function(ECHO, Environment={"Variables": {"GREETING": "hi"}}, Timeout=7)
    _, result = invoke(aws, name, {"a": 1})
    assert result["event"] == {"a": 1}
    assert result["greeting"] == "hi"
    assert result["endpoint"] == local_cloud.endpoint
    assert result["region"] == "us-east-1"
    assert 0 < result["remaining"] <= 7000


def test_configuration_change_starts_a_new_worker(aws, make_function):
    name = make_function(ECHO)
    _, first = invoke(aws, name)
    aws("lambda").update_function_configuration(FunctionName=name, Environment={"Variables": {"GREETING": "new"}})
    _, second = invoke(aws, name)
    assert second["greeting"] == "new"
    assert second["pid"] != first["pid"]


def test_function_past_its_timeout_is_killed_and_reported_as_timed_out(aws, make_function):
    name = make_function("import time\ndef handler(e, c):\n    time.sleep(30)\n", Timeout=1)
    started = time.monotonic()
    response, payload = invoke(aws, name)
    assert time.monotonic() - started < 5
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 1.00 seconds" in payload["errorMessage"]


def test_missing_module_is_an_import_error_on_every_invocation(aws, make_function):
    name = make_function("import not_vendored_anywhere\ndef handler(e, c):\n    return 1\n")
    for _ in range(2):
        response, payload = invoke(aws, name)
        assert response["FunctionError"] == "Unhandled"
        assert payload["errorType"] == "Runtime.ImportModuleError"
        assert "not_vendored_anywhere" in payload["errorMessage"]


def test_handler_cannot_import_the_local_clouds_own_packages(aws, make_function):
    """Handlers run with the Lambda runtime's packages only, as in AWS."""
    name = make_function("import moto\ndef handler(e, c):\n    return 1\n")
    response, payload = invoke(aws, name)
    assert payload["errorType"] == "Runtime.ImportModuleError"


def test_unserializable_result_is_a_marshal_error(aws, make_function):
    name = make_function("def handler(e, c):\n    return object()\n")
    response, payload = invoke(aws, name)
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "Runtime.MarshalError"


def test_tail_log_type_returns_the_invocations_output(aws, make_function):
    import base64

    name = make_function(ECHO)
    response, _ = invoke(aws, name, {"marker": "tail-me"}, LogType="Tail")
    assert "tail-me" in base64.b64decode(response["LogResult"]).decode()


def test_reserved_concurrency_throttles_the_excess_invocation(aws, make_function):
    import threading

    from botocore.config import Config

    name = make_function("import time\ndef handler(e, c):\n    time.sleep(4)\n    return 1\n", Timeout=10)
    aws("lambda").put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)
    slow = threading.Thread(target=invoke, args=(aws, name))
    slow.start()
    time.sleep(1.0)  # the first invocation is running (its cold start takes ~30 ms)
    lam = aws("lambda", config=Config(retries={"total_max_attempts": 1}))  # botocore retries throttles itself
    with pytest.raises(lam.exceptions.TooManyRequestsException):
        lam.invoke(FunctionName=name, Payload=b"{}")
    slow.join()


def test_on_failure_destination_gets_the_aws_record_after_retries(aws, make_function, unique):
    sqs = aws("sqs")
    queue_url = sqs.create_queue(QueueName=f"{unique}-failures")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    name = make_function("def handler(e, c):\n    raise ValueError('nope')\n")
    aws("lambda").put_function_event_invoke_config(
        FunctionName=name, MaximumRetryAttempts=1, DestinationConfig={"OnFailure": {"Destination": queue_arn}}
    )
    aws("lambda").invoke(FunctionName=name, InvocationType="Event", Payload=b'{"n": 1}')
    messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=10).get("Messages", [])
    assert messages, "no on-failure record arrived"
    record = json.loads(messages[0]["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 2
    assert record["requestPayload"] == {"n": 1}
    assert record["responseContext"]["functionError"] == "Unhandled"
    assert record["responsePayload"]["errorMessage"] == "nope"


def test_a_throttled_function_does_not_starve_other_functions_async_events(aws, make_function, forwarder):
    """More throttled events than the async path has threads: their waits hold none, others still run."""
    blocked = make_function("def handler(e, c):\n    return 1\n")
    aws("lambda").put_function_concurrency(FunctionName=blocked, ReservedConcurrentExecutions=0)
    for n in range(48):
        aws("lambda").invoke(FunctionName=blocked, InvocationType="Event", Payload=json.dumps({"n": n}))
    time.sleep(1)  # every one of them has been throttled at least once
    function_arn, received = forwarder
    started = time.monotonic()
    aws("lambda").invoke(FunctionName=function_arn, InvocationType="Event", Payload=b'{"unblocked": true}')
    assert received(timeout=10) == {"unblocked": True}
    assert time.monotonic() - started < 5


def test_the_health_check_and_motos_data_view_answer_once_functions_and_databases_exist(
    aws, make_function, local_cloud, unique
):
    """moto's /moto-api/data.json answered 500 once a function existed (DockerException) or an RDS instance
    (its write-only password raised NotImplementedError)."""
    import urllib.request

    from localcloud.control import healthy

    name = make_function(ECHO)
    invoke(aws, name)
    rds = aws("rds")
    rds.create_db_instance(
        DBInstanceIdentifier=unique,
        Engine="mysql",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="admin1",
        MasterUserPassword="S3cret-pass",
    )
    try:
        assert healthy(local_cloud.endpoint)
        with urllib.request.urlopen(f"{local_cloud.endpoint}/moto-api/data.json", timeout=30) as response:
            data = json.loads(response.read())
    finally:
        rds.delete_db_instance(DBInstanceIdentifier=unique, SkipFinalSnapshot=True)
    assert name in {f["function_name"] for f in data["awslambda"]["LambdaFunction"]}
    assert unique in {d["db_instance_identifier"] for d in data["rds"]["DBInstance"]}


def process_exists(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_gone(pid: int, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while process_exists(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not process_exists(pid)


def test_import_time_is_the_init_phase_not_part_of_the_handlers_timeout(aws, make_function):
    name = make_function("import os, time\ntime.sleep(1.5)\ndef handler(e, c):\n    return os.getpid()\n", Timeout=1)
    response, payload = invoke(aws, name)
    assert "FunctionError" not in response, payload
    group = f"/aws/lambda/{name}"
    reports = [
        e["message"]
        for e in aws("logs").filter_log_events(logGroupName=group)["events"]
        if e["message"].startswith("REPORT")
    ]
    (report,) = reports
    init = float(report.split("Init Duration: ")[1].split(" ms")[0])
    duration = float(report.split("\tDuration: ")[1].split(" ms")[0])
    assert init >= 1500 and duration < 1000, report


def test_an_init_longer_than_the_init_phase_goes_on_inside_the_first_invocation(aws, make_function):
    """Past Lambda's 10 s init phase the import goes on within the invocation (and its timeout); the answer
    is the handler's, never the worker's own "ready" message (seen under load: a 500 from API Gateway)."""
    name = make_function(
        "import os, time\ntime.sleep(10.5)\ndef handler(e, c):\n    return {'pid': os.getpid()}\n", Timeout=30
    )
    response, payload = invoke(aws, name)
    assert "FunctionError" not in response, payload
    assert set(payload) == {"pid"}
    again, second = invoke(aws, name)
    assert "FunctionError" not in again and second == payload, "the warm worker answers the next one"


def test_deleting_a_function_ends_its_warm_workers(aws, make_function):
    name = make_function("import os\ndef handler(e, c):\n    return os.getpid()\n")
    _, pid = invoke(aws, name)
    assert process_exists(pid)
    aws("lambda").delete_function(FunctionName=name)
    assert wait_gone(pid)


def test_new_code_ends_the_workers_of_the_old_code(aws, make_function):
    from conftest import zip_source

    name = make_function("import os\ndef handler(e, c):\n    return os.getpid()\n")
    _, old_pid = invoke(aws, name)
    aws("lambda").update_function_code(
        FunctionName=name, ZipFile=zip_source({"fn.py": "def handler(e, c):\n    return 'v2'\n"})
    )
    assert wait_gone(old_pid)
    assert invoke(aws, name)[1] == "v2"


def test_idle_workers_are_reaped_on_a_timer_without_another_invocation(tmp_path):
    from conftest import zip_source
    from localcloud.lambda_.runner import FunctionSpec, LambdaRunner

    runner = LambdaRunner("http://127.0.0.1:9", tmp_path, idle_seconds=1.0)
    try:
        code = zip_source({"fn.py": "import os\ndef handler(e, c):\n    return os.getpid()\n"})
        spec = FunctionSpec(
            arn="arn:aws:lambda:us-east-1:123456789012:function:idle",
            name="idle",
            version="$LATEST",
            region="us-east-1",
            handler="fn.handler",
            runtime="python3.11",
            timeout_s=5,
            memory_mb=128,
            environment={},
            code_sha256="idle-code",
            code_zip=code,
        )
        pid = json.loads(runner.invoke(spec, "{}").payload)
        assert runner.worker_count(spec.arn) == 1
        assert wait_gone(pid, timeout=5.0), "the idle worker outlived its idle time"
        assert runner.worker_count(spec.arn) == 0
    finally:
        runner.shutdown()


@pytest.mark.parametrize("runtime", ["python3.12", "java21"])
def test_a_runtime_the_local_cloud_cannot_run_fails_each_invocation_naming_it(aws, make_function, runtime):
    """Never loaded with the wrong interpreter: a handler is not run on a neighbouring version."""
    name = make_function("def handler(event, context):\n    return 'hi'\n", Runtime=runtime)
    answer = aws("lambda").invoke(FunctionName=name, Payload=b"{}")
    error = json.loads(answer["Payload"].read())
    assert answer["FunctionError"] == "Unhandled"
    assert error["errorType"] == "LocalCloud.UnsupportedRuntime"
    assert f"declares runtime {runtime}, which this machine cannot run" in error["errorMessage"]
    assert "python3.11" in error["errorMessage"] and "make install" in error["errorMessage"]
