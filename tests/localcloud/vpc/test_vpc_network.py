"""A VPC is a network: security groups decide which function reaches a database, and a function in a private
subnet reaches an AWS API only through a VPC endpoint (whose policy counts) or a NAT gateway."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import make_role, make_table

pytestmark = pytest.mark.localcloud

# Probes the network from inside a function: a TCP connection that a PostgreSQL server answers at once
# (SSLRequest -> "S"), or one AWS API call; a timeout is what a dropped packet looks like.
PROBE = """
import socket, struct
import boto3
from botocore.config import Config

def handler(event, context):
    if "host" in event:
        try:
            with socket.create_connection((event["host"], event["port"]), timeout=2) as connection:
                connection.settimeout(2)
                connection.sendall(struct.pack("!II", 8, 80877103))
                return {"answer": connection.recv(1).decode()}
        except OSError as error:
            return {"answer": None, "error": type(error).__name__}
    config = Config(connect_timeout=2, read_timeout=2, retries={"max_attempts": 0})
    client = boto3.client(event["service"], config=config)
    try:
        getattr(client, event["call"])(**event.get("args", {}))
        return {"ok": True}
    except Exception as error:
        return {"ok": False, "error": type(error).__name__, "message": str(error)}
"""


@pytest.fixture
def network(aws, unique) -> dict[str, Any]:
    """A VPC with two private subnets on one route table, a group for functions ("app") and one for the
    database ("db") that admits "app" on 5432, and a database in the VPC in "db"."""
    ec2, rds = aws("ec2"), aws("rds")
    vpc = ec2.create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.77.{n}.0/24", AvailabilityZone=f"us-east-1{zone}")["Subnet"][
            "SubnetId"
        ]
        for n, zone in ((1, "a"), (2, "b"))
    ]
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    for subnet in subnets:
        ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)

    def group(name: str) -> str:
        made = ec2.create_security_group(GroupName=f"{unique}-{name}", Description=name, VpcId=vpc)["GroupId"]
        ec2.revoke_security_group_egress(
            GroupId=made, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
        )
        return made

    app, db, stranger = group("app"), group("db"), group("stranger")
    ec2.authorize_security_group_ingress(
        GroupId=db,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": app}]}],
    )
    for source in (app, stranger):
        ec2.authorize_security_group_egress(
            GroupId=source,
            IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": db}]}
            ],
        )
    rds.create_db_subnet_group(DBSubnetGroupName=unique, DBSubnetGroupDescription="vpc test", SubnetIds=subnets)
    instance = rds.create_db_instance(
        DBInstanceIdentifier=unique,
        Engine="postgres",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="app_owner",
        MasterUserPassword="S3cret-pass",
        DBSubnetGroupName=unique,
        VpcSecurityGroupIds=[db],
    )["DBInstance"]
    endpoint = rds.describe_db_instances(DBInstanceIdentifier=unique)["DBInstances"][0]["Endpoint"]
    yield {
        "vpc": vpc,
        "subnets": subnets,
        "route_table": table,
        "app": app,
        "db": db,
        "stranger": stranger,
        "database": {"host": endpoint["Address"], "port": endpoint["Port"]},
        "instance": instance["DBInstanceIdentifier"],
    }
    rds.delete_db_instance(DBInstanceIdentifier=unique, SkipFinalSnapshot=True)


def probe(aws, make_function, network, group: str | None, timeout: int = 6) -> Any:
    config: dict[str, Any] = {"Timeout": timeout}
    if group is not None:
        config["VpcConfig"] = {"SubnetIds": network["subnets"], "SecurityGroupIds": [network[group]]}
    name = make_function(PROBE, **config)

    def call(event: dict[str, Any]) -> dict[str, Any]:
        answer = aws("lambda").invoke(FunctionName=name, Payload=json.dumps(event))
        payload = json.loads(answer["Payload"].read())
        return {"function_error": answer.get("FunctionError"), **payload}

    return call


def test_a_function_in_a_group_the_database_admits_reaches_it(aws, make_function, network):
    call = probe(aws, make_function, network, "app")
    assert call(network["database"]) == {"function_error": None, "answer": "S"}


def test_a_function_in_a_group_the_database_does_not_admit_gets_no_answer(aws, make_function, network):
    call = probe(aws, make_function, network, "stranger")
    assert call(network["database"]) == {"function_error": None, "answer": None, "error": "TimeoutError"}


def test_a_function_outside_the_vpc_gets_no_answer_from_a_private_database(aws, make_function, network):
    call = probe(aws, make_function, network, None)
    assert call(network["database"])["answer"] is None


def test_a_function_whose_group_lets_nothing_out_gets_no_answer(aws, make_function, network):
    aws("ec2").revoke_security_group_egress(
        GroupId=network["app"],
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": network["db"]}]}
        ],
    )
    call = probe(aws, make_function, network, "app")
    assert call(network["database"])["answer"] is None


def test_an_operator_outside_the_functions_is_not_checked(network):
    """A test's own connection stands for an operator's session inside the network."""
    import socket
    import struct

    with socket.create_connection((network["database"]["host"], network["database"]["port"]), timeout=5) as conn:
        conn.sendall(struct.pack("!II", 8, 80877103))
        assert conn.recv(1) == b"S"


def _https_to(aws, group: str, **target: Any) -> None:
    aws("ec2").authorize_security_group_egress(
        GroupId=group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, **target}]
    )


def test_a_function_in_a_private_subnet_without_an_endpoint_times_out_calling_an_aws_api(
    aws, make_function, network, unique
):
    _https_to(aws, network["app"], IpRanges=[{"CidrIp": "0.0.0.0/0"}])
    call = probe(aws, make_function, network, "app")
    answer = call(
        {
            "service": "dynamodb",
            "call": "get_item",
            "args": {"TableName": make_table(aws, unique), "Key": {"id": {"S": "a"}}},
        }
    )
    assert answer["ok"] is False and answer["error"] in ("ReadTimeoutError", "ConnectTimeoutError"), answer


def test_a_gateway_endpoint_on_the_route_table_carries_dynamodb_calls_as_its_policy_allows(
    aws, make_function, network, unique
):
    ec2 = aws("ec2")
    table = make_table(aws, unique)
    endpoint = ec2.create_vpc_endpoint(
        VpcId=network["vpc"],
        ServiceName="com.amazonaws.us-east-1.dynamodb",
        VpcEndpointType="Gateway",
        RouteTableIds=[network["route_table"]],
        PolicyDocument=json.dumps(
            {
                "Statement": [
                    {"Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetItem", "Resource": "*"},
                ]
            }
        ),
    )["VpcEndpoint"]
    _https_to(aws, network["app"], PrefixListIds=[{"PrefixListId": endpoint_prefix_list(aws, endpoint)}])
    call = probe(aws, make_function, network, "app")
    get = call({"service": "dynamodb", "call": "get_item", "args": {"TableName": table, "Key": {"id": {"S": "a"}}}})
    assert get == {"function_error": None, "ok": True}
    put = call({"service": "dynamodb", "call": "put_item", "args": {"TableName": table, "Item": {"id": {"S": "a"}}}})
    assert (
        put["error"] == "ClientError"
        and "because no VPC endpoint policy allows the dynamodb:PutItem action" in put["message"]
    )


def endpoint_prefix_list(aws, endpoint: dict[str, Any]) -> str:
    lists = aws("ec2").describe_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": [endpoint["ServiceName"]]}]
    )
    return lists["PrefixLists"][0]["PrefixListId"]


def test_an_interface_endpoint_carries_calls_only_when_its_group_admits_the_function(
    aws, make_function, network, unique
):
    ec2 = aws("ec2")
    endpoints = ec2.create_security_group(
        GroupName=f"{unique}-endpoints", Description="endpoints", VpcId=network["vpc"]
    )["GroupId"]
    ec2.create_vpc_endpoint(
        VpcId=network["vpc"],
        ServiceName="com.amazonaws.us-east-1.sqs",
        VpcEndpointType="Interface",
        SubnetIds=network["subnets"],
        SecurityGroupIds=[endpoints],
        PrivateDnsEnabled=True,
    )
    _https_to(aws, network["app"], UserIdGroupPairs=[{"GroupId": endpoints}])
    call = probe(aws, make_function, network, "app")
    refused = call({"service": "sqs", "call": "list_queues"})
    assert refused["ok"] is False and refused["error"] in ("ReadTimeoutError", "ConnectTimeoutError"), refused
    ec2.authorize_security_group_ingress(
        GroupId=endpoints,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": [{"GroupId": network["app"]}]}
        ],
    )
    assert call({"service": "sqs", "call": "list_queues"}) == {"function_error": None, "ok": True}


def test_a_nat_gateway_route_carries_calls_only_once_its_subnet_reaches_an_internet_gateway(
    aws, make_function, network, unique
):
    ec2 = aws("ec2")
    public = ec2.create_subnet(VpcId=network["vpc"], CidrBlock="10.77.9.0/24")["Subnet"]["SubnetId"]
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=public, AllocationId=allocation)["NatGateway"]["NatGatewayId"]
    ec2.create_route(RouteTableId=network["route_table"], DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    _https_to(aws, network["app"], IpRanges=[{"CidrIp": "0.0.0.0/0"}])
    call = probe(aws, make_function, network, "app")
    stranded = call({"service": "sqs", "call": "list_queues"})
    assert stranded["ok"] is False and stranded["error"] in ("ReadTimeoutError", "ConnectTimeoutError"), stranded
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=network["vpc"])
    outside = ec2.create_route_table(VpcId=network["vpc"])["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=outside, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    ec2.associate_route_table(RouteTableId=outside, SubnetId=public)
    assert call({"service": "sqs", "call": "list_queues"}) == {"function_error": None, "ok": True}


def test_a_database_admitting_each_of_the_functions_subnets_by_cidr_admits_the_function(aws, make_function, network):
    ec2 = aws("ec2")
    for block in ("10.77.1.0/24", "10.77.2.0/24"):  # one rule per subnet: together they cover the function
        for group, direction in ((network["db"], "ingress"), (network["stranger"], "egress")):
            getattr(ec2, f"authorize_security_group_{direction}")(
                GroupId=group,
                IpPermissions=[
                    {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": block}]}
                ],
            )
    call = probe(aws, make_function, network, "stranger")
    assert call(network["database"]) == {"function_error": None, "answer": "S"}


def test_a_policy_can_require_the_calls_to_come_through_its_vpc_endpoint(aws, make_function, network, unique):
    ec2 = aws("ec2")
    table = make_table(aws, unique)
    endpoint = ec2.create_vpc_endpoint(
        VpcId=network["vpc"], ServiceName="com.amazonaws.us-east-1.dynamodb", RouteTableIds=[network["route_table"]]
    )["VpcEndpoint"]  # no type: a gateway endpoint, as AWS defaults
    _https_to(aws, network["app"], PrefixListIds=[{"PrefixListId": endpoint_prefix_list(aws, endpoint)}])
    role = make_role(
        aws("iam"),
        f"{unique}-through-endpoint",
        {"Effect": "Allow", "Action": ["ec2:*NetworkInterface*", "logs:*"], "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": "dynamodb:GetItem",
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:SourceVpce": endpoint["VpcEndpointId"], "aws:SourceVpc": network["vpc"]}
            },
        },
    )
    name = make_function(
        PROBE, Role=role, Timeout=6, VpcConfig={"SubnetIds": network["subnets"], "SecurityGroupIds": [network["app"]]}
    )
    answer = aws("lambda").invoke(
        FunctionName=name,
        Payload=json.dumps(
            {"service": "dynamodb", "call": "get_item", "args": {"TableName": table, "Key": {"id": {"S": "a"}}}}
        ),
    )
    assert json.loads(answer["Payload"].read()) == {"ok": True}


def test_a_vpcs_default_group_admits_its_own_members(aws, network):
    ec2 = aws("ec2")
    default = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [network["vpc"]]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"][0]
    assert default["IpPermissions"] == [
        {
            "IpProtocol": "-1",
            "UserIdGroupPairs": [{"UserId": default["OwnerId"], "GroupId": default["GroupId"]}],
            "IpRanges": [],
            "Ipv6Ranges": [],
            "PrefixListIds": [],
        }
    ]


def test_a_rule_naming_a_group_or_a_prefix_list_keeps_its_description(aws, network):
    ec2 = aws("ec2")
    ec2.authorize_security_group_ingress(
        GroupId=network["db"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 6379,
                "ToPort": 6379,
                "UserIdGroupPairs": [{"GroupId": network["app"], "Description": "the cache from the functions"}],
            }
        ],
    )
    prefix_list = ec2.describe_prefix_lists()["PrefixLists"][0]["PrefixListId"]
    _https_to(aws, network["app"], PrefixListIds=[{"PrefixListId": prefix_list, "Description": "to DynamoDB"}])
    rules = ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [network["db"], network["app"]]}]
    )["SecurityGroupRules"]
    descriptions = {r.get("Description") for r in rules}
    assert {"the cache from the functions", "to DynamoDB"} <= descriptions


def test_a_revoke_naming_an_unknown_rule_id_is_refused_and_revokes_nothing(aws, network):
    # As the provider adopts a default group: each rule revoked by its ID; a repeated revoke must be told apart.
    ec2 = aws("ec2")
    default = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [network["vpc"]]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"][0]["GroupId"]

    def ingress_rules() -> list[str]:
        rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [default]}])
        return [r["SecurityGroupRuleId"] for r in rules["SecurityGroupRules"] if not r["IsEgress"]]

    [own_members] = ingress_rules()
    with pytest.raises(ec2.exceptions.ClientError) as refused:
        ec2.revoke_security_group_ingress(GroupId=default, SecurityGroupRuleIds=[own_members, "sgr-0123456789abcdef0"])
    assert refused.value.response["Error"]["Code"] == "InvalidSecurityGroupRuleId.NotFound"
    assert "sgr-0123456789abcdef0" in refused.value.response["Error"]["Message"]
    assert ingress_rules() == [own_members]

    ec2.revoke_security_group_ingress(GroupId=default, SecurityGroupRuleIds=[own_members])
    with pytest.raises(ec2.exceptions.ClientError) as again:
        ec2.revoke_security_group_ingress(GroupId=default, SecurityGroupRuleIds=[own_members])
    assert again.value.response["Error"]["Code"] == "InvalidSecurityGroupRuleId.NotFound"
    assert ingress_rules() == []
