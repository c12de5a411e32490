"""Validation AWS does when a resource is created, which moto skips (so a module passed locally and
failed at apply in AWS).

CreateEventSourceMapping with an SQS queue:
- a queue whose visibility timeout is below the function's timeout is refused:
  ``Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds``;
- a batch size over 10 needs a batching window:
  ``Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10``.
Both are ``InvalidParameterValueException`` (400), as Lambda answers them.

Names AWS caps at 64 characters (moto takes any length): a function name in CreateFunction
(``InvalidParameterValueException``) and a role name in CreateRole (IAM's ``ValidationError``), each
``1 validation error detected: Value '<name>' at '<field>' failed to satisfy constraint: Member must
have length less than or equal to 64``.
"""

from __future__ import annotations

from typing import Any

from moto.awslambda import models as lambda_models
from moto.awslambda.exceptions import InvalidParameterValueException
from moto.iam import models as iam_models
from moto.iam.exceptions import ValidationError
from moto.sqs import sqs_backends


def _queue(arn: str) -> Any | None:
    parts = arn.split(":")
    if len(parts) != 6 or parts[2] != "sqs":
        return None
    return sqs_backends[parts[4]][parts[3]].queues.get(parts[5])


def check_sqs_mapping(backend: Any, spec: dict[str, Any]) -> None:
    queue = _queue(str(spec.get("EventSourceArn", "")))
    if queue is None:
        return  # not an SQS source (or none): moto's own checks answer
    batch_size = int(spec.get("BatchSize") or 10)
    window = int(spec.get("MaximumBatchingWindowInSeconds") or 0)
    if batch_size > 10 and window <= 0:
        raise InvalidParameterValueException(
            "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
    function = backend._lambdas.get_function_by_name_or_arn_with_qualifier(spec.get("FunctionName", ""))
    visibility, timeout = int(queue.visibility_timeout), int(function.timeout)
    if visibility < timeout:
        raise InvalidParameterValueException(
            f"Queue visibility timeout: {visibility} seconds is less than Function timeout: {timeout} seconds")


MAX_NAME = 64


def too_long(value: str, field: str) -> str | None:
    if len(value) <= MAX_NAME:
        return None
    return (f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {MAX_NAME}")


def install() -> None:
    Backend = lambda_models.LambdaBackend
    create = Backend.create_event_source_mapping
    create_function = Backend.create_function
    create_role = iam_models.IAMBackend.create_role

    def checked_create_function(self: Any, spec: dict[str, Any]) -> Any:
        name = str(spec.get("FunctionName", ""))
        message = None if name.startswith("arn:") else too_long(name, "functionName")
        if message:
            raise InvalidParameterValueException(message)
        return create_function(self, spec)

    def checked_create_role(self: Any, role_name: str, *args: Any, **kwargs: Any) -> Any:
        message = too_long(role_name, "roleName")
        if message:
            raise ValidationError(message)
        return create_role(self, role_name, *args, **kwargs)

    Backend.create_function = checked_create_function
    iam_models.IAMBackend.create_role = checked_create_role

    def create_event_source_mapping(self: Any, spec: dict[str, Any]) -> Any:
        if spec.get("EventSourceArn") and spec.get("FunctionName"):
            check_sqs_mapping(self, spec)
        return create(self, spec)

    Backend.create_event_source_mapping = create_event_source_mapping
