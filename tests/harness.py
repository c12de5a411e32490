"""Apply a Terraform root on the local cloud and take it down again, checking both ends.

A stack is applied once per test module (the provider waits ~25 s per SQS
queue) with a unique name prefix, so stacks never collide and can apply in
parallel under pytest-xdist.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from localcloud.apigateway.urls import local_url
from localcloud.control import LocalCloud
from tooling import smoke
from tooling.smoke import allow_topic_to_send  # noqa: F401 - the tests' one way to let a topic in
from tooling.terraform import LOCAL_CLOUD_PARALLELISM, Plan, TerraformRoot

ROOT = Path(__file__).resolve().parent.parent
STACKS = ROOT / "tests" / "stacks"
EXAMPLES = ROOT / "examples"  # a pattern's example is its integration test's stack (one file, not two)
APPLY_TIMEOUT_S = 600
# The account's artifacts bucket for Lambda code, made once per local cloud as a platform team keeps one per
# account and region: the examples' functions are created from it (in parallel, as the provider does for S3).
CODE_BUCKET = "localcloud-lambda-code"


def pattern_of(path: Path) -> str | None:
    """The pattern a test file proves: tests/unit/<pattern>/ or tests/integration/test_<pattern>.py."""
    relative = path.resolve().relative_to(ROOT / "tests")
    if relative.parts[0] == "unit" and len(relative.parts) > 2:
        return relative.parts[1] if (ROOT / "patterns" / relative.parts[1]).is_dir() else None
    if relative.parts[0] == "integration":
        candidate = relative.stem.removeprefix("test_").replace("_", "-")
        return candidate if (ROOT / "patterns" / candidate).is_dir() else None
    return None


def package_zip(name: str) -> Path:
    """A zip `make build` wrote; a clear failure when the build has not run."""
    path = ROOT / "build" / "lambdas" / f"{name}.zip"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make build` first")
    return path


def unique_prefix(code: str) -> str:
    return f"t{code}-{uuid.uuid4().hex[:6]}"


def client(cloud: LocalCloud, service: str, **kwargs: Any) -> Any:
    return cloud.client(service, **kwargs)


def account_admin_client(cloud: LocalCloud, service: str, account: str) -> Any:
    """A client with the local cloud's root credentials of another account (moto's x-moto-account-id)."""
    created = cloud.client(service)

    def in_account(request: Any, **_: Any) -> None:
        request.headers["x-moto-account-id"] = account

    created.meta.events.register("before-sign", in_account)
    return created


DENIED_CODES = {"AccessDeniedException", "AccessDenied", "AuthorizationError"}


def authorized(operation: Callable[..., Any], **params: Any) -> bool:
    """Whether IAM let `operation(**params)` through: any answer but the service's access-denied error
    counts (a failed condition check means the role may make the call)."""
    try:
        operation(**params)
    except ClientError as error:
        return error.response["Error"]["Code"] not in DENIED_CODES
    return True


@contextmanager
def another_table(stack: Stack, hash_key: str) -> Iterator[str]:
    """A table of the same account that the stack does not own, deleted afterwards: a role allowed "its own
    table" must be refused here too, or its policy names more than its table."""
    name, ddb = f"{stack.prefix}-another", stack.client("dynamodb")
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": hash_key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": hash_key, "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    try:
        yield name
    finally:
        ddb.delete_table(TableName=name)


def as_role(stack: Stack, role_name: str, service: str) -> Any:
    """A client with a session of one of the stack's roles (the local cloud's root credentials may assume any
    role, so a test can probe what a function's role may do)."""
    arn = f"arn:aws:iam::123456789012:role/{role_name}"
    return client_as_role(stack.client("sts"), stack.cloud.endpoint, arn, service)


def role_in_account(cloud: LocalCloud, account: str, name: str, *actions: str) -> str:
    """A role in another account that this account's tests may assume, whose own policy allows `actions` on
    any resource: the resource's policy is then what decides, as it does for a caller from another account.
    Idempotent: test modules sharing a local cloud may ask for the same role."""
    iam = account_admin_client(cloud, "iam", account)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}}
        ],
    }
    try:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    except iam.exceptions.EntityAlreadyExistsException:
        pass
    if actions:
        iam.put_role_policy(
            RoleName=name,
            PolicyName="-".join(a.replace(":", "-") for a in actions)[:128],
            PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]}
            ),
        )
    return f"arn:aws:iam::{account}:role/{name}"


def leftovers(cloud: LocalCloud, prefix: str) -> list[str]:
    """Names of resources in the local cloud that still carry the stack's prefix."""
    found: list[str] = []
    found += [
        f["FunctionName"]
        for f in client(cloud, "lambda").list_functions()["Functions"]
        if f["FunctionName"].startswith(prefix)
    ]
    found += [t for t in client(cloud, "dynamodb").list_tables()["TableNames"] if t.startswith(prefix)]
    found += [r["RoleName"] for r in client(cloud, "iam").list_roles()["Roles"] if r["RoleName"].startswith(prefix)]
    found += [q for q in client(cloud, "sqs").list_queues(QueueNamePrefix=prefix).get("QueueUrls", [])]
    found += [a["name"] for a in client(cloud, "apigateway").get_rest_apis()["items"] if a["name"].startswith(prefix)]
    found += [
        g["logGroupName"]
        for g in client(cloud, "logs").describe_log_groups()["logGroups"]
        if prefix in g["logGroupName"]
    ]
    found += [
        m["name"]
        for m in client(cloud, "stepfunctions").list_state_machines()["stateMachines"]
        if m["name"].startswith(prefix)
    ]
    found += [t["TopicArn"] for t in client(cloud, "sns").list_topics()["Topics"] if f":{prefix}" in t["TopicArn"]]
    s3 = client(cloud, "s3")
    buckets = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    found += [name for name in buckets if name.startswith(prefix)]
    if CODE_BUCKET in buckets:
        code = s3.list_objects_v2(Bucket=CODE_BUCKET, Prefix=f"lambda/{prefix}").get("Contents", [])
        found += [f"s3://{CODE_BUCKET}/{o['Key']}" for o in code]
    found += [
        d["DBInstanceIdentifier"]
        for d in client(cloud, "rds").describe_db_instances()["DBInstances"]
        if d["DBInstanceIdentifier"].startswith(prefix)
    ]
    found += [
        c["ServerlessCacheName"]
        for c in client(cloud, "elasticache").describe_serverless_caches()["ServerlessCaches"]
        if c["ServerlessCacheName"].startswith(prefix)
    ]
    found += [
        g["ReplicationGroupId"]
        for g in client(cloud, "elasticache").describe_replication_groups()["ReplicationGroups"]
        if g["ReplicationGroupId"].startswith(prefix)
    ]
    found += [
        s["Name"] for s in client(cloud, "secretsmanager").list_secrets()["SecretList"] if s["Name"].startswith(prefix)
    ]
    found += [n for n in client(cloud, "kinesis").list_streams()["StreamNames"] if n.startswith(prefix)]
    found += [
        n for n in client(cloud, "firehose").list_delivery_streams()["DeliveryStreamNames"] if n.startswith(prefix)
    ]
    glue_prefix = prefix.replace("-", "_")  # Glue names take no hyphens
    found += [
        d["Name"] for d in client(cloud, "glue").get_databases()["DatabaseList"] if d["Name"].startswith(glue_prefix)
    ]
    found += [
        w["Name"] for w in client(cloud, "athena").list_work_groups()["WorkGroups"] if w["Name"].startswith(prefix)
    ]
    scheduler = client(cloud, "scheduler")
    found += [s["Arn"] for s in scheduler.list_schedules()["Schedules"] if s["Name"].startswith(prefix)]
    found += [g["Arn"] for g in scheduler.list_schedule_groups()["ScheduleGroups"] if g["Name"].startswith(prefix)]
    cloudfront = client(cloud, "cloudfront")
    found += [
        d["ARN"]
        for d in cloudfront.list_distributions()["DistributionList"].get("Items", [])
        if d["Comment"].startswith(prefix)
    ]
    found += [
        c["Name"]
        for c in cloudfront.list_origin_access_controls()["OriginAccessControlList"].get("Items", [])
        if c["Name"].startswith(prefix)
    ]
    found += [
        p["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Name"]
        for p in cloudfront.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"].get("Items", [])
        if p["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Name"].startswith(prefix)
    ]
    found += [
        p["CachePolicy"]["CachePolicyConfig"]["Name"]
        for p in cloudfront.list_cache_policies(Type="custom")["CachePolicyList"].get("Items", [])
        if p["CachePolicy"]["CachePolicyConfig"]["Name"].startswith(prefix)
    ]
    found += [
        u["Name"]
        for u in client(cloud, "cognito-idp").list_user_pools(MaxResults=60)["UserPools"]
        if u["Name"].startswith(prefix)
    ]
    apigateway = client(cloud, "apigateway")
    found += [k["name"] for k in apigateway.get_api_keys()["items"] if k["name"].startswith(prefix)]
    found += [u["name"] for u in apigateway.get_usage_plans()["items"] if u["name"].startswith(prefix)]
    backup = client(cloud, "backup")
    found += [
        v["BackupVaultName"]
        for v in backup.list_backup_vaults()["BackupVaultList"]
        if v["BackupVaultName"].startswith(prefix)
    ]
    found += [
        p["BackupPlanName"]
        for p in backup.list_backup_plans()["BackupPlansList"]
        if p["BackupPlanName"].startswith(prefix)
    ]
    return found


def allow_service_to_invoke(lambda_client: Any, function_arn: str, service: str, source_arn: str) -> None:
    """The invoke permission an AWS service needs (the local cloud checks it for SNS, S3 and EventBridge)."""
    lambda_client.add_permission(
        FunctionName=function_arn,
        StatementId=f"from-{uuid.uuid4().hex[:8]}",
        Action="lambda:InvokeFunction",
        Principal=service,
        SourceArn=source_arn,
    )


def certificate_authority(cloud: LocalCloud) -> str:
    """The local cloud's CA certificate (PEM): host clients trust it to verify caches and proxies."""
    with urllib.request.urlopen(f"{cloud.endpoint}/_localcloud/tls/ca.pem", timeout=5) as response:
        return response.read().decode()


def postgres_as(stack: Stack, database: dict[str, Any], secret_arn: str) -> Any:
    """A TLS connection to a pattern's database output (address, port, name) as the user whose secret
    (JSON: username, password) `secret_arn` names."""
    import ssl

    import pg8000.native

    secret = json.loads(stack.client("secretsmanager").get_secret_value(SecretId=secret_arn)["SecretString"])
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return pg8000.native.Connection(
        secret["username"],
        password=secret["password"],
        host=database["address"],
        port=int(database["port"]),
        database=database["name"],
        ssl_context=context,
        timeout=10,
    )


def postgres_as_master(stack: Stack, database: dict[str, Any]) -> Any:
    """A TLS connection to a pattern's database output as its master user (an operator's session)."""
    return postgres_as(stack, database, database["secret_arn"])


def drain_queue(sqs: Any, url: str, wait_s: float, expect: int = 1) -> list[dict[str, Any]]:
    """Receive (and delete) until `expect` messages arrived or `wait_s` passed; attributes included."""
    found: list[dict[str, Any]] = []
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline and len(found) < expect:
        batch = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, MessageAttributeNames=["All"]
        ).get("Messages", [])
        for message in batch:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        found += batch
    return found


def expire_sqs_deduplication(cloud: LocalCloud, queue_url: str) -> int:
    """Make the local cloud's FIFO queue forget its deduplication ids, as SQS does after five minutes."""
    request = urllib.request.Request(
        f"{cloud.endpoint}/_localcloud/sqs/expire-deduplication",
        method="POST",
        data=json.dumps({"QueueUrl": queue_url}).encode(),
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["forgotten"]


def age_stream_records(cloud: LocalCloud, stream_arn: str, seconds: float) -> int:
    """Make the local cloud's records of a DynamoDB or Kinesis stream `seconds` older."""
    request = urllib.request.Request(
        f"{cloud.endpoint}/_localcloud/streams/age-records",
        method="POST",
        data=json.dumps({"StreamArn": stream_arn, "Seconds": seconds}).encode(),
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["aged"]


def allow_eventbridge_to_send(sqs: Any, queue_url: str, queue_arn: str, rule_arn: str) -> None:
    """The queue policy an EventBridge rule's SQS target needs: EventBridge sends as events.amazonaws.com."""
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sqs:SendMessage",
        "Resource": queue_arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}},
    }
    sqs.set_queue_attributes(
        QueueUrl=queue_url,
        Attributes={"Policy": json.dumps({"Version": "2012-10-17", "Statement": [statement]})},
    )


def advance_schedule(cloud: LocalCloud, arn: str) -> HttpAnswer:
    """Fire a schedule's (or scheduled rule's) next occurrence now; the answer names its ScheduledTime."""
    return http(
        "POST",
        f"{cloud.endpoint}/_localcloud/schedules/advance",
        json.dumps({"Arn": arn}),
        {"Content-Type": "application/json"},
    )


def client_as_role(sts: Any, endpoint: str, role_arn: str, service: str) -> Any:
    """A client with the credentials of a session of role_arn (in whatever account it names)."""
    credentials = sts.assume_role(RoleArn=role_arn, RoleSessionName="test")["Credentials"]
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def finished_execution(sfn: Any, execution_arn: str, timeout: float = 60.0) -> dict:
    """A Step Functions execution's description once it is no longer RUNNING (fails after `timeout`)."""
    deadline = time.monotonic() + timeout
    while (described := sfn.describe_execution(executionArn=execution_arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, f"execution {execution_arn} never finished"
        time.sleep(0.2)
    return described


def metric_datapoints(
    cloudwatch: Any, namespace: str, metric: str, dimensions: dict[str, str], statistic: str = "Sum", minutes: int = 10
) -> list[float]:
    """A CloudWatch metric's statistic over the last minutes, one value per minute that has data."""
    now = time.time()
    points = cloudwatch.get_metric_statistics(
        Namespace=namespace,
        MetricName=metric,
        StartTime=now - minutes * 60,
        EndTime=now + 60,
        Period=60,
        Dimensions=[{"Name": k, "Value": v} for k, v in dimensions.items()],
        Statistics=[statistic],
    )["Datapoints"]
    return [p[statistic] for p in points]


def sns_metric_sum(cloudwatch: Any, topic_name: str, metric: str) -> float:
    """The sum of a topic's AWS/SNS metric over the last hour."""
    return sum(metric_datapoints(cloudwatch, "AWS/SNS", metric, {"TopicName": topic_name}, minutes=60))


@dataclass
class Stack:
    prefix: str
    outputs: dict[str, Any]
    root: TerraformRoot
    cloud: LocalCloud

    def client(self, service: str, **kwargs: Any) -> Any:
        return client(self.cloud, service, **kwargs)

    def second_plan_changes(self) -> str | None:
        """The plan text when a plan right after apply is not empty, else None."""
        changed, text = self.root.plan_changes()
        return text if changed else None


def code_bucket(cloud: LocalCloud) -> str:
    """The local cloud's artifacts bucket, created on first use (encrypted, versioned, private)."""
    s3 = client(cloud, "s3")
    try:
        s3.head_bucket(Bucket=CODE_BUCKET)
    except ClientError:
        s3.create_bucket(Bucket=CODE_BUCKET, **_location(cloud.region))
        s3.put_bucket_versioning(Bucket=CODE_BUCKET, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_encryption(
            Bucket=CODE_BUCKET,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            },
        )
        s3.put_public_access_block(
            Bucket=CODE_BUCKET,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
            },
        )  # fmt: skip
    return CODE_BUCKET


def _location(region: str) -> dict[str, Any]:
    return {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}


@contextmanager
def applied_stack(
    name: str, cloud: LocalCloud, work_dir: Path, code: str, variables: dict[str, Any] | None = None
) -> Iterator[Stack]:
    """Apply examples/<name> (or tests/stacks/<name>) with a unique prefix; destroy it and prove nothing is left."""
    prefix = unique_prefix(code)
    work_dir.mkdir(parents=True, exist_ok=True)
    root = TerraformRoot(
        EXAMPLES / name if (EXAMPLES / name).is_dir() else STACKS / name,
        # TF_VAR_code_bucket reaches the roots that take it (every example) and is ignored by the others.
        env={
            **cloud.environment(),
            "TF_DATA_DIR": str(work_dir / ".terraform"),
            "TF_VAR_code_bucket": code_bucket(cloud),
        },
        variables={"name": prefix, **(variables or {})},
        timeout_s=APPLY_TIMEOUT_S,
        state_path=work_dir / "terraform.tfstate",
        parallelism=LOCAL_CLOUD_PARALLELISM,
    )
    timings = {"stack": name, "started": time.time()}
    started = time.monotonic()
    root.init()
    try:
        root.apply()
        timings["apply_s"] = time.monotonic() - started
        yield Stack(prefix=prefix, outputs=root.outputs(), root=root, cloud=cloud)
    finally:
        timings["tests_s"] = time.monotonic() - started - timings.get("apply_s", 0.0)
        destroy_started = time.monotonic()
        root.destroy()
        timings["destroy_s"] = time.monotonic() - destroy_started
        record_stack_timings(timings)
    remaining_state = root.state_resources()
    assert remaining_state == [], f"destroy left resources in state: {remaining_state}"
    remaining = leftovers(cloud, prefix)
    assert remaining == [], f"destroy left resources in the local cloud: {remaining}"


SUITE_TIMINGS = ROOT / "build" / "bench" / "suite"


def record_stack_timings(timings: dict[str, Any]) -> None:
    """One line per applied stack, per xdist worker; the controller merges them into build/bench/suite.json."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    SUITE_TIMINGS.mkdir(parents=True, exist_ok=True)
    timings = {
        **timings,
        "worker": worker,
        "total_s": timings.get("apply_s", 0.0) + timings["tests_s"] + timings["destroy_s"],
    }
    with (SUITE_TIMINGS / f"{worker}.jsonl").open("a") as out:
        out.write(json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in timings.items()}) + "\n")


def planned_resources(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Every resource of a `terraform show -json` plan, child modules included."""
    found: list[dict[str, Any]] = []

    def walk(module: dict[str, Any]) -> None:
        found.extend(module.get("resources", []))
        for child in module.get("child_modules", []):
            walk(child)

    walk(plan["planned_values"]["root_module"])
    return found


def plan_root(directory: Path, cloud: LocalCloud, work_dir: Path, variables: dict[str, Any] | None = None) -> Plan:
    """`terraform plan` of a root (JSON and warnings), its remote backend (if any) swapped for a local one.

    The root is copied beside links to modules/, patterns/, build/ and its siblings (an
    environment's ../composition), so its relative paths still resolve and the
    override file never touches the source tree.
    """
    copy = work_dir / directory.parent.name / directory.name
    shutil.copytree(directory, copy, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    for shared in ("modules", "patterns", "build"):
        (work_dir / shared).symlink_to(ROOT / shared)
    for sibling in directory.parent.iterdir():
        if sibling.is_dir() and sibling != directory:
            (copy.parent / sibling.name).symlink_to(sibling)
    (copy / "backend_override.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    root = TerraformRoot(
        copy,
        env={**cloud.environment(), "TF_DATA_DIR": str(work_dir / ".terraform")},
        variables=variables or {},
        timeout_s=APPLY_TIMEOUT_S,
    )
    root.init()
    return root.plan()


@dataclass
class HttpAnswer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def text(self) -> str:
        """The body as text, for failure messages."""
        return self.body.decode(errors="replace")


def http(
    method: str, url: str, body: str | bytes | None = None, headers: dict[str, str] | None = None, timeout: float = 60
) -> HttpAnswer:
    """One real HTTP request; error statuses are answers, not exceptions."""
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return HttpAnswer(response.status, dict(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        return HttpAnswer(error.code, dict(error.headers.items()), error.read())


def signed_http(
    cloud: LocalCloud, method: str, url: str, body: str | bytes | None = None, headers: dict[str, str] | None = None
) -> HttpAnswer:
    """A request signed with SigV4 for execute-api, as an AWS_IAM method needs (the local cloud's credentials)."""
    return http(method, url, body, cloud.signed_headers(method, url, body, headers))


def http_api_call(
    stack: Stack, api_id: str, method: str, path: str, body: str | None = None, signed: bool = True
) -> HttpAnswer:
    """A request to an HTTP API's $default stage (served at the root of its own host), SigV4-signed with the
    local cloud's credentials unless `signed` is False; a body is sent as JSON."""
    url = f"{stack.cloud.endpoint}/{path.lstrip('/')}"
    headers = {"Host": f"{api_id}.execute-api.localhost"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if signed:
        headers = stack.cloud.signed_headers(method, url, body, headers)
    return http(method, url, body, headers)


def viewer_request(
    cloud: LocalCloud,
    domain: str,
    path: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    https: bool = True,
) -> HttpAnswer:
    """A viewer's request to the distribution with this domain name on the local edge (over TLS unless `https`
    is False); a redirect is an answer, not followed."""
    return HttpAnswer(*smoke.viewer_request(cloud, domain, path, method, headers, body, https))


def api_url(stack: Stack, api_id: str, stage: str, path: str = "") -> str:
    return local_url(stack.cloud.endpoint, api_id, stage, path)


def cognito_tokens(
    stack: Stack,
    pool_id: str,
    client_id: str,
    email: str,
    password: str = "Corr3ct-Horse!",
    attributes: dict[str, str] | None = None,
) -> dict:
    """Create a confirmed user in the local cloud's pool (with attributes an administrator sets, such as
    custom:tenant) and sign it in: its ID, access and refresh tokens."""
    idp = stack.client("cognito-idp")
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=email,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}]
        + [{"Name": name, "Value": value} for name, value in (attributes or {}).items()],
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=password, Permanent=True)
    answer = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )
    return answer["AuthenticationResult"]


@dataclass
class Request:
    """What reached a downstream service (header names lowercased: HTTP's are case-insensitive)."""

    method: str
    path: str
    headers: dict[str, str]
    body: str


@dataclass
class Reply:
    """What a downstream service answers: a status, a JSON body (None for none) and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class Downstream:
    """A real HTTP service on loopback that a pattern calls: a subclass's `answer` decides each reply (its
    attributes are the test's switches: failing, slow); `calls` and `requests` say what reached it."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        downstream = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    self.command,
                    self.path,
                    {name.lower(): value for name, value in self.headers.items()},
                    self.rfile.read(length).decode(),
                )
                with downstream._lock:
                    downstream.requests.append(request)
                reply = downstream.answer(request)
                payload = b"" if reply.body is None else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                for name, value in {"Content-Type": "application/json", **reply.headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve  # noqa: N815 - http.server's names

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"

    def answer(self, request: Request) -> Reply:
        return Reply(200, {})

    @property
    def calls(self) -> int:
        with self._lock:
            return len(self.requests)

    def wait_for(self, count: int, timeout: float = 15) -> list[Request]:
        """The requests once `count` have arrived (or what arrived within `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while self.calls < count and time.monotonic() < deadline:
            time.sleep(0.1)
        with self._lock:
            return list(self.requests)

    def __enter__(self) -> Downstream:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
