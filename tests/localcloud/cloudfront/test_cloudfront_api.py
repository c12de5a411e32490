"""CloudFront's API as the provider drives it: the policy APIs, distributions read back and checked as AWS checks them."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import LAMBDA_TRUST, ROOT_TRUST, make_role
from harness import client_as_role

pytestmark = pytest.mark.localcloud

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


def cache_policy_config(name: str, **overrides: Any) -> dict[str, Any]:
    return {
        "Name": name, "MinTTL": 0, "DefaultTTL": 60, "MaxTTL": 600,
        "ParametersInCacheKeyAndForwardedToOrigin": {
            "EnableAcceptEncodingGzip": True,
            "HeadersConfig": {"HeaderBehavior": "none"},
            "CookiesConfig": {"CookieBehavior": "none"},
            "QueryStringsConfig": {"QueryStringBehavior": "none"},
        },
        **overrides,
    }  # fmt: skip


def distribution_config(behaviour: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "CallerReference": uuid.uuid4().hex,
        "Comment": "",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "o",
                    "DomainName": "127.0.0.1",
                    "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"},
                }
            ],
        },  # fmt: skip
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all", **behaviour},
        **extra,
    }


def error_code(call: Any, **params: Any) -> str:
    with pytest.raises(ClientError) as raised:
        call(**params)
    return str(raised.value.response["Error"]["Code"])


def test_managed_policies_are_listed_by_name_with_aws_ids(aws) -> None:
    cloudfront = aws("cloudfront")
    cache = {
        item["CachePolicy"]["CachePolicyConfig"]["Name"]: item["CachePolicy"]["Id"]
        for item in cloudfront.list_cache_policies(Type="managed")["CachePolicyList"]["Items"]
    }
    assert cache["Managed-CachingOptimized"] == CACHING_OPTIMIZED
    assert cache["Managed-CachingDisabled"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    requests = cloudfront.list_origin_request_policies(Type="managed")["OriginRequestPolicyList"]["Items"]
    assert "Managed-AllViewerExceptHostHeader" in {
        i["OriginRequestPolicy"]["OriginRequestPolicyConfig"]["Name"] for i in requests
    }
    security = cloudfront.get_response_headers_policy(Id="67f7725c-6f97-4210-82d7-5512b31e9d03")[
        "ResponseHeadersPolicy"
    ]
    assert security["ResponseHeadersPolicyConfig"]["Name"] == "Managed-SecurityHeadersPolicy"
    assert cloudfront.list_cache_policies(Type="custom")["CachePolicyList"]["Quantity"] >= 0


def test_cache_policy_lifecycle_needs_the_current_etag(aws, unique) -> None:
    cloudfront = aws("cloudfront")
    created = cloudfront.create_cache_policy(CachePolicyConfig=cache_policy_config(unique))
    policy_id, etag = created["CachePolicy"]["Id"], created["ETag"]
    assert cloudfront.get_cache_policy_config(Id=policy_id)["CachePolicyConfig"]["DefaultTTL"] == 60
    changed = cloudfront.update_cache_policy(
        Id=policy_id, IfMatch=etag, CachePolicyConfig=cache_policy_config(unique, DefaultTTL=120)
    )
    assert changed["ETag"] != etag
    assert error_code(cloudfront.delete_cache_policy, Id=policy_id, IfMatch=etag) == "PreconditionFailed"
    cloudfront.delete_cache_policy(Id=policy_id, IfMatch=changed["ETag"])
    assert error_code(cloudfront.get_cache_policy, Id=policy_id) == "NoSuchCachePolicy"


def test_cache_policy_is_validated_as_cloudfront_validates_it(aws, unique) -> None:
    create = aws("cloudfront").create_cache_policy
    assert (
        error_code(create, CachePolicyConfig=cache_policy_config(unique, MinTTL=100, DefaultTTL=60))
        == "InvalidArgument"
    )
    disabled_with_key = cache_policy_config(unique, MinTTL=0, DefaultTTL=0, MaxTTL=0)
    disabled_with_key["ParametersInCacheKeyAndForwardedToOrigin"]["EnableAcceptEncodingGzip"] = False
    disabled_with_key["ParametersInCacheKeyAndForwardedToOrigin"]["QueryStringsConfig"] = {"QueryStringBehavior": "all"}
    assert error_code(create, CachePolicyConfig=disabled_with_key) == "InvalidArgument"
    create(CachePolicyConfig=cache_policy_config(unique))
    assert error_code(create, CachePolicyConfig=cache_policy_config(unique)) == "CachePolicyAlreadyExists"


def test_origin_request_policy_cannot_forward_authorization(aws, unique) -> None:
    config = {
        "Name": unique,
        "HeadersConfig": {"HeaderBehavior": "whitelist", "Headers": {"Quantity": 1, "Items": ["Authorization"]}},
        "CookiesConfig": {"CookieBehavior": "none"},
        "QueryStringsConfig": {"QueryStringBehavior": "none"},
    }
    assert (
        error_code(aws("cloudfront").create_origin_request_policy, OriginRequestPolicyConfig=config)
        == "InvalidArgument"
    )


def test_policy_in_use_cannot_be_deleted(aws, unique) -> None:
    cloudfront = aws("cloudfront")
    created = cloudfront.create_cache_policy(CachePolicyConfig=cache_policy_config(unique))
    cloudfront.create_distribution(
        DistributionConfig=distribution_config({"CachePolicyId": created["CachePolicy"]["Id"]})
    )
    assert (
        error_code(cloudfront.delete_cache_policy, Id=created["CachePolicy"]["Id"], IfMatch=created["ETag"])
        == "CachePolicyInUse"
    )


def test_distribution_reads_back_what_it_was_given(aws, unique) -> None:
    cloudfront = aws("cloudfront")
    control = cloudfront.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": unique,
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }  # fmt: skip
    )["OriginAccessControl"]["Id"]
    config = distribution_config({"CachePolicyId": CACHING_OPTIMIZED})
    config["Origins"]["Items"][0] = {
        "Id": "o", "DomainName": f"{unique}.s3.us-east-1.amazonaws.com", "OriginAccessControlId": control,
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }  # fmt: skip
    made = cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["DistributionConfig"]
    assert made["Origins"]["Items"][0]["OriginAccessControlId"] == control
    assert "ForwardedValues" not in made["DefaultCacheBehavior"]
    assert made["DefaultCacheBehavior"]["LambdaFunctionAssociations"]["Quantity"] == 0
    assert "SSLSupportMethod" not in made["ViewerCertificate"]


def test_distribution_naming_what_does_not_exist_is_refused(aws) -> None:
    create = aws("cloudfront").create_distribution
    missing_policy = distribution_config({"CachePolicyId": str(uuid.uuid4())})
    assert error_code(create, DistributionConfig=missing_policy) == "NoSuchCachePolicy"
    neither = distribution_config({})
    assert error_code(create, DistributionConfig=neither) == "InvalidArgument"
    control = distribution_config({"CachePolicyId": CACHING_OPTIMIZED})
    control["Origins"]["Items"][0]["OriginAccessControlId"] = "E0NOTACONTROL"
    assert error_code(create, DistributionConfig=control) == "NoSuchOriginAccessControl"


EDGE_TRUST = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]},
                   "Action": "sts:AssumeRole"}],
})  # fmt: skip


def _published_function(
    aws: Any, name: str, region: str, environment: dict[str, str] | None = None, trust: str = EDGE_TRUST, **extra: Any
) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("index.py", "def handler(event, context):\n    return event['Records'][0]['cf']['request']\n")
    role = make_role(aws("iam"), f"{name}-role", trust=trust)
    functions = aws("lambda", region_name=region)
    created = functions.create_function(
        FunctionName=name, Runtime="python3.13", Role=role, Handler="index.handler",
        Code={"ZipFile": buffer.getvalue()}, Publish=True, **({"Environment": {"Variables": environment}} if environment else {}),
        **extra,
    )  # fmt: skip
    unqualified = ":".join(created["FunctionArn"].split(":")[:7])
    return f"{unqualified}:{created['Version']}"


def test_lambda_at_edge_must_be_a_version_cloudfront_may_run(aws, unique) -> None:
    create = aws("cloudfront").create_distribution

    def with_function(arn: str) -> dict[str, Any]:
        association = {"LambdaFunctionARN": arn, "EventType": "viewer-request", "IncludeBody": False}
        return distribution_config(
            {"CachePolicyId": CACHING_OPTIMIZED, "LambdaFunctionAssociations": {"Quantity": 1, "Items": [association]}}
        )

    version = _published_function(aws, unique, "us-east-1")
    unversioned = version.rsplit(":", 1)[0]
    assert error_code(create, DistributionConfig=with_function(unversioned)) == "InvalidLambdaFunctionAssociation"
    elsewhere = _published_function(aws, f"{unique}-eu", "eu-west-1")
    assert error_code(create, DistributionConfig=with_function(elsewhere)) == "InvalidLambdaFunctionAssociation"
    configured = _published_function(aws, f"{unique}-env", "us-east-1", {"STAGE": "prod"})
    assert error_code(create, DistributionConfig=with_function(configured)) == "InvalidLambdaFunctionAssociation"
    lambda_only = _published_function(aws, f"{unique}-trust", "us-east-1", trust=LAMBDA_TRUST)
    assert error_code(create, DistributionConfig=with_function(lambda_only)) == "InvalidLambdaFunctionAssociation"
    slow = _published_function(aws, f"{unique}-slow", "us-east-1", Timeout=10)
    assert error_code(create, DistributionConfig=with_function(slow)) == "InvalidLambdaFunctionAssociation"
    made = create(DistributionConfig=with_function(version))["Distribution"]["DistributionConfig"]
    assert made["DefaultCacheBehavior"]["LambdaFunctionAssociations"]["Items"][0]["LambdaFunctionARN"] == version


def test_enabled_distribution_cannot_be_deleted_and_a_stale_etag_is_refused(aws) -> None:
    cloudfront = aws("cloudfront")
    made = cloudfront.create_distribution(DistributionConfig=distribution_config({"CachePolicyId": CACHING_OPTIMIZED}))
    dist_id, etag = made["Distribution"]["Id"], made["ETag"]
    assert error_code(cloudfront.delete_distribution, Id=dist_id, IfMatch=etag) == "DistributionNotDisabled"
    config = {**cloudfront.get_distribution_config(Id=dist_id)["DistributionConfig"], "Enabled": False}
    disabled = cloudfront.update_distribution(Id=dist_id, IfMatch=etag, DistributionConfig=config)
    assert error_code(cloudfront.delete_distribution, Id=dist_id, IfMatch=etag) == "PreconditionFailed"
    cloudfront.delete_distribution(Id=dist_id, IfMatch=disabled["ETag"])
    assert error_code(cloudfront.get_distribution, Id=dist_id) == "NoSuchDistribution"


def test_invalidation_paths_must_start_with_a_slash(aws) -> None:
    cloudfront = aws("cloudfront")
    made = cloudfront.create_distribution(DistributionConfig=distribution_config({"CachePolicyId": CACHING_OPTIMIZED}))
    batch = {"Paths": {"Quantity": 1, "Items": ["index.html"]}, "CallerReference": uuid.uuid4().hex}
    assert (
        error_code(cloudfront.create_invalidation, DistributionId=made["Distribution"]["Id"], InvalidationBatch=batch)
        == "InvalidArgument"
    )


def test_a_repeated_caller_reference_is_the_same_invalidation(aws) -> None:
    cloudfront = aws("cloudfront")
    dist_id = cloudfront.create_distribution(
        DistributionConfig=distribution_config({"CachePolicyId": CACHING_OPTIMIZED})
    )["Distribution"]["Id"]
    batch = {"Paths": {"Quantity": 1, "Items": ["/index.html"]}, "CallerReference": "release-1"}
    first = cloudfront.create_invalidation(DistributionId=dist_id, InvalidationBatch=batch)["Invalidation"]["Id"]
    again = cloudfront.create_invalidation(DistributionId=dist_id, InvalidationBatch=batch)["Invalidation"]["Id"]
    assert first == again
    assert cloudfront.list_invalidations(DistributionId=dist_id)["InvalidationList"]["Quantity"] == 1
    other = {"Paths": {"Quantity": 1, "Items": ["/app.js"]}, "CallerReference": "release-1"}
    assert error_code(cloudfront.create_invalidation, DistributionId=dist_id, InvalidationBatch=other) == (
        "InvalidationBatchAlreadyExists"
    )


def test_an_invalidation_is_completed_as_aws_spells_it_so_its_waiter_returns(aws) -> None:
    cloudfront = aws("cloudfront")
    dist_id = cloudfront.create_distribution(
        DistributionConfig=distribution_config({"CachePolicyId": CACHING_OPTIMIZED})
    )["Distribution"]["Id"]
    batch = {"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": uuid.uuid4().hex}
    made = cloudfront.create_invalidation(DistributionId=dist_id, InvalidationBatch=batch)["Invalidation"]
    cloudfront.get_waiter("invalidation_completed").wait(
        DistributionId=dist_id, Id=made["Id"], WaiterConfig={"Delay": 1, "MaxAttempts": 3}
    )
    listed = cloudfront.list_invalidations(DistributionId=dist_id)["InvalidationList"]["Items"]
    assert [i["Status"] for i in listed] == ["Completed"]


def test_a_role_may_invalidate_only_the_distribution_its_policy_names(aws, unique, local_cloud) -> None:
    cloudfront = aws("cloudfront")
    config = distribution_config({"CachePolicyId": CACHING_OPTIMIZED})
    mine = cloudfront.create_distribution(DistributionConfig=config)["Distribution"]
    other = cloudfront.create_distribution(DistributionConfig={**config, "CallerReference": uuid.uuid4().hex})[
        "Distribution"
    ]
    role = make_role(
        aws("iam"),
        unique,
        {"Effect": "Allow", "Action": "cloudfront:CreateInvalidation", "Resource": mine["ARN"]},
        trust=ROOT_TRUST,
    )
    as_role = client_as_role(aws("sts"), local_cloud.endpoint, role, "cloudfront")
    batch = {"Paths": {"Quantity": 1, "Items": ["/index.html"]}, "CallerReference": uuid.uuid4().hex}
    as_role.create_invalidation(DistributionId=mine["Id"], InvalidationBatch=batch)
    assert (
        error_code(as_role.create_invalidation, DistributionId=other["Id"], InvalidationBatch=batch) == "AccessDenied"
    )
