"""Validation AWS does when a resource is created, which moto skips (so a module passed locally and
failed at apply in AWS).

CreateEventSourceMapping with an SQS queue:
- a queue whose visibility timeout is below the function's timeout is refused:
  ``Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds``;
- a batch size over 10 needs a batching window:
  ``Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10``,
  and a FIFO queue takes no batching window (``Batching window is not supported for FIFO queues``),
  so its batches stay at 10 or fewer.
Both are ``InvalidParameterValueException`` (400), as Lambda answers them.

The function's execution role, as Lambda checks it before it will poll for the function:
- an SQS mapping needs the role to be allowed ``sqs:ReceiveMessage``, ``sqs:DeleteMessage`` and
  ``sqs:GetQueueAttributes`` on the queue (its own policies, or the queue policy naming it):
  ``The function execution role does not have permissions to call ReceiveMessage on SQS``;
- a DynamoDB stream mapping needs ``GetRecords``, ``GetShardIterator``, ``DescribeStream`` and
  ``ListStreams`` on the stream: ``Cannot access stream <arn>. Please ensure the role can perform the
  GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM.``
  (a Kinesis mapping: ``ListShards`` in place of ``ListStreams``);
- a mapping's filters must parse (``Invalid filter pattern definition.``, at most 5), and its on-failure
  destination must be one the role may send to, on create and update;
- CreateFunction needs a role whose trust policy lets ``lambda.amazonaws.com`` assume it:
  ``The role defined for the function cannot be assumed by Lambda.``

A function attached to a VPC (CreateFunction, UpdateFunctionConfiguration with ``VpcConfig``):
- its role must be allowed ``ec2:CreateNetworkInterface``, ``ec2:DescribeNetworkInterfaces`` and
  ``ec2:DeleteNetworkInterface``: ``The provided execution role does not have permissions to call
  CreateNetworkInterface on EC2``;
- its subnets and security groups must exist (EC2's ``InvalidSubnetID.NotFound`` /
  ``InvalidGroup.NotFound``, as Lambda relays them) and belong to one VPC, which the function's
  configuration then names (moto answered a fixed ``vpc-123abc``).

A function with active tracing (``TracingConfig`` ``Active``, on create and update) needs a role allowed
``xray:PutTraceSegments`` and ``xray:PutTelemetryRecords``: ``The provided execution role does not have
permissions to call PutTraceSegments on XRAY``.

A function name in CreateFunction is capped at 64 characters (moto takes any length):
``InvalidParameterValueException`` ``1 validation error detected: Value '<name>' at 'functionName' failed
to satisfy constraint: Member must have length less than or equal to 64``.
"""

from __future__ import annotations

from typing import Any

from moto.awslambda import models as lambda_models
from moto.awslambda.exceptions import InvalidParameterValueException

from localcloud.core import iam
from localcloud.core.authorization import find_queue, queue_policy
from localcloud.core.names import too_long
from localcloud.core.network import check_vpc


def check_sqs_mapping(backend: Any, spec: dict[str, Any]) -> None:
    queue = find_queue(str(spec.get("EventSourceArn", "")))
    if queue is None:
        return  # not an SQS source (or none): moto's own checks answer
    batch_size = int(spec.get("BatchSize") or 10)
    window = int(spec.get("MaximumBatchingWindowInSeconds") or 0)
    if str(spec.get("EventSourceArn", "")).endswith(".fifo") and window > 0:
        raise InvalidParameterValueException("Batching window is not supported for FIFO queues")
    if batch_size > 10 and window <= 0:
        raise InvalidParameterValueException(
            "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"
        )
    function = backend._lambdas.get_function_by_name_or_arn_with_qualifier(spec.get("FunctionName", ""))
    visibility, timeout = int(queue.visibility_timeout), int(function.timeout)
    if visibility < timeout:
        raise InvalidParameterValueException(
            f"Queue visibility timeout: {visibility} seconds is less than Function timeout: {timeout} seconds"
        )
    role = iam.poller_identity(str(function.role))
    queue_arn = str(spec["EventSourceArn"])
    for action in ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes"):
        decision = iam.decide(
            role,
            f"sqs:{action}",
            queue_arn,
            resource_policy=queue_policy(queue_arn)(),
            resource_account=queue_arn.split(":")[4],
        )
        if not decision.allowed:
            raise InvalidParameterValueException(
                f"The function execution role does not have permissions to call {action} on SQS"
            )
    check_mapping_settings(str(function.role), spec)


STREAM_ACTIONS = ("GetRecords", "GetShardIterator", "DescribeStream", "ListStreams")
KINESIS_ACTIONS = ("GetRecords", "GetShardIterator", "DescribeStream", "ListShards")


def check_stream_mapping(backend: Any, spec: dict[str, Any]) -> None:
    stream_arn = str(spec.get("EventSourceArn", ""))
    if ":dynamodb:" in stream_arn and "/stream/" in stream_arn:
        service, actions = "dynamodb", STREAM_ACTIONS
    elif ":kinesis:" in stream_arn and ":stream/" in stream_arn:
        service, actions = "kinesis", KINESIS_ACTIONS
    else:
        return
    function = backend._lambdas.get_function_by_name_or_arn_with_qualifier(spec.get("FunctionName", ""))
    role = iam.poller_identity(str(function.role))
    for action in actions:
        if not iam.decide(role, f"{service}:{action}", stream_arn).allowed:
            raise InvalidParameterValueException(
                f"Cannot access stream {stream_arn}. Please ensure the role can perform the "
                f"{', '.join(actions[:-1])}, and {actions[-1]} Actions on your stream in IAM."
            )
    check_mapping_settings(str(function.role), spec)


def check_mapping_settings(role_arn: str, spec: dict[str, Any]) -> None:
    """Settings a create or update names: its filters parse, and its on-failure destination is one Lambda
    delivers to (SQS or SNS here) and the role may write to."""
    from localcloud.lambda_ import event_filter

    if spec.get("FilterCriteria") is not None:
        try:
            event_filter.parse(spec["FilterCriteria"])
        except event_filter.InvalidFilter as error:
            raise InvalidParameterValueException(str(error)) from error
    target = str((((spec.get("DestinationConfig") or {}).get("OnFailure")) or {}).get("Destination") or "")
    if not target:
        return
    service = target.split(":")[2] if target.count(":") >= 5 else ""
    if service not in ("sqs", "sns"):
        raise InvalidParameterValueException(
            f"LocalCloud.Unsupported: the local cloud delivers a mapping's failed batches to SQS queues and SNS "
            f"topics only, not {target}"
        )
    check_destinations(role_arn, spec)


# What Lambda calls, as the function's execution role, to hand a record to a destination or dead-letter target.
DELIVERY_ACTIONS = {"sqs": "SendMessage", "sns": "Publish", "lambda": "InvokeFunction", "events": "PutEvents"}


def role_may_deliver(role_arn: str, target_arn: str) -> bool:
    from localcloud.core.authorization import bus_policy, function_policy, topic_policy

    service = target_arn.split(":")[2] if target_arn.count(":") >= 5 else ""
    if service not in DELIVERY_ACTIONS:
        return True  # not a target Lambda writes to itself (moto validates the ARN's form)
    readers = {"sqs": queue_policy, "sns": topic_policy, "lambda": function_policy, "events": bus_policy}
    decision = iam.decide(
        iam.poller_identity(role_arn),
        f"{service}:{DELIVERY_ACTIONS[service]}",
        target_arn,
        resource_policy=readers[service](target_arn)(),
        resource_account=target_arn.split(":")[4],
    )
    return decision.allowed


def check_dead_letter(role_arn: str, config: dict[str, Any] | None) -> None:
    target = str((config or {}).get("TargetArn") or "")
    if not target or role_may_deliver(role_arn, target):
        return
    service = target.split(":")[2]
    raise InvalidParameterValueException(
        f"The provided execution role does not have permissions to call "
        f"{DELIVERY_ACTIONS[service]} on {service.upper()}"
    )


def check_destinations(role_arn: str, config: dict[str, Any]) -> None:
    for condition in ("OnSuccess", "OnFailure"):
        target = str(((config.get("DestinationConfig") or {}).get(condition) or {}).get("Destination") or "")
        if target and not role_may_deliver(role_arn, target):
            raise InvalidParameterValueException(
                f"The function's execution role does not have permissions to call "
                f"{DELIVERY_ACTIONS[target.split(':')[2]]} on {target}"
            )


def check_tracing(role_arn: str, config: dict[str, Any] | None) -> None:
    if (config or {}).get("Mode") != "Active":
        return
    identity = iam.poller_identity(role_arn)
    for action in ("PutTraceSegments", "PutTelemetryRecords"):
        if not iam.decide(identity, f"xray:{action}", "*").allowed:
            raise InvalidParameterValueException(
                f"The provided execution role does not have permissions to call {action} on XRAY"
            )


def check_trust(spec: dict[str, Any], account: str) -> None:
    role = iam.role_by_arn(str(spec.get("Role", "")))
    if role is None:
        return  # moto refuses a missing role itself, with the same message
    if not iam.trusts(role, "lambda.amazonaws.com", source_account=account):
        raise InvalidParameterValueException("The role defined for the function cannot be assumed by Lambda.")


def install() -> None:
    Backend = lambda_models.LambdaBackend
    create = Backend.create_event_source_mapping
    create_function = Backend.create_function

    def checked_create_function(self: Any, spec: dict[str, Any]) -> Any:
        name = str(spec.get("FunctionName", ""))
        message = None if name.startswith("arn:") else too_long(name, "functionName")
        if message:
            raise InvalidParameterValueException(message)
        check_trust(spec, self.account_id)
        check_dead_letter(str(spec.get("Role", "")), spec.get("DeadLetterConfig"))
        check_tracing(str(spec.get("Role", "")), spec.get("TracingConfig"))
        vpc_id = check_vpc(self.account_id, self.region_name, str(spec.get("Role", "")), spec.get("VpcConfig"))
        function = create_function(self, spec)
        function.localcloud_vpc_id = vpc_id
        return function

    update_configuration = Backend.update_function_configuration

    def checked_update_configuration(self: Any, function_name: str, qualifier: str, body: dict[str, Any]) -> Any:
        if body.get("DeadLetterConfig"):
            role = body.get("Role") or self.get_function(function_name, qualifier).role
            check_dead_letter(str(role), body["DeadLetterConfig"])
        if body.get("TracingConfig") or body.get("Role"):
            current = self.get_function(function_name, qualifier)
            tracing = body.get("TracingConfig") or current.tracing_config
            check_tracing(str(body.get("Role") or current.role), tracing)
        vpc_id = None
        if "VpcConfig" in body:
            role = body.get("Role") or self.get_function(function_name, qualifier).role
            vpc_id = check_vpc(self.account_id, self.region_name, str(role), body["VpcConfig"])
        answer = update_configuration(self, function_name, qualifier, body)
        if "VpcConfig" in body:
            self.get_function(function_name, qualifier).localcloud_vpc_id = vpc_id
        return answer

    def put_event_invoke_config(self: Any, function_name: str, config: dict[str, Any]) -> dict[str, Any]:
        """PutFunctionEventInvokeConfig replaces the function's config (moto appended, and read the first)."""
        fn = self.get_function(function_name)
        check_destinations(str(fn.role), config)
        event_config = lambda_models.EventInvokeConfig(fn.function_arn, fn.last_modified, config)
        fn.event_invoke_config = [event_config]
        return event_config.response()

    def update_event_invoke_config(self: Any, function_name: str, config: dict[str, Any]) -> dict[str, Any]:
        """UpdateFunctionEventInvokeConfig changes only the settings it names."""
        fn = self.get_function(function_name)
        merged = dict(fn.event_invoke_config[-1].config) if fn.event_invoke_config else {}
        merged.update({k: v for k, v in config.items() if k != "FunctionName"})
        return put_event_invoke_config(self, function_name, merged)

    Backend.update_function_configuration = checked_update_configuration
    Backend.put_function_event_invoke_config = put_event_invoke_config
    Backend.update_function_event_invoke_config = update_event_invoke_config

    Backend.create_function = checked_create_function

    def vpc_config(self: Any) -> dict[str, Any] | None:
        if not self._vpc_config or not (self._vpc_config.get("SubnetIds") or self._vpc_config.get("SecurityGroupIds")):
            return None
        return {**self._vpc_config, "VpcId": getattr(self, "localcloud_vpc_id", None) or ""}

    lambda_models.LambdaFunction.vpc_config = property(vpc_config)

    def create_event_source_mapping(self: Any, spec: dict[str, Any]) -> Any:
        if spec.get("EventSourceArn") and spec.get("FunctionName"):
            check_sqs_mapping(self, spec)
            check_stream_mapping(self, spec)
        return create(self, spec)

    update_mapping = Backend.update_event_source_mapping

    def update_event_source_mapping(self: Any, uuid: str, spec: dict[str, Any]) -> Any:
        esm = self.get_event_source_mapping(uuid)
        if esm is not None:
            function = self._lambdas.get_function_by_name_or_arn_with_qualifier(
                spec.get("FunctionName") or esm.function_arn
            )
            check_mapping_settings(str(function.role), spec)
        return update_mapping(self, uuid, spec)

    Backend.create_event_source_mapping = create_event_source_mapping
    Backend.update_event_source_mapping = update_event_source_mapping
