"""API Gateway invokes a function only where the function's resource policy admits it from that API."""

from __future__ import annotations

import pytest

from conftest import make_role, trust
from harness import allow_service_to_invoke, http, metric_datapoints
from localcloud.apigateway.urls import local_url

pytestmark = pytest.mark.localcloud

APIGATEWAY = "apigateway.amazonaws.com"
EXECUTE_API = "arn:aws:execute-api:us-east-1:123456789012"
HANDLER = "def handler(e, c):\n    return {'statusCode': 200, 'body': 'ran'}\n"


def invocations(aws, function: str) -> float:
    return sum(metric_datapoints(aws("cloudwatch"), "AWS/Lambda", "Invocations", {"FunctionName": function}))


def rest_api_with_route(aws, unique: str, function_arn: str, authorizer: str | None = None) -> str:
    apigw = aws("apigateway")
    api = apigw.create_rest_api(name=unique)["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    resource = apigw.create_resource(restApiId=api, parentId=root, pathPart="work")["id"]
    auth = {"authorizationType": "CUSTOM", "authorizerId": authorizer} if authorizer else {"authorizationType": "NONE"}
    apigw.put_method(restApiId=api, resourceId=resource, httpMethod="GET", **auth)
    apigw.put_integration(
        restApiId=api,
        resourceId=resource,
        httpMethod="GET",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{function_arn}/invocations",
    )
    apigw.create_deployment(restApiId=api, stageName="v1")
    return api


def test_a_rest_route_without_an_invoke_permission_answers_500_and_never_runs_the_function(
    aws, make_function, local_cloud, unique
):
    name = make_function(HANDLER)
    lam = aws("lambda")
    arn = lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    api = rest_api_with_route(aws, unique, arn)
    url = local_url(local_cloud.endpoint, api, "v1", "work")
    answer = http("GET", url)
    assert (answer.status, answer.json()) == (500, {"message": "Internal server error"})
    # A permission for another stage or method admits nothing here.
    allow_service_to_invoke(lam, arn, APIGATEWAY, f"{EXECUTE_API}:{api}/prod/GET/work")
    allow_service_to_invoke(lam, arn, APIGATEWAY, f"{EXECUTE_API}:{api}/v1/POST/work")
    assert http("GET", url).status == 500
    assert invocations(aws, name) == 0
    allow_service_to_invoke(lam, arn, APIGATEWAY, f"{EXECUTE_API}:{api}/v1/GET/work")
    assert http("GET", url).text == "ran"


def test_a_lambda_authorizer_without_an_invoke_permission_is_a_configuration_error(
    aws, make_function, local_cloud, unique
):
    lam, apigw = aws("lambda"), aws("apigateway")
    backend = lam.get_function(FunctionName=make_function(HANDLER))["Configuration"]["FunctionArn"]
    authorizer_fn = lam.get_function(
        FunctionName=make_function(
            "def handler(e, c):\n    return {'principalId': 'u', 'policyDocument': {'Version': '2012-10-17', "
            "'Statement': [{'Effect': 'Allow', 'Action': 'execute-api:Invoke', 'Resource': e['methodArn']}]}}\n"
        )
    )["Configuration"]["FunctionArn"]
    api = apigw.create_rest_api(name=unique)["id"]
    authorizer = apigw.create_authorizer(
        restApiId=api,
        name="token",
        type="TOKEN",
        identitySource="method.request.header.Authorization",
        authorizerUri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{authorizer_fn}/invocations",
        authorizerResultTtlInSeconds=0,
    )["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    resource = apigw.create_resource(restApiId=api, parentId=root, pathPart="work")["id"]
    apigw.put_method(
        restApiId=api, resourceId=resource, httpMethod="GET", authorizationType="CUSTOM", authorizerId=authorizer
    )
    apigw.put_integration(
        restApiId=api,
        resourceId=resource,
        httpMethod="GET",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{backend}/invocations",
    )
    apigw.create_deployment(restApiId=api, stageName="v1")
    allow_service_to_invoke(lam, backend, APIGATEWAY, f"{EXECUTE_API}:{api}/*/*/*")
    url = local_url(local_cloud.endpoint, api, "v1", "work")
    assert http("GET", url, headers={"Authorization": "token"}).status == 500
    allow_service_to_invoke(lam, authorizer_fn, APIGATEWAY, f"{EXECUTE_API}:{api}/authorizers/{authorizer}")
    assert http("GET", url, headers={"Authorization": "token"}).text == "ran"


def test_an_http_api_route_without_an_invoke_permission_answers_500(aws, make_function, local_cloud):
    name = make_function("def handler(e, c):\n    return 'ran'\n")
    lam, apigw = aws("lambda"), aws("apigatewayv2")
    arn = lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    api = apigw.create_api(Name=name, ProtocolType="HTTP")["ApiId"]
    integration = apigw.create_integration(
        ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=arn, PayloadFormatVersion="2.0"
    )["IntegrationId"]
    apigw.create_route(ApiId=api, RouteKey="GET /work/{id}", Target=f"integrations/{integration}")
    apigw.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    url = local_url(local_cloud.endpoint, api, "$default", "work/7")
    answer = http("GET", url)
    assert (answer.status, answer.json()) == (500, {"message": "Internal Server Error"})
    allow_service_to_invoke(lam, arn, APIGATEWAY, f"{EXECUTE_API}:{api}/*/GET/work/{{id}}")
    assert http("GET", url).text == "ran"


def test_a_service_integration_calls_as_its_credentials_role_which_must_trust_api_gateway(aws, local_cloud, unique):
    """No role, or one API Gateway may not assume: 500. A role that may not send: SQS refuses it (403)."""
    sqs, apigw = aws("sqs"), aws("apigateway")
    url = sqs.create_queue(QueueName=unique)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    api = apigw.create_rest_api(name=unique)["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    routes = {}
    roles = {
        "none": None,
        "untrusted": make_role(
            aws("iam"), f"{unique}-lambda-only", {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue_arn}
        ),
        "unpermitted": make_role(aws("iam"), f"{unique}-idle", trust=trust("apigateway.amazonaws.com")),
        # API Gateway sends neither aws:SourceAccount nor aws:SourceArn when it assumes an integration's role,
        # so a trust policy that requires them admits nobody ("API Gateway does not have permission to assume").
        "conditioned": make_role(
            aws("iam"),
            f"{unique}-conditioned",
            {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue_arn},
            trust=trust("apigateway.amazonaws.com", {"StringEquals": {"aws:SourceAccount": "123456789012"}}),
        ),
        "sender": make_role(
            aws("iam"),
            f"{unique}-sender",
            {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue_arn},
            trust=trust("apigateway.amazonaws.com"),
        ),
    }
    for path, role in roles.items():
        resource = apigw.create_resource(restApiId=api, parentId=root, pathPart=path)["id"]
        apigw.put_method(restApiId=api, resourceId=resource, httpMethod="POST", authorizationType="NONE")
        apigw.put_integration(
            restApiId=api,
            resourceId=resource,
            httpMethod="POST",
            type="AWS",
            integrationHttpMethod="POST",
            uri=f"arn:aws:apigateway:us-east-1:sqs:path/123456789012/{unique}",
            **({"credentials": role} if role else {}),
            requestParameters={"integration.request.header.Content-Type": "'application/x-www-form-urlencoded'"},
            requestTemplates={"application/json": "Action=SendMessage&MessageBody=$util.urlEncode($input.body)"},
        )
        for status, pattern in (("200", None), ("403", "4\\d{2}")):
            apigw.put_method_response(restApiId=api, resourceId=resource, httpMethod="POST", statusCode=status)
            apigw.put_integration_response(
                restApiId=api,
                resourceId=resource,
                httpMethod="POST",
                statusCode=status,
                **({"selectionPattern": pattern} if pattern else {}),
                responseTemplates={"application/json": '{"code": "$input.path(\'$.Error.Code\')"}'},
            )
        routes[path] = local_url(local_cloud.endpoint, api, "v1", path)
    apigw.create_deployment(restApiId=api, stageName="v1")
    statuses = {
        path: http("POST", route, body="{}", headers={"Content-Type": "application/json"}).status
        for path, route in routes.items()
    }
    assert statuses == {"none": 500, "untrusted": 500, "unpermitted": 403, "conditioned": 500, "sender": 200}
    assert len(sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])) == 1
