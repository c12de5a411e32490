"""Every request signed with credentials the local cloud issued is authorized as AWS authorizes it.

moto stores IAM policies but evaluates none of them (its own access control
checks identity policies against `Resource: *` only, and needs every request
signed by a known key). Here each request made with a role session (a Lambda
function's execution role, an STS `AssumeRole` session) or an IAM user's key
is decided by `iam.decide`: the request's IAM action, the ARN of each resource
it touches, the condition keys it sets, and the resource's own policy (queue,
topic, bucket, function, event bus, key, role trust policy). A refusal is the
service's own error with AWS's message, for example DynamoDB's
`AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/R/F is
not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:...
because no identity-based policy allows the dynamodb:PutItem action`.

Requests signed with the local cloud's root credentials (Terraform, tests)
are the administrator's and are not evaluated here.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult, BaseResponse

from localcloud.core import iam, kms, policy
from localcloud.sns.topics import find_topic

ResourcePolicy = Callable[[], "dict[str, Any] | None"]


@dataclass
class Check:
    """One authorization AWS makes for a request: an action on a resource."""

    action: str
    resource: str
    resource_policy: ResourcePolicy | None = None
    strict: bool = False  # the resource policy must allow (KMS key policies, role trust policies)
    context: dict[str, Any] = field(default_factory=dict)
    account: str | None = None  # the resource's owner, where its ARN does not say (S3 buckets)


# The error each service answers with, and its HTTP status (from each service's API reference).
ERRORS: dict[str, tuple[str, int]] = {
    "dynamodb": ("AccessDeniedException", 400),
    "sqs": ("AccessDenied", 403),
    "sns": ("AuthorizationError", 403),
    "lambda": ("AccessDeniedException", 403),
    "events": ("AccessDeniedException", 400),
    "states": ("AccessDeniedException", 400),
    "logs": ("AccessDeniedException", 400),
    "kms": ("AccessDeniedException", 400),
    "cloudwatch": ("AccessDenied", 403),
    "sts": ("AccessDenied", 403),
    "iam": ("AccessDenied", 403),
    "s3": ("AccessDenied", 403),
    "cloudfront": ("AccessDenied", 403),
}
DEFAULT_ERROR = ("AccessDeniedException", 400)

# moto's service name -> IAM's action prefix, where they differ.
PREFIXES = {
    "awslambda": "lambda",
    "stepfunctions": "states",
    "dynamodbstreams": "dynamodb",
    "events": "events",
    "monitoring": "cloudwatch",
}


class AccessDenied(ServiceException):
    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(code, message)
        self.status = status


# -- reading the request ---------------------------------------------------------------------


def param(response: BaseResponse, name: str) -> Any:
    if getattr(response, "automated_parameter_parsing", False):
        return response._get_param(name)
    values = response.querystring.get(name) if isinstance(response.querystring, dict) else None
    if values:
        return values[0] if isinstance(values, list) else values
    body = getattr(response, "_localcloud_json", None)
    if body is None:
        try:
            body = json.loads(response.body) if response.body else {}
        except (ValueError, TypeError):
            body = {}
        if not isinstance(body, dict):
            body = {}
        response._localcloud_json = body  # type: ignore[attr-defined]
    return body.get(name)


def _arn(partition: str, service: str, region: str, account: str, resource: str) -> str:
    return f"arn:{partition}:{service}:{region}:{account}:{resource}"


@dataclass
class Request:
    response: BaseResponse
    prefix: str
    operation: str
    region: str
    account: str
    partition: str

    def param(self, name: str) -> Any:
        return param(self.response, name)

    def arn(self, service: str, resource: str, *, region: str | None = None, account: str | None = None) -> str:
        return _arn(
            self.partition,
            service,
            self.region if region is None else region,
            self.account if account is None else account,
            resource,
        )


# -- resource policies -------------------------------------------------------------------------


def find_queue(arn: str) -> Any | None:
    """The queue an SQS ARN names, in its own account; None when there is none."""
    from moto.sqs import sqs_backends

    parts = arn.split(":")
    if len(parts) != 6 or parts[2] != "sqs":
        return None
    return sqs_backends[parts[4]][parts[3]].queues.get(parts[5])


def _topic(arn: str) -> Any | None:
    parts = arn.split(":")
    return find_topic(":".join(parts[:6]), parts[3]) if len(parts) >= 6 else None


def queue_policy(arn: str) -> ResourcePolicy:
    def read() -> dict[str, Any] | None:
        queue = find_queue(arn)
        return None if queue is None else iam.as_document(queue._policy_json)

    return read


def topic_policy(arn: str) -> ResourcePolicy:
    def read() -> dict[str, Any] | None:
        topic = _topic(arn)
        return None if topic is None else iam.as_document(topic._policy_json)

    return read


def function_policy(arn: str) -> ResourcePolicy:
    def read() -> dict[str, Any] | None:
        from localcloud.lambda_.invoke import find_function

        try:
            function = find_function(arn)
        except Exception:
            return None
        statements = getattr(getattr(function, "policy", None), "statements", None)
        return {"Statement": statements} if statements else None

    return read


def bus_policy(arn: str) -> ResourcePolicy:
    def read() -> dict[str, Any] | None:
        from moto.events.models import events_backends

        _, _, _, region, account, resource = arn.split(":", 5)
        bus = events_backends[account][region].event_buses.get(resource.split("/", 1)[1])
        return None if bus is None else iam.as_document(getattr(bus, "policy", None))

    return read


def _key_policy(arn: str) -> ResourcePolicy:
    def read() -> dict[str, Any] | None:
        from moto.kms.models import kms_backends

        _, _, _, region, account, resource = arn.split(":", 5)
        key = kms_backends[account][region].keys.get(resource.split("/", 1)[1])
        return None if key is None else (iam.as_document(key.policy) or {})

    return read


def _trust_policy(arn: str) -> ResourcePolicy:
    def read() -> dict[str, Any] | None:
        role = iam.role_by_arn(arn)
        return None if role is None else iam.as_document(role.assume_role_policy_document) or {}

    return read


def bucket_named(name: str) -> Any | None:
    """A bucket in whichever account owns it (bucket names are global)."""
    from moto.s3.models import s3_backends

    owner = s3_backends.bucket_accounts.get(name)
    if owner is None:
        return None
    partition, account = owner
    return s3_backends[account]["global" if partition == "aws" else partition].buckets.get(name)


def _bucket_policy(bucket: str) -> ResourcePolicy:
    def read() -> dict[str, Any] | None:
        found = bucket_named(bucket)
        return None if found is None else iam.as_document(found.policy)

    return read


# -- per-service resources ---------------------------------------------------------------------


def _dynamodb(request: Request) -> list[Check]:
    op = request.operation

    def table(name: str, index: str | None = None) -> str:
        arn = name if name.startswith("arn:") else request.arn("dynamodb", f"table/{name}")
        return f"{arn}/index/{index}" if index else arn

    if op == "TransactWriteItems":
        kinds = {
            "Put": "PutItem",
            "Update": "UpdateItem",
            "Delete": "DeleteItem",
            "ConditionCheck": "ConditionCheckItem",
        }
        checks = []
        for item in request.param("TransactItems") or []:
            for kind, action in kinds.items():
                if kind in item:
                    checks.append(Check(f"dynamodb:{action}", table(item[kind]["TableName"])))
        return checks
    if op == "TransactGetItems":
        return [Check("dynamodb:GetItem", table(i["Get"]["TableName"])) for i in request.param("TransactItems") or []]
    if op in ("BatchWriteItem", "BatchGetItem"):
        return [Check(f"dynamodb:{op}", table(name)) for name in (request.param("RequestItems") or {})]
    if op in ("DescribeStream", "GetShardIterator", "ListShards"):
        return [Check(f"dynamodb:{op}", request.param("StreamArn") or "*")]
    if op == "GetRecords":
        iterator = str(request.param("ShardIterator") or "")
        stream = re.match(r"(arn:[^/]+/[^/]+/stream/[^/|]+)", iterator)
        return [Check("dynamodb:GetRecords", stream.group(1) if stream else "*")]
    name = request.param("TableName") or request.param("ResourceArn")
    if not name:
        return [Check(f"dynamodb:{op}", "*")]
    return [Check(f"dynamodb:{op}", table(name, request.param("IndexName") if op in ("Query", "Scan") else None))]


_SQS_BATCH = {
    "SendMessageBatch": "SendMessage",
    "DeleteMessageBatch": "DeleteMessage",
    "ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
}


def _sqs(request: Request) -> list[Check]:
    # SQS names its actions in lower case in its messages ("sqs:sendmessage").
    action = "sqs:" + _SQS_BATCH.get(request.operation, request.operation).lower()
    url = request.param("QueueUrl")
    path = urllib.parse.urlparse(request.response.uri).path.strip("/").split("/")
    if not url and len(path) == 2 and path[0].isdigit():
        url = request.response.uri  # the query API addresses the queue by its URL path (/ACCOUNT/NAME)
    if url:
        path = urllib.parse.urlparse(url).path.strip("/").split("/")
        account, name = (path[0], path[-1]) if len(path) >= 2 else (request.account, path[-1])
        arn = request.arn("sqs", name, account=account)
    elif request.param("QueueName"):
        arn = request.arn(
            "sqs", request.param("QueueName"), account=request.param("QueueOwnerAWSAccountId") or request.account
        )
    else:
        return [Check(action, "*")]
    return [Check(action, arn, queue_policy(arn))]


def _sns(request: Request) -> list[Check]:
    op = "Publish" if request.operation == "PublishBatch" else request.operation
    action = f"SNS:{op}"  # as SNS spells it in its messages
    arn = request.param("TopicArn") or request.param("TargetArn") or request.param("ResourceArn")
    if not arn and request.param("SubscriptionArn"):
        arn = request.param("SubscriptionArn").rsplit(":", 1)[0]
    if not arn and op == "CreateTopic":
        arn = request.arn("sns", request.param("Name"))
    if not arn:
        return [Check(action, "*")]
    context = (
        {"sns:Protocol": request.param("Protocol"), "sns:Endpoint": request.param("Endpoint")}
        if op == "Subscribe"
        else {}
    )
    return [Check(action, arn, topic_policy(arn), context=context)]


_LAMBDA_ACTIONS = {
    "Invoke": "InvokeFunction",
    "InvokeWithResponseStream": "InvokeFunction",
    "InvokeAsync": "InvokeAsync",
    "GetFunctionConfiguration": "GetFunctionConfiguration",
}


def _lambda(request: Request) -> list[Check]:
    action = "lambda:" + _LAMBDA_ACTIONS.get(request.operation, request.operation)
    path = urllib.parse.unquote(urllib.parse.urlparse(request.response.uri).path)
    mapping = re.search(r"/event-source-mappings/([\w-]+)", path)
    if mapping:
        return [Check(action, request.arn("lambda", f"event-source-mapping:{mapping.group(1)}"))]
    found = re.search(
        r"/functions/(.+?)(?:/(?:invocations|invoke-async|policy|configuration|code|concurrency|"
        r"versions|aliases|url|event-invoke-config|provisioned-concurrency|code-signing-config)\b.*)?/?$",
        path,
    )
    if not found:
        return [Check(action, "*")]
    name = found.group(1)
    qualifier = request.param("Qualifier")
    if name.startswith("arn:"):
        arn = name
    else:
        base, _, inline = name.partition(":")
        arn = request.arn("lambda", f"function:{base}") + (f":{inline}" if inline else "")
    if qualifier and arn.count(":") == 6:
        arn = f"{arn}:{qualifier}"
    return [Check(action, arn, function_policy(arn))]


def _events(request: Request) -> list[Check]:
    op = request.operation

    def bus(name: str | None) -> str:
        name = name or "default"
        return name if name.startswith("arn:") else request.arn("events", f"event-bus/{name}")

    if op == "PutEvents":
        checks = []
        for entry in request.param("Entries") or []:
            arn = bus(entry.get("EventBusName"))
            checks.append(
                Check(
                    "events:PutEvents",
                    arn,
                    bus_policy(arn),
                    context={"events:source": entry.get("Source"), "events:detail-type": entry.get("DetailType")},
                )
            )
        return checks
    rule = request.param("Rule") or (request.param("Name") if "Rule" in op else None)
    if rule:
        bus_name = request.param("EventBusName")
        path = f"rule/{bus_name}/{rule}" if bus_name and bus_name != "default" else f"rule/{rule}"
        return [Check(f"events:{op}", request.arn("events", path))]
    return [Check(f"events:{op}", request.param("EventBusName") and bus(request.param("EventBusName")) or "*")]


def _states(request: Request) -> list[Check]:
    if request.operation.startswith("SendTask") and request.param("taskToken"):
        from localcloud.stepfunctions.executions import task_token_owner

        # A task token answers for the state machine whose execution waits on it (an unknown one: AWS's own error).
        owner = task_token_owner(request.account, request.region, str(request.param("taskToken")))
        return [Check(f"states:{request.operation}", owner or "*")]
    arn = (
        request.param("stateMachineArn")
        or request.param("executionArn")
        or request.param("activityArn")
        or request.param("mapRunArn")
        or request.param("resourceArn")
    )
    return [Check(f"states:{request.operation}", arn or "*")]


def _logs(request: Request) -> list[Check]:
    group = request.param("logGroupName") or request.param("logGroupIdentifier")
    if not group:
        return [Check(f"logs:{request.operation}", "*")]
    if str(group).startswith("arn:"):
        group = str(group).split(":log-group:", 1)[1].removesuffix(":*")
    stream = request.param("logStreamName")
    resource = f"log-group:{group}:log-stream:{stream}" if stream else f"log-group:{group}"
    return [Check(f"logs:{request.operation}", request.arn("logs", resource))]


def _kms(request: Request) -> list[Check]:
    key_id = request.param("KeyId") or request.param("TargetKeyId")
    if not key_id:
        return [Check(f"kms:{request.operation}", "*")]
    from moto.kms.models import kms_backends

    backend = kms_backends[request.account][request.region]
    try:
        resolved = backend.get_key_id(key_id)
        if resolved.startswith("alias/") or ":alias/" in resolved:
            resolved = backend.get_key_id_from_alias(resolved.split(":")[-1]) or resolved
        key_id = resolved.split("/")[-1] if resolved.startswith("arn:") else resolved
    except Exception:
        pass
    arn = request.arn("kms", f"key/{key_id}")
    return [Check(f"kms:{request.operation}", arn, _key_policy(arn), strict=True)]


def _sts(request: Request) -> list[Check]:
    if request.operation == "GetCallerIdentity":
        return []  # always allowed, even under an explicit deny
    role_arn = request.param("RoleArn")
    if request.operation.startswith("AssumeRole") and role_arn:
        return [Check(f"sts:{request.operation}", role_arn, _trust_policy(role_arn), strict=True)]
    return [Check(f"sts:{request.operation}", "*")]


def _cloudwatch(request: Request) -> list[Check]:
    if request.operation == "PutMetricData":
        return [Check("cloudwatch:PutMetricData", "*", context={"cloudwatch:namespace": request.param("Namespace")})]
    alarm = request.param("AlarmName")
    names = [alarm] if alarm else (request.param("AlarmNames") or [])
    if names:
        return [Check(f"cloudwatch:{request.operation}", request.arn("cloudwatch", f"alarm:{n}")) for n in names]
    return [Check(f"cloudwatch:{request.operation}", "*")]


def _iam(request: Request) -> list[Check]:
    for key, kind in (("RoleName", "role"), ("UserName", "user"), ("GroupName", "group")):
        name = request.param(key)
        if name:
            return [Check(f"iam:{request.operation}", f"arn:{request.partition}:iam::{request.account}:{kind}/{name}")]
    return [Check(f"iam:{request.operation}", request.param("PolicyArn") or "*")]


def _kinesis(request: Request) -> list[Check]:
    arn = request.param("StreamARN")
    name = request.param("StreamName")
    iterator = request.param("ShardIterator")
    if not arn and not name and iterator:  # GetRecords: the stream the iterator reads
        from moto.kinesis.utils import decompose_shard_iterator

        try:
            name = decompose_shard_iterator(iterator)[0]
        except ValueError:
            name = None
    if not arn and name:
        arn = request.arn("kinesis", f"stream/{name}")
    consumer = request.param("ConsumerARN")
    return [Check(f"kinesis:{request.operation}", consumer or arn or "*")]


def _firehose(request: Request) -> list[Check]:
    name = request.param("DeliveryStreamName")
    arn = request.arn("firehose", f"deliverystream/{name}") if name else "*"
    return [Check(f"firehose:{request.operation}", arn)]


def _athena(request: Request) -> list[Check]:
    """Athena authorizes on the workgroup: the one named, "primary" by default, or the query's."""
    name = request.param("WorkGroup") or request.param("Name")
    if not name:
        from moto.athena.models import athena_backends

        executions = athena_backends[request.account][request.region].executions
        ids = request.param("QueryExecutionIds") or [request.param("QueryExecutionId")]
        found = [executions.get(i) for i in ids if i]
        names = {e.workgroup.name for e in found if e is not None and e.workgroup is not None}
        if names:
            return [
                Check(f"athena:{request.operation}", request.arn("athena", f"workgroup/{n}")) for n in sorted(names)
            ]
        if request.operation in ("StartQueryExecution", "ListQueryExecutions", "ListNamedQueries"):
            name = "primary"
    if not name:
        return [Check(f"athena:{request.operation}", "*")]
    return [Check(f"athena:{request.operation}", request.arn("athena", f"workgroup/{name}"))]


def _xray(request: Request) -> list[Check]:
    """X-Ray's paths are not its action names; a group's or sampling rule's action is on its ARN."""
    from localcloud.xray.resources import ACTIONS, group_arn

    action = f"xray:{ACTIONS.get(request.operation, request.operation)}"
    arn = request.param("GroupARN") or request.param("RuleARN") or request.param("ResourceARN")
    if not arn and request.param("GroupName"):
        name = request.param("GroupName")
        arn = group_arn(request.account, request.region, name) or request.arn("xray", f"group/{name}")
    rule = request.param("SamplingRule") or request.param("SamplingRuleUpdate") or {}
    name = request.param("RuleName") or (rule.get("RuleName") if isinstance(rule, dict) else None)
    if not arn and name:
        arn = request.arn("xray", f"sampling-rule/{name}")
    return [Check(action, arn or "*")]


def _glue(request: Request) -> list[Check]:
    """Glue authorizes a table's action on the catalog, its database and the table; a database's on the
    catalog and the database."""
    action = f"glue:{request.operation}"
    checks = [Check(action, request.arn("glue", "catalog"))]
    table_input = request.param("TableInput") or {}
    database_input = request.param("DatabaseInput") or {}
    database = request.param("DatabaseName") or database_input.get("Name")
    table = request.param("TableName") or table_input.get("Name")
    if database is None and request.operation in ("GetDatabase", "DeleteDatabase", "UpdateDatabase"):
        database = request.param("Name")
    elif (
        database is not None and table is None and request.operation in ("GetTable", "DeleteTable", "GetTableVersions")
    ):
        table = request.param("Name")
    if database:
        checks.append(Check(action, request.arn("glue", f"database/{database}")))
    if database and table:
        checks.append(Check(action, request.arn("glue", f"table/{database}/{table}")))
    return checks


def _secretsmanager(request: Request) -> list[Check]:
    """A secret named by name, full ARN or partial ARN is authorized on its full ARN (policies name that)."""
    secret_id = request.param("SecretId")
    if not secret_id:
        return [Check(f"secretsmanager:{request.operation}", "*")]
    from moto.secretsmanager.models import secretsmanager_backends

    arn = str(secret_id)
    try:
        secret = secretsmanager_backends[request.account][request.region].secrets.get(arn)
        if secret is not None:
            arn = secret.arn
    except Exception:  # unknown here: the service answers ResourceNotFound itself
        pass
    if not arn.startswith("arn:"):
        arn = request.arn("secretsmanager", f"secret:{secret_id}")
    return [Check(f"secretsmanager:{request.operation}", arn)]


def _generic(request: Request) -> list[Check]:
    """Services without a table here: the ARNs the request names, else "*"."""
    arns: list[str] = []
    body = getattr(request.response, "_localcloud_json", None) or {}
    for key, value in {
        **{k: (v[0] if isinstance(v, list) and v else v) for k, v in (request.response.querystring or {}).items()},
        **body,
    }.items():
        if key.lower().endswith("arn") and isinstance(value, str) and value.startswith("arn:"):
            arns.append(value)
    return [Check(f"{request.prefix}:{request.operation}", arn) for arn in arns] or [
        Check(f"{request.prefix}:{request.operation}", "*")
    ]


def _cloudfront(request: Request) -> list[Check]:
    """A distribution's operations (and its invalidations') act on the distribution's ARN; CloudFront is global."""
    uri = getattr(request.response, "uri_match", None) or {}
    op = request.operation
    distribution = uri.get("DistributionId") or (uri.get("Id") if "Distribution" in op else None)
    if distribution:
        arn = f"arn:{request.partition}:cloudfront::{request.account}:distribution/{distribution}"
        return [Check(f"cloudfront:{op}", arn)]
    return [Check(f"cloudfront:{op}", "*")]


RESOLVERS: dict[str, Callable[[Request], list[Check]]] = {
    "cloudfront": _cloudfront,
    "dynamodb": _dynamodb,
    "sqs": _sqs,
    "sns": _sns,
    "lambda": _lambda,
    "events": _events,
    "states": _states,
    "logs": _logs,
    "kms": _kms,
    "sts": _sts,
    "cloudwatch": _cloudwatch,
    "iam": _iam,
    "kinesis": _kinesis,
    "firehose": _firehose,
    "secretsmanager": _secretsmanager,
    "athena": _athena,
    "glue": _glue,
    "xray": _xray,
}


def checks_for(response: BaseResponse, identity: iam.Identity) -> tuple[str, list[Check]]:
    prefix = PREFIXES.get(response.service_name or "", response.service_name or "")
    operation = response._get_action() or ""
    request = Request(response, prefix, operation, response.region, identity.account, identity.partition)
    param(response, "")  # parse the body once
    return prefix, RESOLVERS.get(prefix, _generic)(request)


@dataclass(frozen=True)
class EndpointPath:
    """The VPC endpoint a request came through: its policy, and the condition keys AWS sets for it."""

    policy: dict[str, Any] | None
    keys: dict[str, Any]  # aws:SourceVpce, aws:SourceVpc


# Set by the vpc extension's front door for the request being served; None when it came through none.
ENDPOINT_POLICY: ContextVar[EndpointPath | None] = ContextVar("endpoint_policy", default=None)


def authorize(identity: iam.Identity, prefix: str, checks: list[Check], extra_context: dict[str, Any]) -> None:
    through = ENDPOINT_POLICY.get()
    endpoint_policy = through.policy if through is not None else None
    if through is not None:
        extra_context = {**extra_context, **through.keys}
    for check in checks:
        resource_policy = check.resource_policy() if check.resource_policy else None
        if check.strict and resource_policy is None and check.resource_policy is not None:
            continue  # the key or role does not exist: the service answers NotFound itself
        resource_account = check.account or (check.resource.split(":")[4] if check.resource.count(":") >= 5 else None)
        decision = iam.decide(
            identity,
            check.action,
            check.resource,
            resource_policy=resource_policy,
            resource_account=resource_account or None,
            strict_resource_policy=check.strict,
            context={**extra_context, **{k: v for k, v in check.context.items() if v is not None}},
            endpoint_policy=endpoint_policy,
        )
        if not decision.allowed:
            code, status = ERRORS.get(prefix, DEFAULT_ERROR)
            raise AccessDenied(code, decision.message(identity, check.action, check.resource), status)


# The KMS actions a service makes with the resource's key on the caller's behalf.
_DYNAMODB_DATA = (
    "getitem", "putitem", "updateitem", "deleteitem", "query", "scan", "batchgetitem", "batchwriteitem",
    "conditioncheckitem", "getrecords",
)  # fmt: skip
KEY_USE = {
    ("sqs", "sendmessage"): ("kms:GenerateDataKey", "kms:Decrypt"),
    ("sqs", "receivemessage"): ("kms:Decrypt",),
    ("sns", "publish"): ("kms:GenerateDataKey", "kms:Decrypt"),
    # DynamoDB decrypts the table key as the caller for every read and write (and stream read).
    **{("dynamodb", operation): ("kms:Decrypt",) for operation in _DYNAMODB_DATA},
    ("secretsmanager", "getsecretvalue"): ("kms:Decrypt",),
    ("secretsmanager", "putsecretvalue"): ("kms:GenerateDataKey",),
}
KEY_ERRORS = {
    "sqs": ("KMS.AccessDeniedException", 400),
    "sns": ("KMSAccessDenied", 400),
    "s3": ("AccessDenied", 403),
    "dynamodb": ("AccessDeniedException", 400),
    "secretsmanager": ("AccessDeniedException", 400),
}


def _key_denied_message(prefix: str, detail: str) -> str:
    """Each service words a refused key use its own way around KMS's message."""
    if prefix == "secretsmanager":
        return "Access to KMS is not allowed"
    if prefix == "dynamodb":
        return (
            f"KMS key access denied error: com.amazonaws.services.kms.model.AWSKMSException: {detail} "
            f"(Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; Request ID: {uuid.uuid4()}; "
            "Proxy: null)"
        )
    return f"{detail} (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException)"


def _resource_key(prefix: str, arn: str) -> kms.Key | None:
    parts = arn.split(":")
    if len(parts) < 6:
        return None
    account, region = parts[4], parts[3]
    if prefix == "sqs":
        queue = find_queue(arn)
        return kms.queue_key(queue, account, region) if queue is not None else None
    if prefix == "sns":
        topic = _topic(arn)
        return kms.topic_key(topic, account, region) if topic is not None else None
    if prefix == "dynamodb" and ":table/" in arn:
        return kms.table_key(arn, account, region)
    if prefix == "secretsmanager":
        return kms.secret_key(arn, account, region)
    return None


def key_denied(
    identity: iam.Identity, prefix: str, key: kms.Key, actions: tuple[str, ...], region: str
) -> AccessDenied | None:
    for action in actions:
        decision = kms.caller_may_use(identity, key, action, prefix, region)
        if not decision.allowed:
            code, status = KEY_ERRORS.get(prefix, DEFAULT_ERROR)
            return AccessDenied(code, _key_denied_message(prefix, decision.message(identity, action, key.arn)), status)
    return None


def authorize_key_use(identity: iam.Identity, prefix: str, response: BaseResponse, checks: list[Check]) -> None:
    """The caller may use the resource's KMS key for what the service does with it on its behalf."""
    for check in checks:
        actions = KEY_USE.get((prefix, check.action.split(":", 1)[-1].lower()))
        if not actions:
            continue
        key = _resource_key(prefix, check.resource)
        if key is None:
            continue
        denied = key_denied(identity, prefix, key, actions, response.region)
        if denied is not None:
            raise denied


REQUEST_CONTEXT = {"aws:SecureTransport": "true"}
# Services whose resources another account reaches by ARN or URL (moto serves each account apart).
CROSS_ACCOUNT_BY_ARN = {"sqs", "sns", "lambda", "events", "kms", "states", "dynamodb"}


def _request_context(response: BaseResponse) -> dict[str, Any]:
    context = dict(REQUEST_CONTEXT)
    context["aws:RequestedRegion"] = response.region
    return context


def authorize_request(response: BaseResponse) -> None:
    identity = iam.identity_of(response.get_access_key())
    if identity is None:
        return  # the local cloud's root credentials: the administrator
    prefix, checks = checks_for(response, identity)
    authorize(identity, prefix, checks, _request_context(response))
    authorize_key_use(identity, prefix, response, checks)
    owners = {c.resource.split(":")[4] for c in checks if c.resource.count(":") >= 5 and c.resource.split(":")[4]}
    if prefix in CROSS_ACCOUNT_BY_ARN and len(owners) == 1 and owners != {identity.account}:
        # Allowed into another account's resource: the request reaches it there, as in AWS.
        response.current_account = owners.pop()


_S3_ACTIONS = {
    "ListObjects": "ListBucket",
    "ListObjectsV2": "ListBucket",
    "HeadBucket": "ListBucket",
    "ListObjectVersions": "ListBucketVersions",
    "DeleteObjects": "DeleteObject",
    "CreateMultipartUpload": "PutObject",
    "CompleteMultipartUpload": "PutObject",
    "UploadPart": "PutObject",
    "UploadPartCopy": "PutObject",
    "CopyObject": "PutObject",
    "ListBuckets": "ListAllMyBuckets",
    "ListParts": "ListMultipartUploadParts",
    "ListMultipartUploads": "ListBucketMultipartUploads",
    "GetBucketNotificationConfiguration": "GetBucketNotification",
    "GetBucketLifecycleConfiguration": "GetLifecycleConfiguration",
    "GetBucketEncryption": "GetEncryptionConfiguration",
    "GetBucketCors": "GetBucketCORS",
    "GetPublicAccessBlock": "GetBucketPublicAccessBlock",
    "HeadObject": "GetObject",
}


def bucket_key(
    bucket_name: str, key_name: str | None, action: str, requested: tuple[str, str | None] | None = None
) -> kms.Key | None:
    """The KMS key S3 uses: for a read, the object's; for a write, the one the request names (SSE-KMS headers),
    else the bucket's default."""
    bucket = bucket_named(bucket_name)
    if bucket is None:
        return None
    region, account = bucket.region_name, bucket.account_id
    if action == "s3:PutObject" and requested is not None:
        algorithm, key_id = requested
        if algorithm in ("aws:kms", "aws:kms:dsse"):
            return kms.resolve(key_id or "alias/aws/s3", account, region)
        if algorithm:
            return None  # SSE-S3 asked for: no KMS key
    if action == "s3:GetObject":
        stored = bucket.keys.get(key_name) if key_name else None
        if stored is None or getattr(stored, "encryption", None) != "aws:kms":
            return None
        return kms.resolve(stored.kms_key_id or "alias/aws/s3", account, region)
    rules = (bucket.encryption or {}).get("Rule") or []
    for rule in rules if isinstance(rules, list) else [rules]:
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        if default.get("SSEAlgorithm") in ("aws:kms", "aws:kms:dsse"):
            return kms.resolve(default.get("KMSMasterKeyID") or "alias/aws/s3", account, region)
    return None


def s3_denied(
    identity: iam.Identity,
    action: str,
    bucket_name: str | None,
    key_name: str | None,
    context: dict[str, Any],
    region: str,
    requested_key: tuple[str, str | None] | None = None,
) -> AccessDenied | None:
    """Why S3 refuses this identity the action on a bucket or object (its policies, then its KMS key), or None.
    `requested_key` is a write's SSE header and key id, when it names them."""
    target = f"{bucket_name}/{key_name}" if key_name else (bucket_name or "*")
    resource = f"arn:{identity.partition}:s3:::{target}"
    policy_reader = _bucket_policy(bucket_name) if bucket_name else None
    owner = bucket_named(bucket_name) if bucket_name else None
    # A bucket ARN carries no account: the bucket's owner decides "same account".
    check = Check(action, resource, policy_reader, account=getattr(owner, "account_id", None))
    try:
        authorize(identity, "s3", [check], context)
    except AccessDenied as denied:
        return denied
    key_actions = {
        "s3:PutObject": ("kms:GenerateDataKey",), "s3:GetObject": ("kms:Decrypt",), "s3:GetObjectVersion": ("kms:Decrypt",),
    }.get(action)  # fmt: skip
    key = (
        bucket_key(bucket_name, key_name, "s3:GetObject" if action == "s3:GetObjectVersion" else action, requested_key)
        if key_actions and bucket_name
        else None
    )
    return key_denied(identity, "s3", key, key_actions, region) if key is not None and key_actions else None


def _unsigned(response: Any) -> bool:
    headers = getattr(response, "headers", None) or {}
    if headers.get("Authorization"):
        return False
    query = getattr(response, "querystring", None) or {}
    return not any(name in query for name in ("X-Amz-Credential", "X-Amz-Signature", "AWSAccessKeyId", "Signature"))


def _publicly_granted(grants: Any, permission: str) -> bool:
    for grant in getattr(grants, "grants", None) or []:
        everyone = any(
            getattr(g, "uri", "") == "http://acs.amazonaws.com/groups/global/AllUsers" for g in grant.grantees
        )
        if everyone and (permission in grant.permissions or "FULL_CONTROL" in grant.permissions):
            return True
    return False


def anonymous_s3_denied(action: str, bucket_name: str | None, key_name: str | None) -> bool:
    """Whether S3 refuses an unsigned request: only a bucket policy granting everyone (`"Principal": "*"`) or a
    public-read ACL admits one, and the bucket's Block Public Access settings can take either away. An
    object encrypted with a KMS key is never served to anyone anonymous."""
    bucket = bucket_named(bucket_name) if bucket_name else None
    if bucket is None:
        return action != "s3:ListAllMyBuckets"  # bucket creation and listing need an identity
    blocks = getattr(bucket, "public_access_block", None)
    restrict = str(getattr(blocks, "restrict_public_buckets", "false")).lower() == "true"
    ignore_acls = str(getattr(blocks, "ignore_public_acls", "false")).lower() == "true"
    target = f"{bucket_name}/{key_name}" if key_name else bucket_name
    decision = policy.evaluate(iam.as_document(bucket.policy) or {}, action, f"arn:aws:s3:::{target}", policy.Caller())
    if decision == "Deny":
        return True
    allowed = decision == "Allow" and not restrict
    if not allowed and not ignore_acls:
        if action == "s3:GetObject" and key_name:
            stored = bucket.keys.get(key_name)
            allowed = stored is not None and _publicly_granted(getattr(stored, "acl", None), "READ")
        elif action == "s3:ListBucket":
            allowed = _publicly_granted(getattr(bucket, "acl", None), "READ")
    if allowed and action == "s3:GetObject" and bucket_key(bucket_name, key_name, action) is not None:
        return True
    return not allowed


def authorize_s3(response: Any, bucket_name: str | None, key_name: str | None) -> None:
    from moto.s3.exceptions import S3ClientError

    operation = str(response.data.get("Action") or "")
    action = "s3:" + _S3_ACTIONS.get(operation, operation)
    if _unsigned(response):
        if anonymous_s3_denied(action, bucket_name, key_name):
            raise S3ClientError("AccessDenied", "Access Denied")
        return
    identity = iam.identity_of(response.get_access_key())
    if identity is None:
        return
    headers = getattr(response, "headers", None) or {}
    algorithm = headers.get("x-amz-server-side-encryption")
    requested = (algorithm, headers.get("x-amz-server-side-encryption-aws-kms-key-id")) if algorithm else None
    denied = s3_denied(identity, action, bucket_name, key_name, _request_context(response), response.region, requested)
    if denied is not None:
        raise S3ClientError("AccessDenied", denied.message)


def error_answer(response: BaseResponse, error: ServiceException, status: int) -> tuple[int, dict[str, Any], Any]:
    """A service error as the service's protocol shapes it, with this status and a request id."""
    _, headers, body = response.serialized(ActionResult(error))
    headers["status"] = status
    headers.setdefault("x-amzn-RequestId", str(uuid.uuid4()))  # every AWS answer carries one
    return status, headers, body


def _install_s3_refusal_body() -> None:
    """moto refuses an unsigned read of a private object itself, with an empty 403: S3 says AccessDenied."""
    from moto.s3.exceptions import S3ClientError
    from moto.s3.responses import S3Response

    original = S3Response._key_response

    def _key_response(self: Any, request: Any, full_url: str) -> Any:
        answer = original(self, request, full_url)
        if isinstance(answer, tuple) and len(answer) == 3 and answer[0] == 403 and not answer[2]:
            raise S3ClientError("AccessDenied", "Access Denied")
        return answer

    S3Response._key_response = _key_response  # type: ignore[method-assign]


def install() -> None:
    from moto.core.authorization import ActionAuthenticatorMixin

    def normal_action(self: Any, resource: str = "*") -> None:
        authorize_request(self)

    def s3_action(self: Any, bucket_name: str | None = None, key_name: str | None = None) -> None:
        authorize_s3(self, bucket_name, key_name)

    ActionAuthenticatorMixin._authenticate_and_authorize_normal_action = normal_action  # type: ignore[method-assign]
    _install_s3_refusal_body()
    ActionAuthenticatorMixin._authenticate_and_authorize_s3_action = s3_action  # type: ignore[method-assign]

    original_call_action = BaseResponse.call_action

    def call_action(self: BaseResponse) -> Any:
        try:
            return original_call_action(self)
        except AccessDenied as denied:
            return error_answer(self, denied, denied.status)

    BaseResponse.call_action = call_action  # type: ignore[method-assign]
