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

CreateLogGroup with a KMS key whose policy does not let CloudWatch Logs use it for this group is
refused: ``AccessDeniedException: The specified KMS key does not exist or is not allowed to be used
with Arn '<log group ARN>'``.

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

from .. import iam, kms_use
from .authorization import _queue_policy, find_queue


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
            resource_policy=_queue_policy(queue_arn)(),
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
    from .. import event_filter

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
    from .authorization import _bus_policy, _function_policy, _topic_policy

    service = target_arn.split(":")[2] if target_arn.count(":") >= 5 else ""
    if service not in DELIVERY_ACTIONS:
        return True  # not a target Lambda writes to itself (moto validates the ARN's form)
    readers = {"sqs": _queue_policy, "sns": _topic_policy, "lambda": _function_policy, "events": _bus_policy}
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


VPC_ACTIONS = ("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface")


def check_vpc(account: str, region: str, role_arn: str, config: dict[str, Any] | None) -> str | None:
    """The VPC of a function's VpcConfig (None when it has none), or InvalidParameterValueException."""
    from moto.ec2.models import ec2_backends

    subnets, groups = list((config or {}).get("SubnetIds") or []), list((config or {}).get("SecurityGroupIds") or [])
    if not subnets and not groups:
        return None
    role = iam.role_by_arn(role_arn)
    if role is not None:
        identity = iam.poller_identity(role_arn)
        for action in VPC_ACTIONS:
            if not iam.decide(identity, action, "*").allowed:
                raise InvalidParameterValueException(
                    f"The provided execution role does not have permissions to call {action.split(':')[1]} on EC2"
                )
    ec2 = ec2_backends[account][region]
    vpcs = set()
    for subnet_id in subnets:
        try:
            vpcs.add(ec2.get_subnet(subnet_id).vpc_id)
        except Exception:
            raise InvalidParameterValueException(
                f"Error occurred while DescribeSubnets. EC2 Error Code: InvalidSubnetID.NotFound. EC2 Error Message: "
                f"The subnet ID '{subnet_id}' does not exist"
            ) from None
    for group_id in groups:
        group = ec2.get_security_group_from_id(group_id)
        if group is None:
            raise InvalidParameterValueException(
                f"Error occurred while DescribeSecurityGroups. EC2 Error Code: InvalidGroup.NotFound. EC2 Error "
                f"Message: The security group '{group_id}' does not exist"
            )
        vpcs.add(group.vpc_id)
    if len(vpcs) > 1:
        raise InvalidParameterValueException(
            f"Security groups and subnets must belong to the same VPC: {', '.join(sorted(vpcs))}"
        )
    return vpcs.pop()


def check_trust(spec: dict[str, Any], account: str) -> None:
    role = iam.role_by_arn(str(spec.get("Role", "")))
    if role is None:
        return  # moto refuses a missing role itself, with the same message
    if not iam.trusts(role, "lambda.amazonaws.com", source_account=account):
        raise InvalidParameterValueException("The role defined for the function cannot be assumed by Lambda.")


MAX_NAME = 64


def too_long(value: str, field: str) -> str | None:
    if len(value) <= MAX_NAME:
        return None
    return (
        f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: "
        f"Member must have length less than or equal to {MAX_NAME}"
    )


LOGS_KEY_ACTIONS = ("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey")


def check_log_group_key(backend: Any, name: str, key_id: str | None) -> None:
    if not key_id:
        return
    from moto.core.exceptions import JsonRESTError

    region, account = backend.region_name, backend.account_id
    arn = f"arn:aws:logs:{region}:{account}:log-group:{name}"
    key = kms_use.resolve(key_id, account, region)
    if key is None or not kms_use.service_may_use(
        f"logs.{region}.amazonaws.com", key, LOGS_KEY_ACTIONS, context={"kms:EncryptionContext:aws:logs:arn": arn}
    ):
        raise JsonRESTError(
            "AccessDeniedException",
            f"The specified KMS key does not exist or is not allowed to be used with Arn '{arn}'",
        )


def install() -> None:
    from moto.logs import models as logs_models

    create_log_group = logs_models.LogsBackend.create_log_group

    def checked_create_log_group(self: Any, log_group_name: str, tags: dict[str, str], **kwargs: Any) -> Any:
        check_log_group_key(self, log_group_name, kwargs.get("kmsKeyId"))
        return create_log_group(self, log_group_name, tags, **kwargs)

    logs_models.LogsBackend.create_log_group = checked_create_log_group
    Backend = lambda_models.LambdaBackend
    create = Backend.create_event_source_mapping
    create_function = Backend.create_function
    create_role = iam_models.IAMBackend.create_role

    def checked_create_function(self: Any, spec: dict[str, Any]) -> Any:
        name = str(spec.get("FunctionName", ""))
        message = None if name.startswith("arn:") else too_long(name, "functionName")
        if message:
            raise InvalidParameterValueException(message)
        check_trust(spec, self.account_id)
        check_dead_letter(str(spec.get("Role", "")), spec.get("DeadLetterConfig"))
        vpc_id = check_vpc(self.account_id, self.region_name, str(spec.get("Role", "")), spec.get("VpcConfig"))
        function = create_function(self, spec)
        function.localcloud_vpc_id = vpc_id
        return function

    update_configuration = Backend.update_function_configuration

    def checked_update_configuration(self: Any, function_name: str, qualifier: str, body: dict[str, Any]) -> Any:
        if body.get("DeadLetterConfig"):
            role = body.get("Role") or self.get_function(function_name, qualifier).role
            check_dead_letter(str(role), body["DeadLetterConfig"])
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

    def checked_create_role(self: Any, role_name: str, *args: Any, **kwargs: Any) -> Any:
        message = too_long(role_name, "roleName")
        if message:
            raise ValidationError(message)
        return create_role(self, role_name, *args, **kwargs)

    Backend.create_function = checked_create_function

    def vpc_config(self: Any) -> dict[str, Any] | None:
        if not self._vpc_config or not (self._vpc_config.get("SubnetIds") or self._vpc_config.get("SecurityGroupIds")):
            return None
        return {**self._vpc_config, "VpcId": getattr(self, "localcloud_vpc_id", None) or ""}

    lambda_models.LambdaFunction.vpc_config = property(vpc_config)
    iam_models.IAMBackend.create_role = checked_create_role

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
