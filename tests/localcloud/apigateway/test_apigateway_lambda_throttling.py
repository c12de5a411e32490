"""A throttled function behind API Gateway: the client gets API Gateway's 500, never Lambda's 429."""

from __future__ import annotations

import pytest

from harness import allow_service_to_invoke, http
from localcloud.apigateway.urls import local_url

pytestmark = pytest.mark.localcloud


def test_a_rest_lambda_proxy_route_to_a_throttled_function_answers_500(aws, make_function, local_cloud, unique):
    name = make_function("def handler(e, c):\n    return {'statusCode': 200, 'body': 'ran'}\n")
    lam, apigw = aws("lambda"), aws("apigateway")
    arn = lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    api = apigw.create_rest_api(name=unique)["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    resource = apigw.create_resource(restApiId=api, parentId=root, pathPart="work")["id"]
    apigw.put_method(restApiId=api, resourceId=resource, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(
        restApiId=api,
        resourceId=resource,
        httpMethod="GET",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations",
    )
    apigw.create_deployment(restApiId=api, stageName="v1")
    allow_service_to_invoke(lam, arn, "apigateway.amazonaws.com", f"arn:aws:execute-api:us-east-1:123456789012:{api}/*")
    answer = http("GET", local_url(local_cloud.endpoint, api, "v1", "work"))
    assert (answer.status, answer.json()) == (500, {"message": "Internal server error"})
    lam.delete_function_concurrency(FunctionName=name)
    assert http("GET", local_url(local_cloud.endpoint, api, "v1", "work")).text == "ran"


def test_an_http_api_route_to_a_throttled_function_answers_500(aws, make_function, local_cloud):
    name = make_function("def handler(e, c):\n    return 'ran'\n")
    lam, apigw = aws("lambda"), aws("apigatewayv2")
    arn = lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    api = apigw.create_api(Name=name, ProtocolType="HTTP")["ApiId"]
    integration = apigw.create_integration(
        ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=arn, PayloadFormatVersion="2.0"
    )["IntegrationId"]
    apigw.create_route(ApiId=api, RouteKey="GET /work", Target=f"integrations/{integration}")
    apigw.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    allow_service_to_invoke(lam, arn, "apigateway.amazonaws.com", f"arn:aws:execute-api:us-east-1:123456789012:{api}/*")
    answer = http("GET", local_url(local_cloud.endpoint, api, "$default", "work"))
    assert (answer.status, answer.json()) == (500, {"message": "Internal Server Error"})
