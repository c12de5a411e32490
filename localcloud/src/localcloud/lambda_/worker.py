"""Bootstrap of one warm Lambda worker process (stdlib only).

Runs with the Lambda runtime interpreter (boto3 and nothing of ours), the
function's code directory and layers on ``sys.path``. The parent sends one JSON
request per line on ``REQ_FD`` and reads one JSON response per line on
``RESP_FD``; the handler's prints go to this process's stdout/stderr, which the
parent captured into a file and forwards to CloudWatch Logs.

Usage (by the runner only): python lambda_worker.py REQ_FD RESP_FD
"""

import base64
import decimal
import importlib
import json
import math
import os
import sys
import time
import traceback


class CognitoIdentity:
    cognito_identity_id = None
    cognito_identity_pool_id = None


class LambdaContext:
    """The attributes and method AWS's Python runtime gives a handler."""

    def __init__(self, request_id: str, deadline_ms: int) -> None:
        self.aws_request_id = request_id
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ["AWS_LAMBDA_FUNCTION_VERSION"]
        self.invoked_function_arn = os.environ["LOCALCLOUD_FUNCTION_ARN"]
        self.memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
        self.log_group_name = os.environ["AWS_LAMBDA_LOG_GROUP_NAME"]
        self.log_stream_name = os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]
        self.identity = CognitoIdentity()  # its fields None outside Mobile SDK calls, as awslambdaric gives it
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_ms - int(time.time() * 1000))


def error_payload(exc: BaseException, error_type: str | None = None) -> dict:
    return {
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "stackTrace": traceback.format_list(traceback.extract_tb(exc.__traceback__)[1:]),
    }


# Runtimes whose responses keep non-ASCII characters as they are (awslambdaric: 3.12 and later).
UNESCAPED_RUNTIMES = {f"AWS_Lambda_python3.{minor}" for minor in (12, 13, 14, 15)}


class ResponseEncoder(json.JSONEncoder):
    """The Python runtime's encoder: a Decimal written as its own digits (a NaN one as NaN), NaN and Infinity
    allowed, non-ASCII escaped before python3.12 (awslambdaric's lambda_runtime_marshaller)."""

    def __init__(self) -> None:
        super().__init__(ensure_ascii=os.environ.get("AWS_EXECUTION_ENV") not in UNESCAPED_RUNTIMES)
        self.decimals: dict = {}

    def default(self, o):
        if isinstance(o, decimal.Decimal):
            if o.is_nan():
                return math.nan
            token = f"__localcloud_decimal_{len(self.decimals)}__"
            self.decimals[token] = str(o)
            return token
        return super().default(o)


def marshal(result) -> dict:
    """The invocation's outcome for a handler's return value: bytes as they are, anything else as JSON."""
    if isinstance(result, bytes):
        return {"result_b64": base64.b64encode(result).decode()}
    encoder = ResponseEncoder()
    try:
        text = encoder.encode(result)
    except Exception as exc:
        message = f"Unable to marshal response: {exc}"
        return {"error": {"errorMessage": message, "errorType": "Runtime.MarshalError", "stackTrace": []}}
    for token, digits in encoder.decimals.items():
        text = text.replace(f'"{token}"', digits)
    return {"result": text}


class Fault(Exception):
    """An init failure the runtime reports with a type of its own (awslambdaric's FaultException)."""

    def __init__(self, error_type: str, message: str, trace: list | None = None) -> None:
        super().__init__(message)
        self.payload = {"errorMessage": message, "errorType": error_type, "stackTrace": trace or []}


def load_handler(spec: str):
    """The handler, or a Fault worded as awslambdaric's _get_handler words it; another exception raised while
    importing the module propagates (its own type and stack)."""
    try:
        module_name, function_name = spec.rsplit(".", 1)
    except ValueError as exc:
        raise Fault("Runtime.MalformedHandlerName", f"Bad handler '{spec}': {exc}") from None
    if module_name.split(".")[0] in sys.builtin_module_names:
        raise Fault("Runtime.BuiltInModuleConflict", f"Cannot use built-in module {module_name} as a handler module")
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as exc:
        raise Fault("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {exc}") from None
    except SyntaxError as exc:
        trace = [f'  File "{exc.filename}" Line {exc.lineno}\n    {exc.text}']
        raise Fault("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {exc}", trace) from None
    handler = getattr(module, function_name, None)
    if handler is None:
        raise Fault("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")
    return handler


def main() -> None:
    requests = os.fdopen(int(sys.argv[1]), "r", encoding="utf-8")
    responses = os.fdopen(int(sys.argv[2]), "w", encoding="utf-8")
    init_error = None
    handler = None
    init_started = time.perf_counter()
    try:
        handler = load_handler(os.environ["_HANDLER"])
    except Fault as fault:
        init_error = fault.payload
        print(f"[ERROR] {init_error['errorType']}: {init_error['errorMessage']}")
    except Exception as exc:
        init_error = error_payload(exc)
        traceback.print_exc()
    # The init phase is over: its time is the REPORT's Init Duration, not part of any invocation's timeout.
    sys.stdout.flush()
    sys.stderr.flush()
    responses.write(json.dumps({"ready": True, "init_ms": (time.perf_counter() - init_started) * 1000}) + "\n")
    responses.flush()

    for line in requests:
        request = json.loads(line)
        if init_error is not None:
            # Lambda ends an environment whose init failed; the next invocation runs init again.
            outcome = {"error": init_error, "fatal": True}
        else:
            context = LambdaContext(request["request_id"], request["deadline_ms"])
            # The runtime sets the invocation's trace header where the X-Ray SDK reads it.
            if request.get("trace_id"):
                os.environ["_X_AMZN_TRACE_ID"] = request["trace_id"]
            else:
                os.environ.pop("_X_AMZN_TRACE_ID", None)
            try:
                result = handler(json.loads(request["event"]), context)
            except Exception as exc:
                traceback.print_exc()
                outcome = {"error": error_payload(exc)}
            else:
                outcome = marshal(result)
        sys.stdout.flush()
        sys.stderr.flush()
        responses.write(json.dumps(outcome) + "\n")
        responses.flush()


if __name__ == "__main__":
    main()
