"""Lambda configuration moto drops, which Terraform then sees as a permanent diff.

moto neither stores nor returns DeadLetterConfig and LoggingConfig, and its
UpdateFunctionConfiguration ignores TracingConfig and KMSKeyArn.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import UTC
from typing import Any

from moto.awslambda import models as lambda_models
from moto.awslambda import responses as lambda_responses

KEPT = {
    "DeadLetterConfig": "dead_letter_config",
    "LoggingConfig": "logging_config",
}


def _logging_config(fn: Any, value: dict | None) -> dict:
    config = {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{fn.function_name}"}
    config.update(value or {})
    return config


def install() -> None:
    Function = lambda_models.LambdaFunction
    original_init = Function.__init__
    original_get_configuration = Function.get_configuration
    original_update_configuration = Function.update_configuration

    def __init__(self: Any, account_id: str, spec: dict[str, Any], region: str, version: Any = 1) -> None:
        original_init(self, account_id, spec, region, version)
        self.dead_letter_config = spec.get("DeadLetterConfig") or None
        self.logging_config = _logging_config(self, spec.get("LoggingConfig"))

    def get_configuration(self: Any, on_create: bool = False) -> dict[str, Any]:
        config = original_get_configuration(self, on_create)
        if getattr(self, "dead_letter_config", None) and self.dead_letter_config.get("TargetArn"):
            config["DeadLetterConfig"] = self.dead_letter_config
        config["LoggingConfig"] = getattr(self, "logging_config", None) or _logging_config(self, None)
        return config

    def update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
        if "DeadLetterConfig" in config_updates:
            self.dead_letter_config = config_updates["DeadLetterConfig"] or None
        if "LoggingConfig" in config_updates:
            self.logging_config = _logging_config(self, config_updates["LoggingConfig"])
        if "TracingConfig" in config_updates:
            self.tracing_config = config_updates["TracingConfig"]
        if "KMSKeyArn" in config_updates:
            self.kms_key_arn = config_updates["KMSKeyArn"] or None
        return original_update_configuration(self, config_updates)

    Function.__init__ = __init__
    Function.get_configuration = get_configuration
    Function.update_configuration = update_configuration


def install_provisioned_concurrency() -> None:
    """Put/Get/DeleteProvisionedConcurrencyConfig: moto has no route for them (HTML 404 to the SDK).

    Configs are kept per function and qualifier and are always READY at once:
    locally every invocation may start a worker anyway.
    """
    import json
    from datetime import datetime
    from urllib.parse import unquote

    from moto.awslambda import urls
    from moto.awslambda.responses import LambdaResponse

    store: dict[tuple[str, str, str, str], dict[str, Any]] = {}

    def key(self: Any) -> tuple[str, str, str, str]:
        function_name = unquote(self.path.split("/")[-2]).split(":")[-1]
        self.backend.get_function(function_name)  # raises the usual not-found error
        return self.current_account, self.region, function_name, self._get_param("Qualifier") or ""

    def not_found(self: Any) -> tuple[int, dict[str, str], str]:
        body = {"Type": "User", "message": "No Provisioned Concurrency Config found for this function"}
        # moto answers with the "status" header, not the tuple's code
        return (
            404,
            {
                "status": "404",
                "x-amzn-errortype": "ProvisionedConcurrencyConfigNotFoundException",
                "content-type": "application/json",
            },
            json.dumps(body),
        )

    def put_provisioned_concurrency_config(self: Any) -> tuple[int, dict[str, str], str]:
        requested = int(json.loads(self.body)["ProvisionedConcurrentExecutions"])
        config = {
            "RequestedProvisionedConcurrentExecutions": requested,
            "AvailableProvisionedConcurrentExecutions": requested,
            "AllocatedProvisionedConcurrentExecutions": requested,
            "Status": "READY",
            "LastModified": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        store[key(self)] = config
        return 202, {"status": "202", "content-type": "application/json"}, json.dumps(config)

    def get_provisioned_concurrency_config(self: Any) -> tuple[int, dict[str, str], str]:
        config = store.get(key(self))
        return (200, {"content-type": "application/json"}, json.dumps(config)) if config else not_found(self)

    def delete_provisioned_concurrency_config(self: Any) -> tuple[int, dict[str, str], str]:
        return (204, {"status": "204"}, "") if store.pop(key(self), None) else not_found(self)

    LambdaResponse.put_provisioned_concurrency_config = put_provisioned_concurrency_config
    LambdaResponse.get_provisioned_concurrency_config = get_provisioned_concurrency_config
    LambdaResponse.delete_provisioned_concurrency_config = delete_provisioned_concurrency_config
    urls.url_paths[r"{0}/(?P<api_version>[^/]+)/functions/(?P<function_name>[\w_:%-]+)/provisioned-concurrency/?$"] = (
        LambdaResponse.dispatch
    )


def install_create_function_retry_answer() -> None:
    """CreateFunction answers an SDK retry of itself with its first answer, not 409.

    An SDK retries a call whose answer it did not get (a reset connection under load), with
    the same ``amz-sdk-invocation-id``; the function exists by then, so moto answered 409 and
    the provider, which retries ResourceConflictException for a minute, failed the apply. A
    CreateFunction of another call (another invocation id) for an existing name still gets
    409, as in AWS. Creates are also serialized, so two of one name cannot both pass moto's
    existence check.
    """
    original = lambda_responses.LambdaResponse.create_function
    answers: OrderedDict[str, tuple[str, Any]] = OrderedDict()
    lock = threading.Lock()

    def create_function(self: Any) -> Any:
        invocation = self.headers.get("amz-sdk-invocation-id")
        name = str(self.json_body.get("FunctionName", "")).rsplit(":", 1)[-1]
        with lock:
            if invocation and invocation in answers and answers[invocation][0] == name:
                return answers[invocation][1]
            answer = original(self)
            if invocation:
                answers[invocation] = (name, answer)
                while len(answers) > 1000:
                    answers.popitem(last=False)
            return answer

    lambda_responses.LambdaResponse.create_function = create_function


def install_permission_principals() -> None:
    """AddPermission writes the principal as AWS does: an account id becomes its `:root` ARN and any other
    ARN an AWS principal (moto kept them as bare strings, which no policy evaluation can match)."""
    from moto.awslambda.policy import Policy

    original = Policy.principal_formatter

    def principal_formatter(self: Any, obj: Any) -> Any:
        if isinstance(obj, str) and obj.isdigit() and len(obj) == 12:
            partition = str(getattr(self.parent, "function_arn", "arn:aws:")).split(":")[1]
            return {"AWS": f"arn:{partition}:iam::{obj}:root"}
        if isinstance(obj, str) and obj.startswith("arn:"):
            return {"AWS": obj}
        return original(self, obj)

    Policy.principal_formatter = principal_formatter


def install_serialized_permissions() -> None:
    """AddPermission and RemovePermission change a function's policy one at a time, as Lambda does. moto
    removed a statement while iterating the list another removal was shrinking: with Terraform deleting a
    function's permissions in parallel, one removal could miss its statement, answer 404, and leave it in
    place (the provider then waited for it to go: "waiting for Lambda Permission ... delete: found resource")."""
    import threading

    from moto.awslambda.policy import Policy

    lock = threading.Lock()
    add_statement, del_statement = Policy.add_statement, Policy.del_statement

    def serialized_add(self: Any, *args: Any, **kwargs: Any) -> Any:
        with lock:
            return add_statement(self, *args, **kwargs)

    def serialized_del(self: Any, *args: Any, **kwargs: Any) -> Any:
        with lock:
            return del_statement(self, *args, **kwargs)

    Policy.add_statement = serialized_add
    Policy.del_statement = serialized_del
