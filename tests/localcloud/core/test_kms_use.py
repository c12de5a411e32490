"""A KMS key's policy decides who may use it through a service, and which services may deliver into what it
encrypts: a forgotten key statement fails locally as it fails in AWS."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from conftest import make_role
from harness import allow_topic_to_send, client_as_role, sns_metric_sum

pytestmark = pytest.mark.localcloud

ACCOUNT = "123456789012"
ROOT_ONLY = {
    "Sid": "Account",
    "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
    "Action": "kms:*",
    "Resource": "*",
}


def key_with(aws, *statements: dict) -> str:
    return aws("kms").create_key(Policy=json.dumps({"Version": "2012-10-17", "Statement": [ROOT_ONLY, *statements]}))[
        "KeyMetadata"
    ]["Arn"]


def grant_key_use(aws, role_name: str, key: str, actions: str | list[str], via: str | None = None) -> None:
    """The role's own policy lets it use the key (through one service only, `via`, when given)."""
    statement = {"Effect": "Allow", "Action": actions, "Resource": key}
    if via:
        statement["Condition"] = {"StringEquals": {"kms:ViaService": f"{via}.us-east-1.amazonaws.com"}}
    aws("iam").put_role_policy(
        RoleName=role_name,
        PolicyName="key",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [statement]}),
    )


def service_statement(service: str) -> dict:
    return {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
        "Resource": "*",
    }


def queue(aws, name: str, key: str | None) -> tuple[str, str]:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=name, Attributes={"KmsMasterKeyId": key} if key else {})["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def test_a_producer_needs_the_queue_keys_generate_data_key_and_decrypt(aws, unique):
    key = key_with(aws)
    url, arn = queue(aws, unique, key)
    role = make_role(
        aws("iam"), f"{unique}-producer", {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": arn}
    )
    sqs = client_as_role(aws("sts"), aws("sqs").meta.endpoint_url, role, "sqs")
    with pytest.raises(ClientError) as refused:
        sqs.send_message(QueueUrl=url, MessageBody="x")
    assert refused.value.response["Error"]["Code"] == "KMS.AccessDeniedException"
    assert f"kms:GenerateDataKey on resource: {key}" in refused.value.response["Error"]["Message"]
    grant_key_use(aws, f"{unique}-producer", key, ["kms:GenerateDataKey", "kms:Decrypt"])
    sqs.send_message(QueueUrl=url, MessageBody="x")


def test_an_aws_managed_key_describes_itself_as_aws_managed(aws, unique):
    kms = aws("kms")
    # DynamoDB makes its AWS managed key when a table is first encrypted by default with KMS.
    aws("dynamodb").create_table(
        TableName=unique,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        SSESpecification={"Enabled": True, "SSEType": "KMS"},
    )
    for alias in ("alias/aws/dynamodb", "alias/aws/lambda", "alias/aws/secretsmanager"):
        assert kms.describe_key(KeyId=alias)["KeyMetadata"]["KeyManager"] == "AWS"
    assert kms.describe_key(KeyId=key_with(aws))["KeyMetadata"]["KeyManager"] == "CUSTOMER"


def test_the_aws_managed_queue_key_needs_no_key_permission_from_the_queues_own_callers(aws, unique):
    url, arn = queue(aws, unique, "alias/aws/sqs")
    role = make_role(
        aws("iam"), f"{unique}-producer", {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": arn}
    )
    client_as_role(aws("sts"), aws("sqs").meta.endpoint_url, role, "sqs").send_message(QueueUrl=url, MessageBody="x")


@pytest.mark.parametrize("key_kind, delivered", [("without sns", False), ("with sns", True), ("aws managed", False)])
def test_sns_delivers_into_an_encrypted_queue_only_when_the_key_policy_names_sns(aws, unique, key_kind, delivered):
    key = {
        "without sns": lambda: key_with(aws),
        "with sns": lambda: key_with(aws, service_statement("sns.amazonaws.com")),
        "aws managed": lambda: "alias/aws/sqs",
    }[key_kind]()
    topic = aws("sns").create_topic(Name=unique)["TopicArn"]
    url, arn = queue(aws, f"{unique}-q", key)
    allow_topic_to_send(aws("sqs"), url, arn, topic)
    aws("sns").subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    aws("sns").publish(TopicArn=topic, Message="sealed")
    bodies = [m["Body"] for m in aws("sqs").receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", [])]
    assert bodies == (["sealed"] if delivered else [])
    failed = sns_metric_sum(aws("cloudwatch"), unique, "NumberOfNotificationsFailed")
    assert failed == (0 if delivered else 1)


def test_s3_notifications_into_an_encrypted_queue_need_the_key_policy_to_name_s3(aws, unique):
    key = key_with(aws)
    url, arn = queue(aws, f"{unique}-q", key)
    aws("sqs").set_queue_attributes(
        QueueUrl=url,
        Attributes={
            "Policy": json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "s3.amazonaws.com"},
                            "Action": "sqs:SendMessage",
                            "Resource": arn,
                        }
                    ],
                }
            )
        },
    )
    s3 = aws("s3")
    s3.create_bucket(Bucket=unique)
    config = {"QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]}
    with pytest.raises(ClientError, match="Unable to validate the following destination configurations"):
        s3.put_bucket_notification_configuration(Bucket=unique, NotificationConfiguration=config)
    aws("kms").put_key_policy(
        KeyId=key,
        PolicyName="default",
        Policy=json.dumps({"Version": "2012-10-17", "Statement": [ROOT_ONLY, service_statement("s3.amazonaws.com")]}),
    )
    s3.put_bucket_notification_configuration(Bucket=unique, NotificationConfiguration=config)


def test_a_writer_into_an_sse_kms_bucket_needs_generate_data_key_on_its_key(aws, unique):
    key = key_with(aws)
    s3 = aws("s3")
    s3.create_bucket(Bucket=unique)
    s3.put_bucket_encryption(
        Bucket=unique,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}}]
        },
    )
    role = make_role(
        aws("iam"),
        f"{unique}-writer",
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{unique}/*"},
    )
    writer = client_as_role(aws("sts"), s3.meta.endpoint_url, role, "s3")
    with pytest.raises(ClientError) as refused:
        writer.put_object(Bucket=unique, Key="k", Body=b"x")
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    assert "kms:GenerateDataKey" in refused.value.response["Error"]["Message"]
    grant_key_use(aws, f"{unique}-writer", key, "kms:GenerateDataKey")
    writer.put_object(Bucket=unique, Key="k", Body=b"x")


def test_a_put_naming_a_customer_managed_key_needs_generate_data_key_on_that_key(aws, unique):
    key = key_with(aws)
    s3 = aws("s3")
    s3.create_bucket(Bucket=unique)  # no default encryption: the request alone names the key
    role = make_role(
        aws("iam"),
        f"{unique}-writer",
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{unique}/*"},
        trust=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
             "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}}]}
        ),
    )  # fmt: skip
    writer = client_as_role(aws("sts"), s3.meta.endpoint_url, role, "s3")
    writer.put_object(Bucket=unique, Key="plain", Body=b"x", ServerSideEncryption="AES256")
    with pytest.raises(ClientError) as refused:
        writer.put_object(Bucket=unique, Key="k", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key)
    assert "kms:GenerateDataKey" in refused.value.response["Error"]["Message"]
    grant_key_use(aws, f"{unique}-writer", key, "kms:GenerateDataKey")
    writer.put_object(Bucket=unique, Key="k", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key)


def test_a_log_group_is_encrypted_only_with_a_key_whose_policy_admits_cloudwatch_logs(aws, unique):
    logs, region = aws("logs"), "us-east-1"
    closed = key_with(aws)
    with pytest.raises(ClientError) as refused:
        logs.create_log_group(logGroupName=f"/{unique}/closed", kmsKeyId=closed)
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
    assert f"log-group:/{unique}/closed'" in refused.value.response["Error"]["Message"]
    open_to_logs = key_with(
        aws,
        {
            "Effect": "Allow",
            "Principal": {"Service": f"logs.{region}.amazonaws.com"},
            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            "Resource": "*",
            "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:{ACCOUNT}:*"}},
        },
    )
    logs.create_log_group(logGroupName=f"/{unique}/open", kmsKeyId=open_to_logs)


def encrypted_table(aws, name: str, key: str | None) -> str:
    sse = {"Enabled": True, "SSEType": "KMS", **({"KMSMasterKeyId": key} if key else {})}
    return aws("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        SSESpecification=sse,
    )["TableDescription"]["TableArn"]


TABLE_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]


def test_reading_or_writing_a_table_on_a_customer_managed_key_needs_kms_decrypt_through_dynamodb(aws, unique):
    key = key_with(aws)
    arn = encrypted_table(aws, unique, key)
    role = make_role(aws("iam"), f"{unique}-app", {"Effect": "Allow", "Action": TABLE_ACTIONS, "Resource": arn})
    ddb = client_as_role(aws("sts"), aws("dynamodb").meta.endpoint_url, role, "dynamodb")
    item = {"id": {"S": "a"}}
    for call, params in ((ddb.put_item, {"Item": item}), (ddb.get_item, {"Key": item})):
        with pytest.raises(ClientError) as refused:
            call(TableName=unique, **params)
        error = refused.value.response["Error"]
        assert error["Code"] == "AccessDeniedException"
        assert error["Message"].startswith(
            "KMS key access denied error: com.amazonaws.services.kms.model.AWSKMSException"
        )
        assert f"kms:Decrypt on resource: {key}" in error["Message"]
    # Decrypt through DynamoDB only, as a key policy or role usually grants it
    grant_key_use(aws, f"{unique}-app", key, "kms:Decrypt", via="dynamodb")
    ddb.put_item(TableName=unique, Item=item)
    assert ddb.get_item(TableName=unique, Key=item)["Item"] == item


def test_a_table_on_the_aws_managed_key_needs_no_key_permission(aws, unique):
    arn = encrypted_table(aws, unique, None)
    role = make_role(aws("iam"), f"{unique}-app", {"Effect": "Allow", "Action": TABLE_ACTIONS, "Resource": arn})
    ddb = client_as_role(aws("sts"), aws("dynamodb").meta.endpoint_url, role, "dynamodb")
    ddb.put_item(TableName=unique, Item={"id": {"S": "a"}})


def test_reading_a_secret_on_a_customer_managed_key_needs_kms_decrypt(aws, unique):
    key = key_with(aws)
    secret = aws("secretsmanager").create_secret(Name=unique, SecretString="s3cret", KmsKeyId=key)["ARN"]
    role = make_role(
        aws("iam"),
        f"{unique}-reader",
        {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secret},
    )
    secrets = client_as_role(aws("sts"), aws("secretsmanager").meta.endpoint_url, role, "secretsmanager")
    with pytest.raises(ClientError) as refused:
        secrets.get_secret_value(SecretId=unique)
    error = refused.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("AccessDeniedException", "Access to KMS is not allowed")
    grant_key_use(aws, f"{unique}-reader", key, "kms:Decrypt")
    assert secrets.get_secret_value(SecretId=unique)["SecretString"] == "s3cret"


def test_a_function_whose_environment_key_is_disabled_or_deleted_fails_every_invoke(aws, unique, make_function):
    key = key_with(aws)
    name = make_function(
        "def handler(event, context):\n    return 'ran'\n", KMSKeyArn=key, Environment={"Variables": {"MODE": "on"}}
    )
    assert json.loads(aws("lambda").invoke(FunctionName=name)["Payload"].read()) == "ran"
    key_id = key.rsplit("/", 1)[1]
    aws("kms").disable_key(KeyId=key_id)
    with pytest.raises(ClientError) as disabled:
        aws("lambda").invoke(FunctionName=name)
    assert disabled.value.response["Error"]["Code"] == "KMSDisabledException"
    assert disabled.value.response["ResponseMetadata"]["HTTPStatusCode"] == 502
    aws("kms").enable_key(KeyId=key_id)
    aws("kms").schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    with pytest.raises(ClientError) as pending:
        aws("lambda").invoke(FunctionName=name)
    assert pending.value.response["Error"]["Code"] == "KMSInvalidStateException"
    assert "the KMS key used is in an invalid state" in pending.value.response["Error"]["Message"]
