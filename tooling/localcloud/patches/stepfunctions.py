"""Step Functions as AWS runs it, where moto differs.

- Calls the provider makes and moto lacks (the provider retries a
  NotImplemented answer forever, so apply, plan and destroy hang):
  `ValidateStateMachineDefinition`, `ListStateMachineVersions`.
- A state machine's role must trust `states.amazonaws.com`, or
  `CreateStateMachine` is refused (`AccessDeniedException: Neither the global
  service principal states.amazonaws.com, nor the regional one is authorized
  to assume the provided role.`).
- `StartExecution` without a name gets a UUID as AWS names it (moto's
  interpreter named it `None`, so a second unnamed start collided).
- An execution calls services (Lambda tasks, SDK integrations) as a session of
  its state machine's role (or of a task's `Credentials.RoleArn`), so a task
  the role may not perform fails as in AWS; moto called them with fixed keys.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

from moto.stepfunctions import models as sfn_models
from moto.stepfunctions import responses as sfn_responses
from moto.stepfunctions.exceptions import AWSError

from .. import iam


class RoleNotAssumable(AWSError):
    TYPE = "AccessDeniedException"
    STATUS = 400

    def __init__(self) -> None:
        super().__init__("Neither the global service principal states.amazonaws.com, nor the regional one is "
                         "authorized to assume the provided role.")


def _trusted(role_arn: str, account: str) -> bool:
    role = iam.role_by_arn(role_arn)
    return role is not None and iam.trusts(role, "states.amazonaws.com", source_account=account)


_PARSER = "moto.stepfunctions.parser.asl.component.state.exec."
# The parser's modules that import boto_client_for by name (moto 5.2.5).
_CLIENT_USERS = [f"{_PARSER}state_task.lambda_eval_utils",
                 f"{_PARSER}state_map.result_writer.resource_eval.resource_eval_s3",
                 f"{_PARSER}state_map.item_reader.eval.resource_eval_s3",
                 *(f"{_PARSER}state_task.service.state_task_service_{kind}" for kind in (
                     "unsupported", "glue", "events", "ecs", "sqs", "sfn", "dynamodb", "batch", "sns", "aws_sdk"))]
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
    _patched.set()


def _validate(definition: str) -> list[dict[str, str]]:
    """Diagnostics for a definition, using moto's own ASL parser."""
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    try:
        AmazonStateLanguageParser.parse(definition)
    except Exception as exc:  # the parser raises assorted types; each is a diagnostic
        return [{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": str(exc)[:500],
                 "location": "/"}]
    return []


def install() -> None:
    Response = sfn_responses.StepFunctionResponse

    def validate_state_machine_definition(self: Any) -> Any:
        diagnostics = _validate(self._get_param("definition"))
        return sfn_responses.ActionResult({"result": "FAIL" if diagnostics else "OK",
                                           "diagnostics": diagnostics, "truncated": False})

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
        if not _trusted(roleArn, self.account_id):
            raise RoleNotAssumable()
        _install_execution_credentials()
        return create(self, name, definition, roleArn, *args, **kwargs)

    sfn_models.StepFunctionBackend.create_state_machine = create_state_machine

    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    start = StepFunctionsParserBackend.start_execution

    def start_execution(self: Any, state_machine_arn: str, name: Any = None, *args: Any, **kwargs: Any) -> Any:
        return start(self, state_machine_arn, name or str(uuid.uuid4()), *args, **kwargs)

    StepFunctionsParserBackend.start_execution = start_execution
