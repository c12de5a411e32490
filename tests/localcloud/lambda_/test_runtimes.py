"""Each runtime on its own interpreter, with the SDK it bundles and its own handler resolution and error shapes."""

from __future__ import annotations

import base64
import json
import re
import time

import pytest

pytestmark = pytest.mark.localcloud

NODE_RUNTIMES = {"nodejs20.x": "v20.", "nodejs22.x": "v22."}

PYTHON_WHOAMI = """
import os, sys, boto3
def handler(event, context):
    return {"version": list(sys.version_info[:2]), "execution_env": os.environ["AWS_EXECUTION_ENV"],
            "task_root": os.environ["LAMBDA_TASK_ROOT"], "module": __file__,
            "account": boto3.client("sts").get_caller_identity()["Account"]}
"""

NODE_WHOAMI = """
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
const sts = new STSClient({});
exports.handler = async (event, context) => {
  console.log('event', event);
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  return { version: process.version, executionEnv: process.env.AWS_EXECUTION_ENV, account: identity.Account,
           requestId: context.awsRequestId, functionName: context.functionName, module: __filename,
           remaining: context.getRemainingTimeInMillis() };
};
"""


def invoke(aws, name, event=None, **kwargs):
    response = aws("lambda").invoke(FunctionName=name, Payload=json.dumps(event or {}), **kwargs)
    return response, json.loads(response["Payload"].read() or "null")


@pytest.mark.parametrize(("runtime", "version"), [("python3.13", [3, 13]), ("python3.14", [3, 14])])
def test_a_python_function_runs_on_its_own_python_with_the_runtimes_boto3(aws, make_function, runtime, version):
    name = make_function(PYTHON_WHOAMI, Runtime=runtime)
    response, result = invoke(aws, name)
    assert "FunctionError" not in response, result
    assert result["version"] == version
    assert result["execution_env"] == f"AWS_Lambda_{runtime}"
    assert result["module"].startswith(result["task_root"])
    assert re.fullmatch(r"\d{12}", result["account"])


@pytest.mark.parametrize("runtime", sorted(NODE_RUNTIMES))
def test_a_nodejs_function_runs_on_its_node_version_with_the_sdk_v3(aws, make_function, runtime):
    name = make_function("", handler="index.handler", files={"index.js": NODE_WHOAMI}, Runtime=runtime)
    response, result = invoke(aws, name, {"a": 1}, LogType="Tail")
    assert "FunctionError" not in response, result
    assert result["version"].startswith(NODE_RUNTIMES[runtime])
    assert result["executionEnv"] == f"AWS_Lambda_{runtime}"
    assert re.fullmatch(r"\d{12}", result["account"])
    assert result["functionName"] == name and 0 < result["remaining"] <= 3000
    log = base64.b64decode(response["LogResult"]).decode()
    # console.log as the Node.js runtime writes it: time, request id, level, message.
    assert re.search(rf"\d{{4}}-\d\d-\d\dT[\d:.]+Z\t{result['requestId']}\tINFO\tevent {{ a: 1 }}", log), log


@pytest.mark.parametrize(
    ("files", "handler"),
    [
        ({"app.mjs": "export const handler = async (e) => ({ kind: 'mjs', e });"}, "app.handler"),
        (
            {
                "package.json": '{"type": "module"}',
                "app.js": "export const handler = async (e) => ({ kind: 'esm', e });",
            },
            "app.handler",
        ),
        ({"app.cjs": "module.exports.handler = async (e) => ({ kind: 'cjs', e });"}, "app.handler"),
        ({"src/app.js": "exports.handlers = { main: async (e) => ({ kind: 'nested', e }) };"}, "src/app.handlers.main"),
    ],
    ids=["mjs", "type-module-js", "cjs", "folder-and-nested-export"],
)
def test_a_nodejs_handler_string_is_resolved_as_the_runtime_resolves_it(aws, make_function, files, handler):
    name = make_function("", handler=handler, files=files, Runtime="nodejs20.x")
    response, result = invoke(aws, name, {"n": 1})
    assert "FunctionError" not in response, result
    assert result["e"] == {"n": 1}


def test_an_es_module_handler_imports_the_bundled_sdk(aws, make_function):
    source = (
        "import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';\n"
        "export const handler = async () => (await new STSClient({}).send(new GetCallerIdentityCommand({}))).Account;\n"
    )
    name = make_function("", handler="index.handler", files={"index.mjs": source}, Runtime="nodejs22.x")
    response, account = invoke(aws, name)
    assert "FunctionError" not in response, account
    assert re.fullmatch(r"\d{12}", account)


def test_a_nodejs_callback_handler_answers_what_it_passes_to_the_callback(aws, make_function):
    source = (
        "exports.handler = (event, context, callback) => { setTimeout(() => callback(null, { got: event }), 10); };"
    )
    name = make_function("", handler="index.handler", files={"index.js": source}, Runtime="nodejs22.x")
    _, result = invoke(aws, name, {"x": 2})
    assert result == {"got": {"x": 2}}


def test_a_nodejs_handler_error_has_the_runtimes_shape(aws, make_function):
    source = (
        "class OrderRejected extends Error { constructor(m) { super(m); this.name = 'OrderRejected'; } }\n"
        "exports.handler = async () => { throw new OrderRejected('no stock'); };\n"
    )
    name = make_function("", handler="index.handler", files={"index.js": source}, Runtime="nodejs20.x")
    response, error = invoke(aws, name)
    assert response["FunctionError"] == "Unhandled"
    assert error["errorType"] == "OrderRejected" and error["errorMessage"] == "no stock"
    assert error["trace"][0] == "OrderRejected: no stock" and "index.js" in error["trace"][1]


@pytest.mark.parametrize(
    ("files", "handler", "error_type", "message"),
    [
        ({"index.js": "exports.handler = async () => 1;"}, "missing.handler", "Runtime.ImportModuleError",
         "Error: Cannot find module 'missing'"),
        ({"index.js": "exports.other = async () => 1;"}, "index.handler", "Runtime.HandlerNotFound",
         "index.handler is undefined or not exported"),
        ({"index.js": "exports.handler = 42;"}, "index.handler", "Runtime.HandlerNotFound",
         "index.handler is not a function"),
        ({"index.js": "exports.handler = async () => {"}, "index.handler", "Runtime.UserCodeSyntaxError",
         "SyntaxError: Unexpected end of input"),
    ],
    ids=["no-module", "no-export", "not-a-function", "syntax-error"],
)  # fmt: skip
def test_a_nodejs_function_that_cannot_load_fails_each_invocation_with_the_runtimes_error(
    aws, make_function, files, handler, error_type, message
):
    name = make_function("", handler=handler, files=files, Runtime="nodejs20.x")
    for _ in range(2):
        response, error = invoke(aws, name)
        assert response["FunctionError"] == "Unhandled"
        assert error["errorType"] == error_type
        assert error["errorMessage"].startswith(message), error


def test_a_nodejs_function_past_its_timeout_is_killed_as_any_other(aws, make_function):
    source = "exports.handler = () => new Promise(() => {});"
    name = make_function("", handler="index.handler", files={"index.js": source}, Runtime="nodejs20.x", Timeout=1)
    response, error = invoke(aws, name)
    assert response["FunctionError"] == "Unhandled"
    assert error["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 1.00 seconds" in error["errorMessage"]


MARSHALLED = """
import datetime, decimal
def handler(event, context):
    if event["return"] == "bytes":
        return b"\\x00raw bytes"
    if event["return"] == "datetime":
        return {"at": datetime.datetime(2026, 12, 6)}
    return {"price": decimal.Decimal("1.10"), "ratio": float("nan"), "nan": decimal.Decimal("NaN"), "name": "café"}
"""


@pytest.mark.parametrize(
    ("runtime", "name_as_sent"), [("python3.11", b'"caf\\u00e9"'), ("python3.13", '"café"'.encode())]
)
def test_a_python_result_is_marshalled_as_the_python_runtime_does(aws, make_function, runtime, name_as_sent):
    name = make_function(MARSHALLED, Runtime=runtime)
    lam = aws("lambda")
    answer = lam.invoke(FunctionName=name, Payload=json.dumps({"return": "json"}))
    assert answer["Payload"].read() == b'{"price": 1.10, "ratio": NaN, "nan": NaN, "name": ' + name_as_sent + b"}"
    answer = lam.invoke(FunctionName=name, Payload=json.dumps({"return": "bytes"}))
    assert "FunctionError" not in answer and answer["Payload"].read() == b"\x00raw bytes"
    answer = lam.invoke(FunctionName=name, Payload=json.dumps({"return": "datetime"}))
    assert answer["FunctionError"] == "Unhandled"
    error = json.loads(answer["Payload"].read())
    assert error["errorType"] == "Runtime.MarshalError" and error["stackTrace"] == []
    assert error["errorMessage"] == "Unable to marshal response: Object of type datetime is not JSON serializable"


def test_a_nodejs_result_json_cannot_hold_fails_as_the_runtime_client_fails_it(aws, make_function):
    source = "exports.handler = async () => ({ big: 10n });"
    name = make_function("", handler="index.handler", files={"index.js": source}, Runtime="nodejs22.x")
    response, error = invoke(aws, name)
    assert response["FunctionError"] == "Unhandled"
    assert error["errorType"] == "Error" and error["errorMessage"] == "Unable to stringify response body"


@pytest.mark.parametrize(
    ("source", "error_type", "message"),
    [
        ("exports.handler = async () => { setTimeout(() => { throw new TypeError('late'); }, 5); "
         "await new Promise((r) => setTimeout(r, 1000)); };", "TypeError", "late"),
        ("exports.handler = async () => { Promise.reject(new Error('nobody waits')); "
         "await new Promise((r) => setTimeout(r, 1000)); };", "Runtime.UnhandledPromiseRejection",
         "Error: nobody waits"),
    ],
    ids=["uncaught-exception", "unhandled-rejection"],
)  # fmt: skip
def test_a_nodejs_crash_fails_the_invocation_at_once_and_the_next_one_starts_fresh(
    aws, make_function, source, error_type, message
):
    name = make_function("", handler="index.handler", files={"index.js": source}, Runtime="nodejs22.x", Timeout=30)
    started = time.monotonic()
    response, error = invoke(aws, name)
    assert time.monotonic() - started < 10, "the crash waited for the function's timeout"
    assert response["FunctionError"] == "Unhandled"
    assert (error["errorType"], error["errorMessage"]) == (error_type, message)


@pytest.mark.parametrize(
    ("files", "handler", "error_type", "message"),
    [
        ({"fn.py": "def handler(e, c):\n    return 1\n"}, "fn", "Runtime.MalformedHandlerName",
         "Bad handler 'fn': not enough values to unpack (expected 2, got 1)"),
        ({"fn.py": "def handler(e, c):\n    return (\n"}, "fn.handler", "Runtime.UserCodeSyntaxError",
         "Syntax error in module 'fn': "),
        ({"fn.py": "import os\nTABLE = os.environ['NOT_SET']\n"}, "fn.handler", "KeyError", "'NOT_SET'"),
        ({"fn.py": "def other(e, c):\n    return 1\n"}, "fn.handler", "Runtime.HandlerNotFound",
         "Handler 'handler' missing on module 'fn'"),
        ({"fn.py": "import nowhere_to_be_found\n"}, "fn.handler", "Runtime.ImportModuleError",
         "Unable to import module 'fn': No module named 'nowhere_to_be_found'"),
    ],
    ids=["malformed", "syntax", "raises-at-import", "no-handler", "import-error"],
)  # fmt: skip
def test_a_python_function_that_cannot_start_fails_as_the_python_runtime_says(
    aws, make_function, files, handler, error_type, message
):
    name = make_function("", handler=handler, files=files, Runtime="python3.13")
    response, error = invoke(aws, name)
    assert response["FunctionError"] == "Unhandled"
    assert error["errorType"] == error_type and error["errorMessage"].startswith(message), error


def test_a_failed_init_is_run_again_by_the_next_invocation(aws, make_function, tmp_path):
    counter = tmp_path / "inits"
    source = f"with open({str(counter)!r}, 'a') as f:\n    f.write('x')\nraise RuntimeError('not yet')\n"
    name = make_function(source, Runtime="python3.13")
    for _ in range(2):
        response, error = invoke(aws, name)
        assert error["errorType"] == "RuntimeError"
    assert counter.read_text() == "xx"


def test_a_nodejs_console_record_with_line_breaks_is_one_log_event(aws, make_function):
    source = "exports.handler = async () => { console.log('first line\\nsecond line'); return 1; };"
    name = make_function("", handler="index.handler", files={"index.js": source}, Runtime="nodejs22.x")
    invoke(aws, name)
    events = aws("logs").filter_log_events(logGroupName=f"/aws/lambda/{name}")["events"]
    records = [e["message"] for e in events if "first line" in e["message"]]
    assert len(records) == 1 and records[0].endswith("INFO\tfirst line\rsecond line"), records


def test_a_later_layer_wins_as_lambda_extracts_layers_into_one_opt(aws, make_function):
    from conftest import zip_source

    lam = aws("lambda")
    layers = [
        lam.publish_layer_version(
            LayerName=f"{origin}-layer",
            Content={"ZipFile": zip_source({"python/shared_value.py": f"ORIGIN = {origin!r}\n"})},
        )["LayerVersionArn"]
        for origin in ("first", "second")
    ]
    source = "import shared_value\ndef handler(event, context):\n    return [shared_value.ORIGIN, context.identity.cognito_identity_id]\n"
    name = make_function(source, Runtime="python3.13", Layers=layers)
    _, result = invoke(aws, name)
    assert result == ["second", None]
