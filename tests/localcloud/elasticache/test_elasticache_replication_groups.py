"""ElastiCache replication groups (cluster mode disabled) are a real primary and read replica on loopback,
with the encryption in transit and AUTH token they were created with."""

from __future__ import annotations

import socket
import time

import pytest
from botocore.exceptions import ClientError

from harness import certificate_authority

pytestmark = pytest.mark.localcloud

TOKEN = "a-long-auth-token-0123456789"


def node_group(aws, group_id: str) -> dict:
    return aws("elasticache").describe_replication_groups(ReplicationGroupId=group_id)["ReplicationGroups"][0][
        "NodeGroups"
    ][0]


@pytest.fixture
def group(aws, unique):
    elasticache = aws("elasticache")
    elasticache.create_replication_group(
        ReplicationGroupId=unique,
        ReplicationGroupDescription="reports",
        Engine="redis",
        EngineVersion="7.1",
        CacheNodeType="cache.t4g.micro",
        NumCacheClusters=2,
        TransitEncryptionEnabled=True,
        AuthToken=TOKEN,
        AtRestEncryptionEnabled=True,
        AutomaticFailoverEnabled=True,
    )
    yield unique
    try:
        elasticache.delete_replication_group(ReplicationGroupId=unique)
    except ClientError:
        pass


def test_the_primary_takes_writes_and_the_reader_serves_them_read_only(aws, group, local_cloud):
    import redis

    nodes = node_group(aws, group)
    primary, reader = nodes["PrimaryEndpoint"], nodes["ReaderEndpoint"]
    assert primary["Port"] == reader["Port"] == 6379 and primary["Address"] != reader["Address"]
    ca = certificate_authority(local_cloud)
    writer = redis.Redis(host=primary["Address"], port=6379, ssl=True, ssl_ca_data=ca, password=TOKEN)
    replica = redis.Redis(host=reader["Address"], port=6379, ssl=True, ssl_ca_data=ca, password=TOKEN)
    writer.set("report:1", "ready")
    deadline = time.monotonic() + 10
    while replica.get("report:1") is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert replica.get("report:1") == b"ready"
    with pytest.raises(redis.exceptions.ReadOnlyError):
        replica.set("report:2", "no")


def test_a_client_without_the_auth_token_is_refused(aws, group, local_cloud):
    import redis

    primary = node_group(aws, group)["PrimaryEndpoint"]
    anonymous = redis.Redis(
        host=primary["Address"], port=6379, ssl=True, ssl_ca_data=certificate_authority(local_cloud)
    )
    with pytest.raises(redis.exceptions.AuthenticationError):
        anonymous.get("report:1")


def test_the_members_exist_with_their_engine_version_and_go_with_the_group(aws, group):
    elasticache = aws("elasticache")
    members = elasticache.describe_replication_groups(ReplicationGroupId=group)["ReplicationGroups"][0][
        "MemberClusters"
    ]
    assert members == [f"{group}-001", f"{group}-002"]
    for member in members:
        cluster = elasticache.describe_cache_clusters(CacheClusterId=member)["CacheClusters"][0]
        assert cluster["EngineVersion"] == "7.1" and cluster["ReplicationGroupId"] == group
    address = node_group(aws, group)["PrimaryEndpoint"]["Address"]
    elasticache.delete_replication_group(ReplicationGroupId=group)
    with pytest.raises(ClientError) as gone:
        elasticache.describe_replication_groups(ReplicationGroupId=group)
    assert gone.value.response["Error"]["Code"] == "ReplicationGroupNotFoundFault"
    with pytest.raises(ClientError):
        elasticache.describe_cache_clusters(CacheClusterId=f"{group}-001")
    with socket.socket() as probe:
        assert probe.connect_ex((address, 6379)) != 0


def test_a_group_without_encryption_in_transit_serves_plain_text(aws, unique):
    import redis

    elasticache = aws("elasticache")
    elasticache.create_replication_group(
        ReplicationGroupId=unique,
        ReplicationGroupDescription="plain",
        Engine="valkey",
        CacheNodeType="cache.t4g.micro",
        NumCacheClusters=1,
    )
    primary = node_group(aws, unique)["PrimaryEndpoint"]
    assert redis.Redis(host=primary["Address"], port=primary["Port"]).ping()
    elasticache.delete_replication_group(ReplicationGroupId=unique)


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"AuthToken": TOKEN}, "only supported when encryption-in-transit is enabled"),
        ({"AuthToken": "short", "TransitEncryptionEnabled": True}, "Invalid AuthToken"),
        ({"AuthToken": "has/a/slash-0123456789", "TransitEncryptionEnabled": True}, "Invalid AuthToken"),
        ({"NumNodeGroups": 2, "ReplicasPerNodeGroup": 1}, "Cluster mode enabled"),
        ({"CacheSubnetGroupName": "no-such-group"}, "no-such-group"),
    ],
)
def test_invalid_groups_are_refused_before_anything_starts(aws, unique, extra, message):
    with pytest.raises(ClientError) as refused:
        aws("elasticache").create_replication_group(
            ReplicationGroupId=unique,
            ReplicationGroupDescription="x",
            Engine="redis",
            CacheNodeType="cache.t4g.micro",
            **extra,
        )
    assert message in refused.value.response["Error"]["Message"]


def test_a_subnet_group_can_be_deleted(aws, unique):
    ec2, elasticache = aws("ec2"), aws("elasticache")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.40.1.0/24")["Subnet"]["SubnetId"]
    elasticache.create_cache_subnet_group(
        CacheSubnetGroupName=unique, CacheSubnetGroupDescription="x", SubnetIds=[subnet]
    )
    elasticache.delete_cache_subnet_group(CacheSubnetGroupName=unique)
    assert unique not in [
        g["CacheSubnetGroupName"] for g in elasticache.describe_cache_subnet_groups()["CacheSubnetGroups"]
    ]
