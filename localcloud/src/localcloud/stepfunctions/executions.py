"""Step Functions as AWS runs it, where moto differs.

- Calls the provider makes and moto lacks (the provider retries a
  NotImplemented answer forever, so apply, plan and destroy hang):
  `ValidateStateMachineDefinition`, `ListStateMachineVersions`.
- A state machine's role must trust `states.amazonaws.com` (or the regional
  `states.<region>.amazonaws.com`), or `CreateStateMachine` is refused (`AccessDeniedException: Neither the global
  service principal states.amazonaws.com, nor the regional one is authorized
  to assume the provided role.`).
- `$$.Execution.StartTime` and `$$.State.EnteredTime` are ISO 8601 text with
  milliseconds, as AWS writes them (moto kept a datetime: an execution that
  output one could not be described).
- A legacy Lambda task (`Resource` the function's ARN) given null passes null
  (moto passed `{}`).
- `StartExecution` without a name gets a UUID as AWS names it (moto's
  interpreter named it `None`, so a second unnamed start collided).
- An execution calls services (Lambda tasks, SDK integrations) as a session of
  its state machine's role (or of a task's `Credentials.RoleArn`), so a task
  the role may not perform fails as in AWS; moto called them with fixed keys.
- Optimised integrations are normalised through the service's botocore model,
  as Step Functions does: a task's parameters reach the API in its own casing,
  and the answer comes back PascalCase with timestamps as epoch milliseconds
  (`states:startExecution` and its `.sync`/`.sync:2` forms answered
  `KeyError: 'StateMachineArn'`: moto stubbed the normalisation out, its
  issue 10076).
- `StartSyncExecution` runs an EXPRESS workflow to its end and answers its
  status, output or error (moto had no route); a STANDARD machine is refused
  (`StateMachineTypeNotSupported`). boto3 sends it to a `sync-` host prefix:
  local clients pass `inject_host_prefix=False` (or set
  `AWS_DISABLE_HOST_PREFIX_INJECTION=true`).
- A definite JSONPath (`$[0].inStock`, `$.items[1].sku`) selects one value; one with a wildcard, slice,
  union, filter or descent selects a list (moto answered a list after any index).
- `SendTaskFailure` keeps its `cause` (moto's handler dropped it).
- JSONata states (`QueryLanguage: "JSONata"`) are evaluated by jsonata-python
  (moto called a JVM bridge that is not there).
- Executions log to the state machine's CloudWatch Logs group at its level
  (ALL, ERROR, FATAL; with or without execution data), in the stream
  `states/<state machine ARN>`; CreateStateMachine and UpdateStateMachine with
  logging refuse a role that may not manage log deliveries, as AWS does
  (`InvalidLoggingConfiguration`).
- Retry intervals (with `BackoffRate`, `MaxDelaySeconds`) and Wait states run
  on the local time scale `LOCALCLOUD_STATES_TIME_SCALE` (default 1: real
  seconds; 0.1 makes a 10 s wait take 1 s).
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from typing import Any

from moto.stepfunctions import models as sfn_models
from moto.stepfunctions import responses as sfn_responses
from moto.stepfunctions.exceptions import AWSError

from localcloud.core import iam


class StateMachineTypeNotSupported(AWSError):
    TYPE = "StateMachineTypeNotSupported"
    STATUS = 400

    def __init__(self) -> None:
        super().__init__("This operation is not supported by this type of state machine")


class InvalidLoggingConfiguration(AWSError):
    TYPE = "InvalidLoggingConfiguration"
    STATUS = 400

    def __init__(self) -> None:
        super().__init__("The state machine IAM Role is not authorized to access the Log Destination")


# What AWS checks the state machine's role for when logging is on (vended logs need them).
LOG_DELIVERY_ACTIONS = (
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
)


def time_scale() -> float:
    """Local seconds per Step Functions second, for Retry intervals and Wait states."""
    import os

    try:
        scale = float(os.environ.get("LOCALCLOUD_STATES_TIME_SCALE", "1"))
    except ValueError:
        scale = 1.0
    return max(0.0, scale)


def _check_logging(role_arn: str, logging_configuration: dict[str, Any] | None) -> None:
    level = (logging_configuration or {}).get("level", "OFF")
    if level == "OFF" or not role_arn:
        return
    role = iam.poller_identity(role_arn)
    if not all(iam.decide(role, action, "*").allowed for action in LOG_DELIVERY_ACTIONS):
        raise InvalidLoggingConfiguration()


class RoleNotAssumable(AWSError):
    TYPE = "AccessDeniedException"
    STATUS = 400

    def __init__(self) -> None:
        super().__init__(
            "Neither the global service principal states.amazonaws.com, nor the regional one is "
            "authorized to assume the provided role."
        )


def task_token_owner(account: str, region: str, token: str) -> str | None:
    """The state machine whose running execution waits on this task token (SendTask* are authorized on it)."""
    from moto.stepfunctions.parser.api import ExecutionStatus
    from moto.stepfunctions.responses import get_backend

    for execution in get_backend(account, region)._get_executions(ExecutionStatus.RUNNING):
        worker = getattr(execution, "exec_worker", None)
        if worker is not None and worker.env.callback_pool_manager.get(token) is not None:
            return str(execution.state_machine_arn)
    return None


def _trusted(role_arn: str, account: str, region: str) -> bool:
    role = iam.role_by_arn(role_arn)
    return role is not None and iam.trusts(role, "states.amazonaws.com", source_account=account, region=region)


_PARSER = "moto.stepfunctions.parser.asl.component.state.exec."
# The parser's modules that import boto_client_for by name (moto 5.2.5).
_CLIENT_USERS = [
    f"{_PARSER}state_task.lambda_eval_utils",
    f"{_PARSER}state_map.result_writer.resource_eval.resource_eval_s3",
    f"{_PARSER}state_map.item_reader.eval.resource_eval_s3",
    *(
        f"{_PARSER}state_task.service.state_task_service_{kind}"
        for kind in ("unsupported", "glue", "events", "ecs", "sqs", "sfn", "dynamodb", "batch", "sns", "aws_sdk")
    ),
]
_patched = threading.Event()


def _install_execution_credentials() -> None:
    """Once, when the first state machine is created (the parser is loaded then, not at server start)."""
    if _patched.is_set():
        return
    import importlib

    from moto.stepfunctions.parser.asl.utils import boto_client as boto_client_module

    original = boto_client_module.boto_client_for

    def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        client = original(region, service, state_credentials)
        role_arn = getattr(state_credentials, "role_arn", None)
        if not role_arn or ":role/" not in str(role_arn):
            return client
        # The state machine's role was checked at creation; a task's Credentials role is the machine role's
        # to assume (not checked here). One session per role, as Step Functions keeps it.
        session = iam.cached_session(str(role_arn), "localcloud-states", region)
        return iam.session_client(service, region, client.meta.endpoint_url, session, config=client.meta.config)

    for name in _CLIENT_USERS:
        module = importlib.import_module(name)
        if getattr(module, "boto_client_for", None) is original:
            module.boto_client_for = boto_client_for
    boto_client_module.boto_client_for = boto_client_for
    _install_normalisation()
    _install_definite_paths()
    _install_jsonata()
    _install_time_scale()
    _install_execution_logging()
    _install_execution_metrics()
    _install_context_times()
    _install_legacy_null_payload()
    _patched.set()


def _operation(service: str, action: str) -> Any | None:
    """The botocore operation model of a service's snake_case action, or None."""
    import botocore.session
    from botocore import xform_name

    cache = _operation.__dict__.setdefault("cache", {})
    if (service, action) not in cache:
        try:
            model = botocore.session.get_session().get_service_model(service)
        except Exception:
            model = None
        names = model.operation_names if model is not None else []
        found = next((model.operation_model(n) for n in names if xform_name(n) == action), None)  # type: ignore[union-attr]
        cache[(service, action)] = found
    return cache[(service, action)]


def aws_timestamp(value: Any) -> str:
    """A context object time as Step Functions writes it: ISO 8601 in UTC, milliseconds, `Z`."""
    from datetime import UTC, datetime

    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _install_context_times() -> None:
    """`$$.Execution.StartTime` and `$$.State.EnteredTime` are ISO text, as in AWS (moto: a datetime, which made
    DescribeExecution and GetExecutionHistory answer 500 for an execution that output it, and isoformat())."""
    from moto.stepfunctions.parser.asl.component.state import state as state_module
    from moto.stepfunctions.parser.backend import execution_worker

    execution_data, state_data = execution_worker.ExecutionData, state_module.StateData

    def execution(**fields: Any) -> Any:
        if fields.get("StartTime") is not None:
            fields["StartTime"] = aws_timestamp(fields["StartTime"])
        return execution_data(**fields)

    def entered(**fields: Any) -> Any:
        if fields.get("EnteredTime") is not None:
            fields["EnteredTime"] = aws_timestamp(fields["EnteredTime"])
        return state_data(**fields)

    execution_worker.ExecutionData = execution
    state_module.StateData = entered


def _install_legacy_null_payload() -> None:
    """A Lambda task named by the function's ARN (the legacy form) passes a null input as null; moto sent {}.
    (The optimised `lambda:invoke` integration keeps its own handling of a missing Payload.)"""
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils, state_task_lambda

    class LegacyPayloads:
        def __getattr__(self, name: str) -> Any:
            return getattr(lambda_eval_utils, name)

        @staticmethod
        def to_payload_type(payload: Any) -> bytes | None:
            return b"null" if payload is None else lambda_eval_utils.to_payload_type(payload)

    state_task_lambda.lambda_eval_utils = LegacyPayloads()  # type: ignore[assignment]


def _install_normalisation() -> None:
    from datetime import datetime

    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import state_task_service

    Service = state_task_service.StateTaskService
    plain_value = Service._from_boto_response_value

    def normalise_parameters(
        self: Any, parameters: dict, boto_service_name: str | None = None, service_action_name: str | None = None
    ) -> None:
        operation = _operation(
            self._get_boto_service_name(boto_service_name), self._get_boto_service_action(service_action_name)
        )
        if operation is not None and operation.input_shape is not None:
            self._to_boto_request(parameters, operation.input_shape)

    def normalise_response(
        self: Any, response: Any, boto_service_name: str | None = None, service_action_name: str | None = None
    ) -> None:
        operation = _operation(
            self._get_boto_service_name(boto_service_name), self._get_boto_service_action(service_action_name)
        )
        if operation is not None and operation.output_shape is not None:
            self._from_boto_response(response, operation.output_shape)

    def response_value(value: Any) -> Any:
        if isinstance(value, datetime):
            return int(value.timestamp() * 1000)  # Step Functions answers timestamps in epoch milliseconds
        return plain_value(value)

    Service._normalise_parameters = normalise_parameters
    Service._normalise_response = normalise_response
    Service._from_boto_response_value = staticmethod(response_value)


INDEFINITE_PATH = re.compile(r"\*|\.\.|\?\(|\[[^\]]*[:,][^\]]*\]")


def _indefinite(path: str) -> bool:
    """A JSONPath that may select several values (wildcard, slice, union, filter, descent): its result is a list."""
    return bool(INDEFINITE_PATH.search(path))


def _install_definite_paths() -> None:
    """A definite JSONPath selects one value, as in AWS (`$.items[0].sku` is the sku); moto answered a list
    whenever an index came before the last step."""
    from moto.stepfunctions.parser.asl.utils import json_path

    def extract_json(path: str, data: Any) -> Any:
        matches = parse(path).find(data)  # noqa: F821 (json_path's globals: the code runs there)
        if not matches:
            if _contains_slice_or_wildcard_array(path):  # noqa: F821
                return []
            raise NoSuchJsonPathError(json_path=path, data=data)  # noqa: F821
        if _localcloud_indefinite(path):  # noqa: F821
            return [match.value for match in matches]
        return matches[0].value

    json_path._localcloud_indefinite = _indefinite
    # Swapped in place: the parser's modules imported the function itself, not the module.
    json_path.extract_json.__code__ = extract_json.__code__


def _install_jsonata() -> None:
    import jsonata as jsonata_python
    from moto.stepfunctions.parser.asl.jsonata import jsonata as moto_jsonata

    def evaluate(expression: str) -> Any:
        try:
            result = jsonata_python.Jsonata(expression).evaluate(None)
        except Exception as error:
            raise moto_jsonata.JSONataException("UNKNOWN", str(error)) from error
        return json.loads(json.dumps(result)) if result is not None else None

    moto_jsonata._eval_jsonata = evaluate


def _install_time_scale() -> None:
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function import wait_function

    class ScaledTime:
        """The `time` the retrier sleeps with, on the local time scale."""

        def __getattr__(self, name: str) -> Any:
            return getattr(time, name)

        @staticmethod
        def sleep(seconds: float) -> None:
            time.sleep(seconds * time_scale())

    retrier_decl.time = ScaledTime()

    def wait_interval(self: Any, env: Any, wait_seconds: int) -> None:
        deadline = time.monotonic() + max(0, wait_seconds) * time_scale()
        while env.is_running() and (left := deadline - time.monotonic()) > 0:
            env.program_state_event.wait(left)

    wait_function.WaitFunction._wait_interval = wait_interval


class LoggingSession:
    """Writes an execution's history events to its state machine's log group, as Step Functions does."""

    def __init__(self, execution_arn: str, configuration: Any) -> None:
        from moto.stepfunctions.parser.asl.eval.event.logging import is_logging_enabled_for

        self.execution_arn = execution_arn
        self.configuration = configuration
        self._enabled_for = is_logging_enabled_for
        self._stream_ready = False

    def log_level_filter(self, history_event_type: Any) -> bool:
        return bool(self._enabled_for(self.configuration.log_level, history_event_type))

    def publish_history_log(self, history_log: dict[str, Any]) -> None:
        from moto.logs.models import logs_backends
        from moto.stepfunctions.parser.asl.utils.encoding import to_json_str

        config = self.configuration
        logs = logs_backends[config.log_account_id][config.log_region]
        moment = history_log["event_timestamp"]
        if isinstance(moment, str):
            from datetime import datetime

            moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        timestamp = int(moment.timestamp() * 1000)
        try:
            if not self._stream_ready:
                try:
                    logs.create_log_stream(config.log_group_name, config.log_stream_name)
                except Exception as error:  # the stream exists already (another execution made it)
                    if "ResourceAlreadyExists" not in type(error).__name__ + str(error):
                        raise
                self._stream_ready = True
            logs.put_log_events(
                config.log_group_name,
                config.log_stream_name,
                [{"timestamp": timestamp, "message": to_json_str(history_log)}],
            )
        except Exception as error:  # a missing group drops the log, as in AWS; the execution goes on
            print(f"stepfunctions: log of {self.execution_arn} not written: {error!r}", flush=True)


# An execution's end -> its AWS/States metric.
ENDED_METRICS = {
    "SUCCEEDED": "ExecutionsSucceeded",
    "FAILED": "ExecutionsFailed",
    "ABORTED": "ExecutionsAborted",
    "TIMED_OUT": "ExecutionsTimedOut",
}


def _install_execution_metrics() -> None:
    """ExecutionsStarted when an execution starts, and its end's metric when it ends (metrics.py)."""
    from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication, Execution

    from localcloud.core import metrics

    start, terminated = Execution.start, BaseExecutionWorkerCommunication.terminated

    def start_counted(self: Any) -> None:
        start(self)
        metrics.execution_metric(self.state_machine.arn, "ExecutionsStarted")

    def terminated_counted(self: Any) -> None:
        terminated(self)
        status = str(getattr(self.execution.exec_status, "value", self.execution.exec_status))
        if status in ENDED_METRICS:
            metrics.execution_metric(self.execution.state_machine.arn, ENDED_METRICS[status])

    Execution.start = start_counted
    BaseExecutionWorkerCommunication.terminated = terminated_counted


def _install_execution_logging() -> None:
    from moto.stepfunctions.parser.asl.eval.event.logging import CloudWatchLoggingConfiguration
    from moto.stepfunctions.parser.backend.execution import Execution

    start = Execution.start

    def start_with_logging(self: Any) -> None:
        if self._cloud_watch_logging_session is None:
            settings = dict(getattr(self.state_machine, "loggingConfiguration", None) or {})
            settings.setdefault("includeExecutionData", False)  # optional in the API, required by moto's reader
            configuration = CloudWatchLoggingConfiguration.from_logging_configuration(self.state_machine.arn, settings)
            if configuration is not None:
                self._cloud_watch_logging_session = LoggingSession(self.exec_arn, configuration)
        start(self)

    Execution.start = start_with_logging


def _validate(definition: str) -> list[dict[str, str]]:
    """Diagnostics for a definition, using moto's own ASL parser."""
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    try:
        AmazonStateLanguageParser.parse(definition)
    except Exception as exc:  # the parser raises assorted types; each is a diagnostic
        return [{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": str(exc)[:500], "location": "/"}]
    return []


def install() -> None:
    Response = sfn_responses.StepFunctionResponse

    def validate_state_machine_definition(self: Any) -> Any:
        diagnostics = _validate(self._get_param("definition"))
        return sfn_responses.ActionResult(
            {"result": "FAIL" if diagnostics else "OK", "diagnostics": diagnostics, "truncated": False}
        )

    def list_state_machine_versions(self: Any) -> Any:
        machine = self.stepfunction_backend.describe_state_machine(self._get_param("stateMachineArn"))
        versions = [
            {"stateMachineVersionArn": v.arn, "creationDate": v.creation_date}
            for _, v in sorted(getattr(machine, "versions", {}).items(), reverse=True)
        ]
        return sfn_responses.ActionResult({"stateMachineVersions": versions})

    Response.validate_state_machine_definition = validate_state_machine_definition
    Response.list_state_machine_versions = list_state_machine_versions

    create = sfn_models.StepFunctionBackend.create_state_machine

    def create_state_machine(self: Any, name: str, definition: str, roleArn: str, *args: Any, **kwargs: Any) -> Any:
        if not _trusted(roleArn, self.account_id, self.region_name):
            raise RoleNotAssumable()
        _check_logging(roleArn, kwargs.get("loggingConfiguration"))
        _install_execution_credentials()
        return create(self, name, definition, roleArn, *args, **kwargs)

    sfn_models.StepFunctionBackend.create_state_machine = create_state_machine

    update = sfn_models.StepFunctionBackend.update_state_machine

    def update_state_machine(self: Any, arn: str, *args: Any, **kwargs: Any) -> Any:
        machine = self.describe_state_machine(arn)
        role = kwargs.get("role_arn") or machine.roleArn
        logging = kwargs.get("logging_configuration") or getattr(machine, "loggingConfiguration", None)
        _check_logging(str(role), logging)
        return update(self, arn, *args, **kwargs)

    sfn_models.StepFunctionBackend.update_state_machine = update_state_machine

    def start_sync_execution(self: Any) -> Any:
        answer = self.stepfunction_backend.start_sync_execution(
            self._get_param("stateMachineArn"), self._get_param("name"), self._get_param("input", if_none="{}")
        )
        return sfn_responses.ActionResult({k: v for k, v in answer.items() if v is not None})

    Response.start_sync_execution = start_sync_execution

    def send_task_failure(self: Any) -> Any:
        """SendTaskFailure keeps its cause (moto's handler dropped it)."""
        self.stepfunction_backend.send_task_failure(
            self._get_param("taskToken"), error=self._get_param("error"), cause=self._get_param("cause")
        )
        return sfn_responses.EmptyResult()

    Response.send_task_failure = send_task_failure

    machine_init = sfn_models.StateMachine.__init__

    def state_machine_init(self: Any, *args: Any, **kwargs: Any) -> None:
        """Executions run as the machine's type (moto ran every one as STANDARD)."""
        machine_init(self, *args, **kwargs)
        self.sm_type = self.type

    sfn_models.StateMachine.__init__ = state_machine_init

    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    start = StepFunctionsParserBackend.start_execution

    def start_execution(self: Any, state_machine_arn: str, name: Any = None, *args: Any, **kwargs: Any) -> Any:
        return start(self, state_machine_arn, name or str(uuid.uuid4()), *args, **kwargs)

    StepFunctionsParserBackend.start_execution = start_execution

    def start_sync_execution(self: Any, state_machine_arn: str, name: Any = None, execution_input: str = "{}") -> Any:
        """An EXPRESS workflow run to its end within the request, as StartSyncExecution does."""
        import copy
        import datetime
        import json as json_module

        from moto.stepfunctions.parser.backend.execution import SyncExecution

        machine = self.describe_state_machine(state_machine_arn)
        if machine.type != "EXPRESS":
            raise StateMachineTypeNotSupported()
        try:
            json_module.loads(execution_input)
        except ValueError as error:
            raise sfn_models.InvalidExecutionInput(str(error)) from error
        name = name or str(uuid.uuid4())
        clone = copy.deepcopy(machine, {id(machine.executions): [], id(machine.backend): machine.backend})
        arn = (
            f"arn:{self.partition}:states:{self.region_name}:{self.account_id}:express:{machine.name}:{name}:"
            f"{uuid.uuid4()}"
        )
        execution = SyncExecution(
            name=name,
            sm_type=clone.sm_type,
            role_arn=clone.roleArn,
            exec_arn=arn,
            account_id=self.account_id,
            region_name=self.region_name,
            state_machine=clone,
            start_date=datetime.datetime.now(tz=datetime.UTC),
            cloud_watch_logging_session=None,
            input_data=execution_input,
            trace_header=None,
            activity_store={},
        )
        _install_execution_credentials()
        execution.start()
        answer = dict(execution.to_start_sync_execution_output())
        answer["status"] = str(getattr(answer.get("status"), "value", answer.get("status")))
        answer.pop("inputDetails", None)
        answer.pop("outputDetails", None)
        return answer

    StepFunctionsParserBackend.start_sync_execution = start_sync_execution
