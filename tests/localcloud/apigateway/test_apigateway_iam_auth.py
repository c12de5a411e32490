"""AWS_IAM methods and routes admit only signers allowed execute-api:Invoke on the request's ARN."""

from __future__ import annotations

import json

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import ROOT_TRUST, make_role
from harness import http
from localcloud.apigateway.urls import local_url

pytestmark = pytest.mark.localcloud


def signed_as(aws, role_arn: str | None, method: str, url: str) -> tuple[int, dict]:
    if role_arn is None:
        credentials = Credentials("localcloud", "localcloud")
    else:
        issued = aws("sts").assume_role(RoleArn=role_arn, RoleSessionName="caller")["Credentials"]
        credentials = Credentials(issued["AccessKeyId"], issued["SecretAccessKey"], issued["SessionToken"])
    request = AWSRequest(method=method, url=url)
    SigV4Auth(credentials, "execute-api", "us-east-1").add_auth(request)
    answer = http(method, url, None, dict(request.headers.items()))
    return answer.status, answer.json() or {}


@pytest.fixture
def iam_api(aws, unique, local_cloud):
    """A REST API whose GET /orders/{id} is AWS_IAM, answering from a mock integration."""
    apigw = aws("apigateway")
    api = apigw.create_rest_api(name=unique)["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    orders = apigw.create_resource(restApiId=api, parentId=root, pathPart="orders")["id"]
    one = apigw.create_resource(restApiId=api, parentId=orders, pathPart="{id}")["id"]
    apigw.put_method(restApiId=api, resourceId=one, httpMethod="GET", authorizationType="AWS_IAM")
    apigw.put_integration(
        restApiId=api,
        resourceId=one,
        httpMethod="GET",
        type="MOCK",
        requestTemplates={"application/json": '{"statusCode": 200}'},
    )
    apigw.put_method_response(restApiId=api, resourceId=one, httpMethod="GET", statusCode="200")
    apigw.put_integration_response(
        restApiId=api,
        resourceId=one,
        httpMethod="GET",
        statusCode="200",
        responseTemplates={"application/json": '{"ok": true}'},
    )
    apigw.create_deployment(restApiId=api, stageName="live")
    return api, lambda path: local_url(local_cloud.endpoint, api, "live", path)


def test_a_role_allowed_to_invoke_the_path_gets_through_and_others_get_api_gateways_403(aws, unique, iam_api):
    api, url = iam_api
    arn = f"arn:aws:execute-api:us-east-1:123456789012:{api}/live/GET/orders/*"
    iam = aws("iam")
    reader = make_role(
        iam, f"{unique}-reader", {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": arn}, trust=ROOT_TRUST
    )
    other = make_role(
        iam,
        f"{unique}-other",
        {
            "Effect": "Allow",
            "Action": "execute-api:Invoke",
            "Resource": f"arn:aws:execute-api:us-east-1:123456789012:{api}/live/POST/*",
        },
        trust=ROOT_TRUST,
    )
    assert signed_as(aws, reader, "GET", url("orders/7")) == (200, {"ok": True})
    status, body = signed_as(aws, other, "GET", url("orders/7"))
    assert status == 403
    assert body == {
        "Message": f"User: arn:aws:sts::123456789012:assumed-role/{unique}-other/caller is not authorized "
        f"to perform: execute-api:Invoke on resource: "
        f"arn:aws:execute-api:us-east-1:********9012:{api}/live/GET/orders/7"
    }
    assert signed_as(aws, None, "GET", url("orders/7"))[0] == 200, "the local cloud's root credentials"


def test_the_apis_resource_policy_denies_a_caller_its_identity_policy_allows_once_deployed(aws, unique, iam_api):
    api, url = iam_api
    caller = make_role(
        aws("iam"),
        f"{unique}-caller",
        {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"},
        trust=ROOT_TRUST,
    )
    apigw = aws("apigateway")
    apigw.update_rest_api(
        restApiId=api,
        patchOperations=[
            {
                "op": "replace",
                "path": "/policy",
                "value": json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Deny",
                                "Principal": {"AWS": caller},
                                "Action": "execute-api:Invoke",
                                "Resource": f"arn:aws:execute-api:us-east-1:123456789012:{api}/*/GET/orders/secret",
                            }
                        ],
                    }
                ),
            }
        ],
    )
    assert signed_as(aws, caller, "GET", url("orders/secret"))[0] == 200, "a policy edit waits for a deployment"
    apigw.create_deployment(restApiId=api, stageName="live")
    assert signed_as(aws, caller, "GET", url("orders/7"))[0] == 200
    assert signed_as(aws, caller, "GET", url("orders/secret"))[0] == 403


def test_an_http_api_route_admits_only_signers_allowed_to_invoke_it(aws, unique, local_cloud):
    api2 = aws("apigatewayv2")
    api = api2.create_api(Name=unique, ProtocolType="HTTP")["ApiId"]
    backend = api2.create_integration(
        ApiId=api,
        IntegrationType="HTTP_PROXY",
        IntegrationMethod="ANY",
        IntegrationUri="http://127.0.0.1:9/closed",
        PayloadFormatVersion="1.0",
    )
    api2.create_route(
        ApiId=api,
        RouteKey="GET /things",
        AuthorizationType="AWS_IAM",
        Target=f"integrations/{backend['IntegrationId']}",
    )
    api2.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    arn = f"arn:aws:execute-api:us-east-1:123456789012:{api}/$default/GET/things"
    iam = aws("iam")
    allowed = make_role(
        iam, f"{unique}-allowed", {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": arn}, trust=ROOT_TRUST
    )
    refused = make_role(iam, f"{unique}-refused", trust=ROOT_TRUST)
    url = f"{local_cloud.endpoint}/things"

    def status(role: str) -> int:
        issued = aws("sts").assume_role(RoleArn=role, RoleSessionName="caller")["Credentials"]
        request = AWSRequest(method="GET", url=url, headers={"Host": f"{api}.execute-api.localhost"})
        SigV4Auth(
            Credentials(issued["AccessKeyId"], issued["SecretAccessKey"], issued["SessionToken"]),
            "execute-api",
            "us-east-1",
        ).add_auth(request)
        return http("GET", url, None, dict(request.headers.items())).status

    assert status(refused) == 403
    assert status(allowed) == 503, "allowed through to the (closed) backend"
