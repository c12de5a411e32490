"""Functions run as their execution roles, and every call they make is authorized as IAM authorizes it."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from conftest import make_role, make_table
from harness import account_admin_client, client_as_role

pytestmark = pytest.mark.localcloud

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "222222222222"

# Calls the operation the event names with the event's arguments; answers the result or the error.
CALLER = """
import json, boto3
def handler(event, context):
    client = boto3.client(event["service"])
    try:
        answer = getattr(client, event["operation"])(**event["args"])
    except client.exceptions.ClientError as error:
        return {"error": error.response["Error"]["Code"], "message": error.response["Error"]["Message"],
                "status": error.response["ResponseMetadata"]["HTTPStatusCode"]}
    answer.pop("ResponseMetadata", None)
    return {"ok": True, "answer": json.loads(json.dumps(answer, default=str))}
"""


def allow(action: str | list[str], resource: str | list[str] = "*", **extra) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: str | list[str], resource: str | list[str] = "*", **extra) -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


@pytest.fixture
def table(aws, unique) -> str:
    return make_table(aws, f"{unique}-table")


@pytest.fixture
def call_as(aws, make_function, unique):
    """call_as(statements...)(service, operation, **args): the outcome of the call made inside a function."""
    counter = iter(range(100))

    def with_role(*statements: dict, managed: list[str] = (), boundary: str | None = None):
        role_name = f"{unique}-r{next(counter)}"
        role = make_role(aws("iam"), role_name, *statements)
        for arn in managed:
            aws("iam").attach_role_policy(RoleName=role_name, PolicyArn=arn)
        if boundary:
            aws("iam").put_role_permissions_boundary(RoleName=role_name, PermissionsBoundary=boundary)
        function = make_function(CALLER, Role=role)

        def call(service: str, operation: str, **args) -> dict:
            answer = aws("lambda").invoke(
                FunctionName=function, Payload=json.dumps({"service": service, "operation": operation, "args": args})
            )
            result = json.loads(answer["Payload"].read())
            assert "FunctionError" not in answer, result
            return result

        call.function = function  # type: ignore[attr-defined]
        call.role = role_name  # type: ignore[attr-defined]
        return call

    return with_role


def item(key: str) -> dict:
    return {"id": {"S": key}}


def test_a_function_runs_as_a_session_of_its_execution_role_named_after_it(call_as):
    call = call_as()
    identity = call("sts", "get_caller_identity")["answer"]
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/{call.role}/{call.function}"
    assert identity["Account"] == ACCOUNT


def test_a_call_no_policy_allows_gets_dynamodbs_access_denied_with_awss_message(call_as, table):
    call = call_as()
    outcome = call("dynamodb", "put_item", TableName=table, Item=item("a"))
    assert outcome["error"] == "AccessDeniedException" and outcome["status"] == 400
    assert outcome["message"] == (
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/{call.role}/{call.function} is not authorized to perform: "
        f"dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{table} "
        f"because no identity-based policy allows the dynamodb:PutItem action"
    )


def test_an_inline_policy_allows_exactly_its_actions_on_its_resources(aws, call_as, table, unique):
    arn = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{table}"
    call = call_as(allow("dynamodb:PutItem", arn))
    assert call("dynamodb", "put_item", TableName=table, Item=item("a"))["ok"]
    assert call("dynamodb", "get_item", TableName=table, Key=item("a"))["error"] == "AccessDeniedException"
    other = make_table(aws, f"{unique}-other")
    assert call("dynamodb", "put_item", TableName=other, Item=item("a"))["error"] == "AccessDeniedException"


def test_an_attached_aws_managed_policy_grants_what_it_says(call_as, table):
    call = call_as(managed=["arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess"])
    assert call("dynamodb", "get_item", TableName=table, Key=item("a"))["ok"]
    assert call("dynamodb", "put_item", TableName=table, Item=item("a"))["error"] == "AccessDeniedException"


def test_an_explicit_deny_wins_over_any_allow(call_as, table):
    call = call_as(allow("dynamodb:*"), deny("dynamodb:DeleteItem"))
    assert call("dynamodb", "put_item", TableName=table, Item=item("a"))["ok"]
    refused = call("dynamodb", "delete_item", TableName=table, Key=item("a"))
    assert refused["error"] == "AccessDeniedException"
    assert refused["message"].endswith("with an explicit deny in an identity-based policy")


def test_each_write_of_a_transaction_is_authorized_as_its_own_action(call_as, table):
    arn = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{table}"
    call = call_as(allow("dynamodb:PutItem", arn))
    put = {"Put": {"TableName": table, "Item": item("a")}}
    check = {
        "ConditionCheck": {"TableName": table, "Key": item("b"), "ConditionExpression": "attribute_not_exists(id)"}
    }
    assert call("dynamodb", "transact_write_items", TransactItems=[put])["ok"]
    refused = call("dynamodb", "transact_write_items", TransactItems=[put | {}, check])
    assert "dynamodb:ConditionCheckItem" in refused["message"]


def test_a_permissions_boundary_caps_what_the_identity_policy_grants(aws, call_as, table, unique):
    boundary = aws("iam").create_policy(
        PolicyName=f"{unique}-boundary",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [allow("dynamodb:GetItem")]}),
    )["Policy"]["Arn"]
    call = call_as(allow("dynamodb:*"), boundary=boundary)
    assert call("dynamodb", "get_item", TableName=table, Key=item("a"))["ok"]
    refused = call("dynamodb", "put_item", TableName=table, Item=item("a"))
    assert refused["message"].endswith("because no permissions boundary allows the dynamodb:PutItem action")


def test_a_queue_policy_naming_the_role_is_enough_within_the_account(aws, call_as, unique):
    sqs = aws("sqs")
    call = call_as()
    url = sqs.create_queue(QueueName=f"{unique}-q")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    refused = call("sqs", "send_message", QueueUrl=url, MessageBody="x")
    assert refused["error"] == "AccessDenied" and refused["status"] == 403
    assert "is not authorized to perform: sqs:sendmessage on resource: " + arn in refused["message"]
    sqs.set_queue_attributes(
        QueueUrl=url,
        Attributes={
            "Policy": json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/{call.role}"},
                            "Action": "sqs:SendMessage",
                            "Resource": arn,
                        }
                    ],
                }
            )
        },
    )
    assert call("sqs", "send_message", QueueUrl=url, MessageBody="x")["ok"]


def test_s3_and_sns_refuse_with_their_own_error_codes(aws, call_as, unique):
    call = call_as()
    bucket = f"{unique}-bucket"
    aws("s3").create_bucket(Bucket=bucket)
    refused = call("s3", "put_object", Bucket=bucket, Key="k", Body="x")
    assert refused["error"] == "AccessDenied" and refused["status"] == 403
    assert f"s3:PutObject on resource: arn:aws:s3:::{bucket}/k" in refused["message"]
    topic = aws("sns").create_topic(Name=f"{unique}-topic")["TopicArn"]
    refused = call("sns", "publish", TopicArn=topic, Message="x")
    assert refused["error"] == "AuthorizationError" and refused["status"] == 403


def test_a_key_policy_must_allow_even_when_the_role_policy_does(aws, call_as, unique):
    kms = aws("kms")
    call = call_as(allow("kms:*"))
    delegating = kms.create_key()["KeyMetadata"]["KeyId"]  # default policy: the account's IAM decides
    assert call("kms", "encrypt", KeyId=delegating, Plaintext="x")["ok"]
    closed = kms.create_key(
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/nobody"},
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ],
            }
        )
    )["KeyMetadata"]["KeyId"]
    refused = call("kms", "encrypt", KeyId=closed, Plaintext="x")
    assert refused["error"] == "AccessDeniedException"
    assert refused["message"].endswith("because no resource-based policy allows the kms:Encrypt action")


def test_a_test_can_assume_a_functions_role_to_probe_it(aws, call_as, table, local_cloud):
    call = call_as(allow("dynamodb:GetItem"))
    dynamodb = client_as_role(
        aws("sts"), aws("dynamodb").meta.endpoint_url, f"arn:aws:iam::{ACCOUNT}:role/{call.role}", "dynamodb"
    )
    dynamodb.get_item(TableName=table, Key=item("a"))
    with pytest.raises(ClientError) as refused:
        dynamodb.put_item(TableName=table, Item=item("a"))
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"


def test_a_session_may_assume_only_roles_whose_trust_policy_admits_it(aws, call_as, unique):
    iam = aws("iam")
    call = call_as(allow("sts:AssumeRole"))
    caller_role = f"arn:aws:iam::{ACCOUNT}:role/{call.role}"
    trusting = make_role(
        iam,
        f"{unique}-trusting",
        trust=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"AWS": caller_role}, "Action": "sts:AssumeRole"}],
            }
        ),
    )
    assert call("sts", "assume_role", RoleArn=trusting, RoleSessionName="probe")["ok"]
    lambda_only = make_role(iam, f"{unique}-lambda-only")
    refused = call("sts", "assume_role", RoleArn=lambda_only, RoleSessionName="probe")
    assert refused["error"] == "AccessDenied"


def test_another_accounts_role_needs_both_its_own_policy_and_the_resource_policy(aws, unique, local_cloud):
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=f"{unique}-shared")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    other_iam = account_admin_client(local_cloud, "iam", OTHER_ACCOUNT)
    sender = make_role(other_iam, f"{unique}-sender", allow("sqs:SendMessage", arn))
    idle = make_role(other_iam, f"{unique}-idle")
    as_sender = client_as_role(aws("sts"), sqs.meta.endpoint_url, sender, "sqs")
    as_idle = client_as_role(aws("sts"), sqs.meta.endpoint_url, idle, "sqs")
    with pytest.raises(ClientError, match="because no resource-based policy allows the sqs:sendmessage action"):
        as_sender.send_message(QueueUrl=url, MessageBody="x")
    sqs.set_queue_attributes(
        QueueUrl=url,
        Attributes={
            "Policy": json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"},
                            "Action": "sqs:SendMessage",
                            "Resource": arn,
                        }
                    ],
                }
            )
        },
    )
    as_sender.send_message(QueueUrl=url, MessageBody="x")
    with pytest.raises(ClientError, match="because no identity-based policy allows the sqs:sendmessage action"):
        as_idle.send_message(QueueUrl=url, MessageBody="x")


@pytest.mark.parametrize("principal", [OTHER_ACCOUNT, f"arn:aws:iam::{OTHER_ACCOUNT}:root"])
def test_a_function_permission_for_another_account_admits_that_accounts_roles(
    aws, unique, local_cloud, make_function, principal
):
    """AddPermission with an account id stores its root ARN, as Lambda does, so the account's roles get in."""
    name = make_function("def handler(event, context):\n    return 'ok'\n")
    arn = aws("lambda").get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    caller = make_role(
        account_admin_client(local_cloud, "iam", OTHER_ACCOUNT), f"{unique}-caller", allow("lambda:InvokeFunction", arn)
    )
    as_caller = client_as_role(aws("sts"), aws("lambda").meta.endpoint_url, caller, "lambda")
    with pytest.raises(ClientError, match="no resource-based policy allows the lambda:InvokeFunction action"):
        as_caller.invoke(FunctionName=arn, InvocationType="DryRun")
    aws("lambda").add_permission(
        FunctionName=name, StatementId="partner", Action="lambda:InvokeFunction", Principal=principal
    )
    statement = json.loads(aws("lambda").get_policy(FunctionName=name)["Policy"])["Statement"][0]
    assert statement["Principal"] == {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"}
    assert as_caller.invoke(FunctionName=arn, InvocationType="DryRun")["StatusCode"] == 204


def test_the_local_clouds_root_credentials_stay_the_administrators(aws, table, local_cloud):
    admin = boto3.client(
        "dynamodb",
        endpoint_url=aws("dynamodb").meta.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="anything",
        aws_secret_access_key="anything",
    )
    admin.put_item(TableName=table, Item=item("root"))


def test_a_bucket_in_another_account_needs_its_bucket_policy_as_well(aws, unique, local_cloud):
    bucket = f"{unique}-shared"
    aws("s3").create_bucket(Bucket=bucket)
    writer = make_role(
        account_admin_client(local_cloud, "iam", OTHER_ACCOUNT),
        f"{unique}-writer",
        allow("s3:PutObject", f"arn:aws:s3:::{bucket}/*"),
    )
    s3 = client_as_role(aws("sts"), aws("s3").meta.endpoint_url, writer, "s3")
    with pytest.raises(ClientError, match="because no resource-based policy allows the s3:PutObject action"):
        s3.put_object(Bucket=bucket, Key="in/x", Body=b"x")
    aws("s3").put_bucket_policy(
        Bucket=bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"},
                        "Action": "s3:PutObject",
                        "Resource": f"arn:aws:s3:::{bucket}/in/*",
                    }
                ],
            }
        ),
    )
    s3.put_object(Bucket=bucket, Key="in/x", Body=b"x")
    assert aws("s3").get_object(Bucket=bucket, Key="in/x")["Body"].read() == b"x"


def test_a_secret_is_authorized_on_its_full_arn_whether_named_by_name_or_arn(aws, unique):
    """Policies name a secret's ARN; a caller may name the secret by name, ARN or partial ARN."""
    from conftest import make_role
    from harness import client_as_role

    secret = aws("secretsmanager").create_secret(Name=f"{unique}/db", SecretString="s3cret")["ARN"]
    other = aws("secretsmanager").create_secret(Name=f"{unique}/other", SecretString="no")["ARN"]
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}}
            ],
        }
    )
    role = make_role(
        aws("iam"),
        f"{unique}-reader",
        {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secret},
        trust=trust,
    )
    reader = client_as_role(aws("sts"), aws("sts").meta.endpoint_url, role, "secretsmanager")
    for secret_id in (secret, f"{unique}/db", secret.rsplit("-", 1)[0]):
        assert reader.get_secret_value(SecretId=secret_id)["SecretString"] == "s3cret"
    with pytest.raises(ClientError) as refused:
        reader.get_secret_value(SecretId=other)
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
