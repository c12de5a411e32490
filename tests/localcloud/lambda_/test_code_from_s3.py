"""Function code from S3 is read once, as the caller, from the named version, in the function's region."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from conftest import ROOT_TRUST, make_role, zip_source
from harness import client_as_role

pytestmark = pytest.mark.localcloud

ACCOUNT = "123456789012"
ANSWER = "def handler(event, context):\n    return {'version': %d}\n"


def refusal(call) -> dict:
    with pytest.raises(ClientError) as refused:
        call()
    return {**refused.value.response["Error"], "Status": refused.value.response["ResponseMetadata"]["HTTPStatusCode"]}


@pytest.fixture
def code_bucket(aws, unique) -> str:
    s3 = aws("s3")
    s3.create_bucket(Bucket=f"{unique}-code")
    s3.put_bucket_versioning(Bucket=f"{unique}-code", VersioningConfiguration={"Status": "Enabled"})
    return f"{unique}-code"


@pytest.fixture
def execution_role(aws, unique) -> str:
    return make_role(aws("iam"), f"{unique}-fn")


def upload(aws, bucket: str, key: str, version: int) -> str:
    body = zip_source({"fn.py": ANSWER % version})
    return aws("s3").put_object(Bucket=bucket, Key=key, Body=body)["VersionId"]


def create(lambda_client, name: str, role: str, code: dict):
    return lambda_client.create_function(
        FunctionName=name, Runtime="python3.11", Role=role, Handler="fn.handler", Code=code
    )


def answer(aws, name: str) -> dict:
    return json.loads(aws("lambda").invoke(FunctionName=name)["Payload"].read())


def test_a_function_runs_the_object_version_it_names_not_the_latest(aws, unique, code_bucket, execution_role):
    first = upload(aws, code_bucket, "fn.zip", 1)
    upload(aws, code_bucket, "fn.zip", 2)
    create(
        aws("lambda"), unique, execution_role, {"S3Bucket": code_bucket, "S3Key": "fn.zip", "S3ObjectVersion": first}
    )
    assert answer(aws, unique) == {"version": 1}
    aws("lambda").update_function_code(FunctionName=unique, S3Bucket=code_bucket, S3Key="fn.zip")
    assert answer(aws, unique) == {"version": 2}
    aws("lambda").update_function_code(FunctionName=unique, S3Bucket=code_bucket, S3Key="fn.zip", S3ObjectVersion=first)
    assert answer(aws, unique) == {"version": 1}


def test_a_missing_key_or_version_is_refused_with_s3s_code(aws, unique, code_bucket, execution_role):
    upload(aws, code_bucket, "fn.zip", 1)
    missing_key = refusal(
        lambda: create(aws("lambda"), unique, execution_role, {"S3Bucket": code_bucket, "S3Key": "no.zip"})
    )
    assert missing_key == {
        "Code": "InvalidParameterValueException",
        "Message": "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.",
        "Status": 400,
    }
    missing_version = refusal(
        lambda: create(
            aws("lambda"),
            unique,
            execution_role,
            {"S3Bucket": code_bucket, "S3Key": "fn.zip", "S3ObjectVersion": "nope"},
        )
    )
    assert missing_version["Message"] == (
        "Error occurred while GetObject. S3 Error Code: NoSuchVersion. S3 Error Message: The specified version does not exist."
    )
    create(aws("lambda"), unique, execution_role, {"ZipFile": zip_source({"fn.py": ANSWER % 0})})
    missing_bucket = refusal(
        lambda: aws("lambda").update_function_code(FunctionName=unique, S3Bucket=f"{unique}-none", S3Key="fn.zip")
    )
    assert (missing_bucket["Code"], missing_bucket["Message"]) == (
        "InvalidParameterValueException",
        "Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist",
    )
    assert answer(aws, unique) == {"version": 0}  # the refused update changed nothing


def test_code_in_a_bucket_of_another_region_is_refused(aws, unique, execution_role):
    s3 = client_in_region(aws, "s3", "eu-west-1")
    s3.create_bucket(Bucket=f"{unique}-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_object(Bucket=f"{unique}-eu", Key="fn.zip", Body=zip_source({"fn.py": ANSWER % 1}))
    error = refusal(
        lambda: create(aws("lambda"), unique, execution_role, {"S3Bucket": f"{unique}-eu", "S3Key": "fn.zip"})
    )
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValueException",
        "Error occurred while GetObject. S3 Error Code: PermanentRedirect. S3 Error Message: The bucket is in this "
        "region: eu-west-1. Please use this region to retry the request",
    )


def test_the_caller_must_be_allowed_to_read_the_code_object(aws, unique, code_bucket, execution_role):
    upload(aws, code_bucket, "fn.zip", 1)
    may_create = {"Effect": "Allow", "Action": ["lambda:CreateFunction", "iam:PassRole"], "Resource": "*"}
    deployer = make_role(aws("iam"), f"{unique}-deployer", may_create, trust=ROOT_TRUST)
    as_deployer = client_as_role(aws("sts"), aws("lambda").meta.endpoint_url, deployer, "lambda")
    code = {"S3Bucket": code_bucket, "S3Key": "fn.zip"}
    error = refusal(lambda: create(as_deployer, unique, execution_role, code))
    assert error == {
        "Code": "AccessDeniedException",
        "Message": (
            f"Your access has been denied by S3, please make sure your request credentials have permission to GetObject "
            f"for {code_bucket}/fn.zip. S3 Error Code: AccessDenied. S3 Error Message: Access Denied"
        ),
        "Status": 403,
    }
    missing = refusal(lambda: create(as_deployer, unique, execution_role, {**code, "S3Key": "no-such.zip"}))
    assert (missing["Code"], missing["Status"]) == ("AccessDeniedException", 403)  # S3 tells it nothing more
    aws("iam").put_role_policy(
        RoleName=f"{unique}-deployer",
        PolicyName="read-code",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{code_bucket}/*"}
                ],
            }
        ),
    )
    create(as_deployer, unique, execution_role, code)
    assert answer(aws, unique) == {"version": 1}


def test_code_encrypted_with_a_key_the_caller_may_not_use_is_refused(aws, unique, code_bucket, execution_role):
    key = aws("kms").create_key(
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ],
            }
        )
    )["KeyMetadata"]["Arn"]
    aws("s3").put_object(
        Bucket=code_bucket,
        Key="fn.zip",
        Body=zip_source({"fn.py": ANSWER % 1}),
        ServerSideEncryption="aws:kms",
        SSEKMSKeyId=key,
    )
    reads_code = [
        {"Effect": "Allow", "Action": ["lambda:CreateFunction", "iam:PassRole"], "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{code_bucket}/*"},
    ]
    deployer = make_role(aws("iam"), f"{unique}-deployer", *reads_code, trust=ROOT_TRUST)
    as_deployer = client_as_role(aws("sts"), aws("lambda").meta.endpoint_url, deployer, "lambda")
    code = {"S3Bucket": code_bucket, "S3Key": "fn.zip"}
    assert refusal(lambda: create(as_deployer, unique, execution_role, code))["Code"] == "AccessDeniedException"
    aws("iam").put_role_policy(
        RoleName=f"{unique}-deployer",
        PolicyName="decrypt-code",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key}]}
        ),
    )
    create(as_deployer, unique, execution_role, code)
    assert answer(aws, unique) == {"version": 1}


def client_in_region(aws, service: str, region: str):
    endpoint = aws(service).meta.endpoint_url
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="localcloud",
        aws_secret_access_key="localcloud",
    )
