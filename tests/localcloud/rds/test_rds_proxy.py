"""RDS Proxy endpoints clients connect through (a loopback address of their own, port 5432), refusing
what RDS Proxy refuses."""

from __future__ import annotations

import json
import ssl

import pytest
from botocore.exceptions import ClientError

from conftest import make_role, trust
from harness import certificate_authority

pytestmark = pytest.mark.localcloud

RDS_TRUST = trust("rds.amazonaws.com")


def tls() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return context


@pytest.fixture
def database(aws, unique):
    """An instance with its password in the managed secret, in subnets of a VPC a proxy can live in too (both
    in the VPC's default security group, which admits its own members)."""
    rds, ec2 = aws("rds"), aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{n}.0/24")["Subnet"]["SubnetId"] for n in (1, 2)]
    rds.create_db_subnet_group(DBSubnetGroupName=unique, DBSubnetGroupDescription="proxy test", SubnetIds=subnets)
    instance = rds.create_db_instance(
        DBInstanceIdentifier=unique,
        Engine="postgres",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="app_owner",
        ManageMasterUserPassword=True,
        DBName="orders",
        DBSubnetGroupName=unique,
    )["DBInstance"]
    return {"identifier": unique, "secret": instance["MasterUserSecret"]["SecretArn"], "subnets": subnets}


def make_proxy(aws, database, name: str, *, may_read_secret: bool = True, register: bool = True) -> dict:
    statements = [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": database["secret"]}]
    role = make_role(aws("iam"), f"{name}-role", *(statements if may_read_secret else []), trust=RDS_TRUST)
    rds = aws("rds")
    proxy = rds.create_db_proxy(
        DBProxyName=name,
        EngineFamily="POSTGRESQL",
        RoleArn=role,
        RequireTLS=True,
        VpcSubnetIds=database["subnets"],
        Auth=[{"AuthScheme": "SECRETS", "SecretArn": database["secret"], "IAMAuth": "DISABLED"}],
    )["DBProxy"]
    if register:
        rds.register_db_proxy_targets(DBProxyName=name, DBInstanceIdentifiers=[database["identifier"]])
    return proxy


def login(aws, database, host: str, context: ssl.SSLContext | bool = False):
    """Log in with the proxy's secret; without a context, in plain text (pg8000's None would try TLS first)."""
    import pg8000.native

    secret = json.loads(aws("secretsmanager").get_secret_value(SecretId=database["secret"])["SecretString"])
    return pg8000.native.Connection(
        secret["username"],
        password=secret["password"],
        host=host,
        port=5432,
        database="orders",
        ssl_context=context,
        timeout=10,
    )


def test_a_client_reaches_the_database_through_the_proxy_endpoint_on_port_5432(aws, database, unique):
    proxy = make_proxy(aws, database, f"{unique}-px")
    assert proxy["Endpoint"].startswith("127.0.") and proxy["Endpoint"] != "127.0.0.1"
    db = login(aws, database, proxy["Endpoint"], tls())
    assert db.run("SELECT current_database(), current_user") == [["orders", "app_owner"]]
    db.close()
    target = aws("rds").describe_db_proxy_targets(DBProxyName=f"{unique}-px")["Targets"][0]
    instance = aws("rds").describe_db_instances(DBInstanceIdentifier=unique)["DBInstances"][0]
    assert target["Endpoint"] == instance["Endpoint"]["Address"] and target["TargetHealth"]["State"] == "AVAILABLE"


def test_a_client_without_tls_is_refused_when_the_proxy_requires_it(aws, database, unique):
    import pg8000.native

    proxy = make_proxy(aws, database, f"{unique}-px")
    assert aws("rds").describe_db_proxies(DBProxyName=f"{unique}-px")["DBProxies"][0]["RequireTLS"] is True
    with pytest.raises(pg8000.native.DatabaseError, match="requires TLS"):
        login(aws, database, proxy["Endpoint"])


def test_a_login_as_a_user_none_of_the_proxys_secrets_holds_is_refused(aws, database, unique):
    import pg8000.native

    proxy = make_proxy(aws, database, f"{unique}-px")
    instance = aws("rds").describe_db_instances(DBInstanceIdentifier=unique)["DBInstances"][0]["Endpoint"]
    master = login(aws, database, instance["Address"], tls())  # straight to the instance, as an operator
    stranger = f"stranger_{unique.replace('-', '_')}"
    master.run(f"CREATE ROLE {stranger} LOGIN PASSWORD 'Str4nger-pass'")
    master.close()
    with pytest.raises(pg8000.native.DatabaseError, match=f"This RDS proxy has no credentials for the role {stranger}"):
        pg8000.native.Connection(
            stranger, password="Str4nger-pass", host=proxy["Endpoint"], database="orders", ssl_context=tls(), timeout=10
        )
    login(aws, database, proxy["Endpoint"], tls()).close()  # its secret's user still gets through


def test_a_proxy_whose_role_may_not_read_the_secret_is_unavailable_and_refuses_clients(aws, database, unique):
    import pg8000.native

    proxy = make_proxy(aws, database, f"{unique}-px", may_read_secret=False)
    health = aws("rds").describe_db_proxy_targets(DBProxyName=f"{unique}-px")["Targets"][0]["TargetHealth"]
    assert health["State"] == "UNAVAILABLE" and health["Reason"] == "AUTH_FAILURE"
    assert "secretsmanager:GetSecretValue" in health["Description"]
    with pytest.raises((pg8000.native.InterfaceError, OSError)):
        login(aws, database, proxy["Endpoint"], tls())
    aws("iam").put_role_policy(
        RoleName=f"{unique}-px-role",
        PolicyName="secret",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": database["secret"]}
                ],
            }
        ),
    )
    login(aws, database, proxy["Endpoint"], tls()).close()


def test_a_proxy_without_a_target_refuses_clients(aws, database, unique):
    import pg8000.native

    proxy = make_proxy(aws, database, f"{unique}-px", register=False)
    with pytest.raises((pg8000.native.InterfaceError, OSError)):
        login(aws, database, proxy["Endpoint"], tls())


def test_deleting_a_proxy_closes_its_endpoint(aws, database, unique):
    import socket

    proxy = make_proxy(aws, database, f"{unique}-px")
    aws("rds").delete_db_proxy(DBProxyName=f"{unique}-px")
    with socket.socket() as probe:
        assert probe.connect_ex((proxy["Endpoint"], 5432)) != 0


@pytest.mark.parametrize(
    "auth, code",
    [
        (
            {
                "AuthScheme": "SECRETS",
                "SecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:none-AbCdEf",
                "IAMAuth": "DISABLED",
            },
            "InvalidParameterValue",
        ),
        ({"AuthScheme": "SECRETS", "IAMAuth": "REQUIRED"}, "InvalidParameterCombination"),
    ],
)
def test_a_proxy_with_credentials_it_cannot_use_is_refused(aws, database, unique, auth, code):
    role = make_role(aws("iam"), f"{unique}-r", trust=RDS_TRUST)
    auth = {**auth, "SecretArn": auth.get("SecretArn", database["secret"])}
    with pytest.raises(ClientError) as refused:
        aws("rds").create_db_proxy(
            DBProxyName=f"{unique}-px",
            EngineFamily="POSTGRESQL",
            RoleArn=role,
            VpcSubnetIds=database["subnets"],
            Auth=[auth],
        )
    assert refused.value.response["Error"]["Code"] == code


def test_tls_ends_at_the_proxy_with_a_certificate_for_its_address_that_clients_verify(
    aws, database, unique, local_cloud
):
    import pg8000.native

    proxy = make_proxy(aws, database, f"{unique}-px")
    verifying = ssl.create_default_context(cadata=certificate_authority(local_cloud))  # verify-full: chain and host
    db = login(aws, database, proxy["Endpoint"], verifying)
    assert db.run("SELECT 1") == [[1]]
    db.close()
    untrusting = ssl.create_default_context(cafile=ssl.get_default_verify_paths().openssl_cafile)
    with pytest.raises((pg8000.native.InterfaceError, ssl.SSLError), match="certificate verify failed"):
        login(aws, database, proxy["Endpoint"], untrusting)
