"""RDS's metrics, sampled from the real server behind the instances: what the database alarms watch."""

from __future__ import annotations

import json
import urllib.request

import pytest

from conftest import make_role, postgres_instance, trust
from harness import metric_datapoints

pytestmark = pytest.mark.localcloud


def sample(local_cloud) -> int:
    request = urllib.request.Request(
        f"{local_cloud.endpoint}/_localcloud/rds/sample-metrics", data=b"{}", method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return int(json.loads(answer.read())["sampled"])


def test_an_instance_reports_its_sessions_and_the_storage_its_database_leaves_free(aws, local_cloud, unique):
    import ssl

    import pg8000.native

    endpoint = postgres_instance(aws, unique, "owner6", "right-pass-6", "d6")
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    sessions = [
        pg8000.native.Connection(
            "owner6", password="right-pass-6", host=endpoint["Address"], database="d6", ssl_context=context, timeout=10
        )
        for _ in range(3)
    ]
    try:
        assert sample(local_cloud) >= 1
    finally:
        for session in sessions:
            session.close()
    cloudwatch, dimensions = aws("cloudwatch"), {"DBInstanceIdentifier": unique}
    assert metric_datapoints(cloudwatch, "AWS/RDS", "DatabaseConnections", dimensions, "Maximum") == [3]
    (free,) = metric_datapoints(cloudwatch, "AWS/RDS", "FreeStorageSpace", dimensions, "Minimum")
    assert 19 * 1024**3 < free < 20 * 1024**3  # 20 GiB less an empty database's few megabytes


def test_a_proxy_reports_its_availability_once_its_target_is_registered_and_none_while_it_cannot_serve(
    aws, local_cloud, unique
):
    rds, ec2 = aws("rds"), aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.30.{n}.0/24")["Subnet"]["SubnetId"] for n in (1, 2)]
    rds.create_db_subnet_group(DBSubnetGroupName=unique, DBSubnetGroupDescription="metrics", SubnetIds=subnets)
    instance = rds.create_db_instance(
        DBInstanceIdentifier=unique,
        Engine="postgres",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="owner7",
        ManageMasterUserPassword=True,
        DBName="d7",
        DBSubnetGroupName=unique,
    )["DBInstance"]
    secret = instance["MasterUserSecret"]["SecretArn"]
    role = make_role(
        aws("iam"),
        f"{unique}-proxy",
        {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secret},
        trust=trust("rds.amazonaws.com"),
    )
    rds.create_db_proxy(
        DBProxyName=unique,
        EngineFamily="POSTGRESQL",
        RoleArn=role,
        VpcSubnetIds=subnets,
        Auth=[{"AuthScheme": "SECRETS", "SecretArn": secret, "IAMAuth": "DISABLED"}],
    )
    dimensions = {"ProxyName": unique, "TargetGroup": "default", "TargetRole": "READ_WRITE"}
    cloudwatch = aws("cloudwatch")
    sample(local_cloud)
    assert metric_datapoints(cloudwatch, "AWS/RDS", "AvailabilityPercentage", dimensions, "Maximum") == []
    rds.register_db_proxy_targets(DBProxyName=unique, DBInstanceIdentifiers=[unique])
    sample(local_cloud)
    assert metric_datapoints(cloudwatch, "AWS/RDS", "AvailabilityPercentage", dimensions, "Maximum") == [100]
    aws("iam").delete_role_policy(RoleName=f"{unique}-proxy", PolicyName="inline")  # it can no longer log in
    sample(local_cloud)
    assert metric_datapoints(cloudwatch, "AWS/RDS", "AvailabilityPercentage", dimensions, "Minimum") == [0]
