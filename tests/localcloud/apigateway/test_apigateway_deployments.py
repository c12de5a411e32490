"""A REST API stage serves the deployment it points at: edits are live only after the next deployment."""

from __future__ import annotations

import pytest

from harness import http
from localcloud.apigateway.urls import local_url

pytestmark = pytest.mark.localcloud


def mock_route(apigw, api: str, resource: str, answer: str) -> None:
    apigw.put_integration_response(
        restApiId=api,
        resourceId=resource,
        httpMethod="GET",
        statusCode="200",
        responseTemplates={"application/json": answer},
    )


def test_an_edit_after_a_deployment_reaches_the_stage_only_with_the_next_deployment(aws, local_cloud, unique):
    apigw = aws("apigateway")
    api = apigw.create_rest_api(name=unique)["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    resource = apigw.create_resource(restApiId=api, parentId=root, pathPart="version")["id"]
    apigw.put_method(restApiId=api, resourceId=resource, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(
        restApiId=api,
        resourceId=resource,
        httpMethod="GET",
        type="MOCK",
        requestTemplates={"application/json": '{"statusCode": 200}'},
    )
    apigw.put_method_response(restApiId=api, resourceId=resource, httpMethod="GET", statusCode="200")
    mock_route(apigw, api, resource, '{"version": 1}')
    first = apigw.create_deployment(restApiId=api, stageName="live")["id"]
    url = local_url(local_cloud.endpoint, api, "live", "version")
    assert http("GET", url).json() == {"version": 1}

    mock_route(apigw, api, resource, '{"version": 2}')
    added = apigw.create_resource(restApiId=api, parentId=root, pathPart="added")["id"]
    apigw.put_method(restApiId=api, resourceId=added, httpMethod="GET", authorizationType="NONE")
    assert http("GET", url).json() == {"version": 1}, "not deployed yet"
    assert http("GET", local_url(local_cloud.endpoint, api, "live", "added")).status == 403

    apigw.create_deployment(restApiId=api, stageName="live")
    assert http("GET", url).json() == {"version": 2}
    # pointing the stage back at the first deployment serves it again
    apigw.update_stage(
        restApiId=api, stageName="live", patchOperations=[{"op": "replace", "path": "/deploymentId", "value": first}]
    )
    assert http("GET", url).json() == {"version": 1}


def test_a_usage_plan_names_an_api_and_stage_that_exist(aws, unique):
    from botocore.exceptions import ClientError

    apigw = aws("apigateway")
    api = apigw.create_rest_api(name=unique)["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")

    def refusal(**plan: object) -> str:
        with pytest.raises(ClientError) as refused:
            apigw.create_usage_plan(name=unique, **plan)
        assert refused.value.response["Error"]["Code"] == "BadRequestException"
        return str(refused.value.response["Error"]["Message"])

    # Before its stage exists (a plan that does not depend on the stage resource), as AWS answers it.
    assert refusal(apiStages=[{"apiId": api, "stage": "v1"}]) == "Invalid stage identifier specified"
    assert refusal(apiStages=[{"apiId": "nosuchapi", "stage": "v1"}]).startswith("Invalid API identifier specified")
    apigw.create_deployment(restApiId=api, stageName="v1")
    plan = apigw.create_usage_plan(name=unique, apiStages=[{"apiId": api, "stage": "v1"}])["id"]
    with pytest.raises(ClientError, match="Invalid stage identifier specified"):
        apigw.update_usage_plan(
            usagePlanId=plan, patchOperations=[{"op": "add", "path": "/apiStages", "value": f"{api}:v2"}]
        )
