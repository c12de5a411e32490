"""An SDK's retry of a create or delete call (same amz-sdk-invocation-id) gets the first answer; another call with the
same name still finds the name taken, as in AWS."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from conftest import LAMBDA_TRUST

pytestmark = pytest.mark.localcloud


def with_invocation_id(client, invocation_id: str):
    def pin(request, **kwargs):
        request.headers["amz-sdk-invocation-id"] = invocation_id

    client.meta.events.register("before-send.*", pin)
    return client


def test_a_retried_create_role_gets_its_first_answer(aws, unique):
    retrying = with_invocation_id(aws("iam"), f"{unique}-call-1")
    first = retrying.create_role(RoleName=unique, AssumeRolePolicyDocument=LAMBDA_TRUST)["Role"]
    again = retrying.create_role(RoleName=unique, AssumeRolePolicyDocument=LAMBDA_TRUST)["Role"]
    assert again["Arn"] == first["Arn"] and again["RoleId"] == first["RoleId"]


def test_another_call_for_an_existing_name_is_refused(aws, unique):
    aws("iam").create_role(RoleName=unique, AssumeRolePolicyDocument=LAMBDA_TRUST)
    with pytest.raises(ClientError) as refused:
        aws("iam").create_role(RoleName=unique, AssumeRolePolicyDocument=json.dumps(json.loads(LAMBDA_TRUST)))
    assert refused.value.response["Error"]["Code"] == "EntityAlreadyExists"


def test_a_refused_create_is_not_remembered(aws, unique):
    retrying = with_invocation_id(aws("iam"), f"{unique}-call-2")
    with pytest.raises(ClientError):
        retrying.create_role(RoleName=unique + "-" + "x" * 64, AssumeRolePolicyDocument=LAMBDA_TRUST)  # too long
    assert retrying.create_role(RoleName=unique, AssumeRolePolicyDocument=LAMBDA_TRUST)["Role"]["RoleName"] == unique


def test_a_retried_delete_gets_its_first_answer_and_another_delete_is_not_found(aws, unique):
    ddb = aws("dynamodb")
    ddb.create_table(
        TableName=unique,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )
    retrying = with_invocation_id(aws("dynamodb"), f"{unique}-delete-1")
    first = retrying.delete_table(TableName=unique)["TableDescription"]
    assert retrying.delete_table(TableName=unique)["TableDescription"]["TableArn"] == first["TableArn"]
    with pytest.raises(ClientError) as missing:
        aws("dynamodb").delete_table(TableName=unique)
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_retried_revoke_gets_its_first_answer_and_another_revoke_is_refused(aws, unique):
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName=unique, Description="retries", VpcId=vpc)["GroupId"]
    https = [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]
    retrying = with_invocation_id(aws("ec2"), f"{unique}-authorize-1")
    rule = retrying.authorize_security_group_ingress(GroupId=group, IpPermissions=https)["SecurityGroupRules"][0]
    retrying.authorize_security_group_ingress(GroupId=group, IpPermissions=https)  # its answer was lost
    retrying = with_invocation_id(aws("ec2"), f"{unique}-revoke-1")
    retrying.revoke_security_group_ingress(GroupId=group, SecurityGroupRuleIds=[rule["SecurityGroupRuleId"]])
    retrying.revoke_security_group_ingress(GroupId=group, SecurityGroupRuleIds=[rule["SecurityGroupRuleId"]])
    with pytest.raises(ClientError) as gone:
        ec2.revoke_security_group_ingress(GroupId=group, SecurityGroupRuleIds=[rule["SecurityGroupRuleId"]])
    assert gone.value.response["Error"]["Code"] == "InvalidSecurityGroupRuleId.NotFound"
