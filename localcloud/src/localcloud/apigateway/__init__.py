"""API Gateway: every deployed REST and HTTP API stage served on the local cloud's port, as API Gateway serves it."""

from __future__ import annotations

import json
from typing import Any

from localcloud.apigateway.urls import TIMINGS_PATH
from localcloud.extension import Context, Endpoint, Extension, Feature


def install(context: Context) -> None:
    from localcloud.apigateway import deployments, read_back, usage_plans

    deployments.install()
    read_back.install()
    usage_plans.install()


def front_door(app: Any, context: Context) -> Any:
    """Requests for a deployed API go to the gateways, everything else to moto."""
    from localcloud.apigateway.frontdoor import FrontDoor
    from localcloud.apigateway.http_api import HttpApiGateway
    from localcloud.apigateway.rest import RestApiGateway

    door = FrontDoor(
        app,
        RestApiGateway(context.services["lambda"], context.endpoint),
        HttpApiGateway(context.services["lambda"], context.endpoint),
    )
    context.services["apigateway"] = door
    return door


def timings(request: Any, context: Context) -> Any:
    """The REST gateway's recent per-request timings (DELETE clears them): for benchmarks, not for clients."""
    from werkzeug.wrappers import Response

    recent = context.services["apigateway"].gateway.timings
    if request.method == "DELETE":
        recent.clear()
        body = b"[]"
    else:
        body = json.dumps(list(recent)).encode()
    return Response(body, status=200, content_type="application/json")


EXTENSION = Extension(
    service="apigateway",
    summary="the front door: REST and HTTP API stages served as deployed",
    install=install,
    middleware=front_door,
    endpoints=(
        Endpoint(
            "GET",
            TIMINGS_PATH,
            "each recent REST API request's total and integration time, for `make bench` (DELETE clears)",
            timings,
        ),
        Endpoint("DELETE", TIMINGS_PATH, "clears the timings", timings),
    ),
    features=(
        Feature(
            title="API Gateway front door",
            does=(
                "(REST and HTTP APIs) serves every deployed stage on the local cloud's own port, in API Gateway's order: "
                "routing, `AWS_IAM`, throttling, authorizers, API keys and usage plans, request validation, integrations "
                "(Lambda proxy and custom, AWS services, HTTP, mock) with mapping templates, timeouts and access logs "
                "(see the front door below). A throttled function behind it answers API Gateway's 500, not Lambda's 429, "
                "as in AWS."
            ),
            moto_without="moto stores APIs but serves none (its issue #2951)",
            code=(
                "apigateway/urls.py",
                "apigateway/frontdoor.py",
                "apigateway/routing.py",
                "apigateway/iam_auth.py",
                "apigateway/throttle.py",
                "apigateway/authorizers.py",
                "apigateway/usage_plans.py",
                "apigateway/rest.py",
                "apigateway/http_api.py",
                "apigateway/integrations.py",
                "apigateway/vtl.py",
                "apigateway/access_log.py",
                "core/http.py",
            ),
            tests=(
                "integration/test_apigateway_frontdoor.py",
                "integration/test_apigateway_http_api.py",
                "integration/test_apigateway_authorizers.py",
                "localcloud/apigateway/test_rest_routing.py",
                "localcloud/apigateway/test_vtl.py",
                "localcloud/apigateway/test_apigateway_lambda_throttling.py",
                "localcloud/apigateway/test_apigateway_iam_auth.py",
            ),
        ),
        Feature(
            title="A usage plan names stages that exist.",
            does=(
                "`CreateUsagePlan` and an added `/apiStages` are refused as API Gateway refuses them: `BadRequestException: "
                "Invalid API identifier specified` or `Invalid stage identifier specified`, so a plan created before "
                "its stage fails here as in AWS."
            ),
            moto_without="any API id and stage name accepted",
            code=("apigateway/usage_plans.py",),
            tests=("localcloud/apigateway/test_apigateway_deployments.py",),
        ),
        Feature(
            title="A REST API stage serves its deployment.",
            does=(
                "`CreateDeployment` freezes the API's resources, methods, integrations (templates, parameters, "
                "credentials, integration responses), request validators, models and authorizers; the stage serves that "
                "snapshot until it points at another deployment. Stage settings (variables, throttling, logging, usage "
                "plans) apply at once, as in API Gateway."
            ),
            moto_without=(
                "the front door served the live API: an edit without a redeployment worked locally and never reached the "
                "stage in AWS"
            ),
            code=("apigateway/deployments.py",),
            tests=("localcloud/apigateway/test_apigateway_deployments.py",),
        ),
        Feature(
            title="API Gateway authorizer read-back:",
            does="`identityValidationExpression` is stored (moto misspells the argument between its layers and drops it).",
            moto_without="permanent diff on `identity_validation_expression`; tokens not checked",
            code=("apigateway/read_back.py",),
            tests=("localcloud/test_provider_compat.py",),
        ),
    ),
)
