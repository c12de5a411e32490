"""ElastiCache Serverless caches are real Redis servers on loopback, TLS only, checked as ElastiCache checks them."""

from __future__ import annotations

import json
import socket
import ssl

import pytest
from botocore.exceptions import ClientError

from harness import certificate_authority

pytestmark = pytest.mark.localcloud


def cache_client(endpoint: dict, ca_pem: str):
    import redis

    return redis.Redis(
        host=endpoint["Address"],
        port=endpoint["Port"],
        ssl=True,
        ssl_ca_data=ca_pem,
        ssl_check_hostname=True,
        socket_timeout=5,
    )


@pytest.fixture
def cache(aws, unique):
    elasticache = aws("elasticache")
    created = elasticache.create_serverless_cache(
        ServerlessCacheName=unique, Engine="valkey", MajorEngineVersion="8", Tags=[{"Key": "team", "Value": "reports"}]
    )["ServerlessCache"]
    yield created
    try:
        elasticache.delete_serverless_cache(ServerlessCacheName=unique)
    except ClientError:
        pass


def test_a_serverless_cache_is_a_redis_server_clients_verify_over_tls(aws, cache, local_cloud):
    described = aws("elasticache").describe_serverless_caches(ServerlessCacheName=cache["ServerlessCacheName"])
    found = described["ServerlessCaches"][0]
    assert cache["Status"] == "creating" and found["Status"] == "available"
    # Its own address on 6379, the port AWS gives a serverless cache's endpoint.
    assert found["Endpoint"]["Address"].startswith("127.0.") and found["Endpoint"]["Port"] == 6379
    assert found["ReaderEndpoint"] == {"Address": found["Endpoint"]["Address"], "Port": 6380}
    assert found["FullEngineVersion"] == "8.0"
    client = cache_client(found["Endpoint"], certificate_authority(local_cloud))
    client.set("report:1", "cached", ex=60)
    assert client.get("report:1") == b"cached" and 0 < client.ttl("report:1") <= 60
    reader = cache_client(found["ReaderEndpoint"], certificate_authority(local_cloud))
    assert reader.get("report:1") == b"cached"


def test_a_plain_text_connection_is_refused_as_serverless_caches_require_tls(cache):
    import redis

    plain = redis.Redis(host=cache["Endpoint"]["Address"], port=cache["Endpoint"]["Port"], socket_timeout=3)
    with pytest.raises(redis.exceptions.ConnectionError):
        plain.ping()


def test_a_client_that_does_not_trust_the_authority_is_refused(cache):
    import redis

    untrusting = redis.Redis(
        host=cache["Endpoint"]["Address"],
        port=cache["Endpoint"]["Port"],
        ssl=True,
        ssl_check_hostname=True,
        ssl_ca_certs=ssl.get_default_verify_paths().openssl_cafile,
        socket_timeout=3,
    )
    with pytest.raises(redis.exceptions.ConnectionError, match="certificate verify failed"):
        untrusting.ping()


PING = """
import socket, ssl
def handler(event, context):
    context_ = ssl.create_default_context()  # the runtime's default trust, as in AWS
    with socket.create_connection((event["host"], event["port"]), timeout=5) as raw:
        with context_.wrap_socket(raw, server_hostname=event["host"]) as tls:
            tls.sendall(b"PING\\r\\n")
            return tls.recv(64).decode()
"""


def test_a_function_verifies_the_cache_with_its_default_trust_store(aws, cache, make_function):
    # The cache has no subnets: it sits in the default VPC, in its default group; the function joins both.
    ec2 = aws("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnet = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"][0]["SubnetId"]
    group = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"][0]["GroupId"]
    name = make_function(PING, VpcConfig={"SubnetIds": [subnet], "SecurityGroupIds": [group]})
    answer = aws("lambda").invoke(
        FunctionName=name, Payload=json.dumps({"host": cache["Endpoint"]["Address"], "port": cache["Endpoint"]["Port"]})
    )
    assert "FunctionError" not in answer, answer["Payload"].read()
    assert json.loads(answer["Payload"].read()) == "+PONG\r\n"


def test_deleting_a_cache_ends_its_server(aws, unique):
    elasticache = aws("elasticache")
    endpoint = elasticache.create_serverless_cache(ServerlessCacheName=unique, Engine="redis")["ServerlessCache"][
        "Endpoint"
    ]
    assert elasticache.delete_serverless_cache(ServerlessCacheName=unique)["ServerlessCache"]["Status"] == "deleting"
    with socket.socket() as probe:
        assert probe.connect_ex((endpoint["Address"], endpoint["Port"])) != 0
    with pytest.raises(ClientError) as gone:
        elasticache.describe_serverless_caches(ServerlessCacheName=unique)
    assert gone.value.response["Error"]["Code"] == "ServerlessCacheNotFoundFault"


@pytest.mark.parametrize(
    "arguments, code",
    [
        ({"ServerlessCacheName": "Reports", "Engine": "valkey"}, "InvalidParameterValue"),
        ({"ServerlessCacheName": "reports--x", "Engine": "valkey"}, "InvalidParameterValue"),
        ({"ServerlessCacheName": "lc-engine", "Engine": "valkey", "MajorEngineVersion": "6"}, "InvalidParameterValue"),
        ({"ServerlessCacheName": "lc-group", "Engine": "valkey", "UserGroupId": "nobody"}, "UserGroupNotFound"),
        (
            {"ServerlessCacheName": "lc-sg", "Engine": "valkey", "SecurityGroupIds": ["sg-0123456789abcdef0"]},
            "InvalidParameterValue",
        ),
        (
            {
                "ServerlessCacheName": "lc-key",
                "Engine": "valkey",
                "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/none",
            },
            "InvalidParameterValue",
        ),
    ],
)
def test_invalid_caches_are_refused_before_anything_starts(aws, arguments, code):
    with pytest.raises(ClientError) as refused:
        aws("elasticache").create_serverless_cache(**arguments)
    assert refused.value.response["Error"]["Code"] == code


def test_a_taken_name_is_refused_and_tags_are_kept_on_the_arn(aws, cache):
    elasticache = aws("elasticache")
    with pytest.raises(ClientError) as taken:
        elasticache.create_serverless_cache(ServerlessCacheName=cache["ServerlessCacheName"], Engine="valkey")
    assert taken.value.response["Error"]["Code"] == "ServerlessCacheAlreadyExistsFault"
    tags = elasticache.list_tags_for_resource(ResourceName=cache["ARN"])["TagList"]
    assert tags == [{"Key": "team", "Value": "reports"}]
