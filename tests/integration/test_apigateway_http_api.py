"""HTTP APIs (API Gateway v2) served by the local front door, driven over HTTP."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from harness import STACKS, Stack, applied_stack, cognito_tokens, http
from tooling.build import write_zip

pytestmark = pytest.mark.integration

FIXTURE = STACKS / "apigw-http"
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory, legacy_server) -> Iterator[Stack]:
    work = tmp_path_factory.mktemp("httpapi")
    write_zip(work / "fixture.zip", [FIXTURE / "src"], FIXTURE / "src")
    with applied_stack(
        "apigw-http",
        local_cloud,
        work,
        code="ha",
        variables={"package_path": str(work / "fixture.zip"), "legacy_port": legacy_server},
    ) as s:
        yield s


def url(stack: Stack, path: str) -> str:
    # The $default stage of an HTTP API is served at the root of its host.
    return f"{stack.cloud.endpoint}/{path.lstrip('/')}"


def call(stack: Stack, method: str, path: str, body: str | bytes | None = None, **headers: str):
    host = {"Host": f"{stack.outputs['api_id']}.execute-api.localhost"}
    return http(method, url(stack, path), body, {**host, **headers})


def test_payload_2_0_event_and_structured_response_with_cookies(stack):
    answer = call(stack, "GET", "v2/42?a=1&a=2&b=3", Cookie="c1=v1; c2=v2", **{"X-Thing": "yes"})
    assert answer.status == 200
    assert answer.headers["X-Payload"] == "2.0"
    event = answer.json()["event"]
    assert (event["version"], event["routeKey"], event["rawPath"]) == ("2.0", "GET /v2/{id}", "/v2/42")
    assert event["pathParameters"] == {"id": "42"}
    assert event["queryStringParameters"] == {"a": "1,2", "b": "3"}
    assert event["cookies"] == ["c1=v1", "c2=v2"]
    assert event["headers"]["x-thing"] == "yes"
    assert event["requestContext"]["http"]["method"] == "GET"
    assert event["requestContext"]["routeKey"] == "GET /v2/{id}"


def test_set_cookie_headers_come_back_one_per_cookie(stack):
    import urllib.request

    request = urllib.request.Request(
        url(stack, "v2/1"), headers={"Host": f"{stack.outputs['api_id']}.execute-api.localhost"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.headers.get_all("Set-Cookie") == ["session=abc; Path=/", "theme=dark"]


def test_payload_1_0_route_gets_the_rest_shape(stack):
    answer = call(stack, "POST", "v1", json.dumps({"x": 1}), **JSON)
    assert (answer.status, answer.headers["X-Payload"]) == (201, "1.0")
    event = answer.json()["event"]
    assert (event["httpMethod"], event["path"], event["body"]) == ("POST", "/v1", '{"x": 1}')


def test_payload_2_0_function_returning_only_a_body_gets_200_json(stack):
    answer = call(stack, "GET", "bare")
    assert (answer.status, answer.json(), answer.headers["Content-Type"]) == (
        200,
        {"hello": "world"},
        "application/json",
    )


def test_unknown_route_is_404_not_found(stack):
    answer = call(stack, "GET", "nothing/here")
    assert (answer.status, answer.json()) == (404, {"message": "Not Found"})
    assert call(stack, "DELETE", "v1").status == 404


def test_http_proxy_route_reaches_a_real_http_server(stack):
    answer = call(stack, "PUT", "legacy/orders/9?x=1", "payload", **{"X-Legacy": "kept"})
    assert answer.status == 200
    assert answer.json() == {"method": "PUT", "path": "/app/orders/9?x=1", "body": "payload", "header": "kept"}


def test_sqs_send_message_integration_maps_the_body_field(stack):
    answer = call(stack, "POST", "queue", json.dumps({"message": "hello queue"}), **JSON)
    assert answer.status == 200, answer.body
    message_id = answer.json()["MessageId"]
    received = stack.client("sqs").receive_message(QueueUrl=stack.outputs["queue_url"]).get("Messages", [])
    assert [(m["MessageId"], m["Body"]) for m in received] == [(message_id, "hello queue")]


def test_lambda_authorizer_with_simple_responses_allows_and_forbids(stack):
    allowed = call(stack, "GET", "secure", **{"x-key": "open"})
    assert allowed.status == 200
    assert allowed.json()["event"]["requestContext"]["authorizer"] == {"lambda": {"plan": "gold"}}
    assert call(stack, "GET", "secure", **{"x-key": "closed"}).status == 403
    assert call(stack, "GET", "secure").status == 401, "a missing identity source is 401"


def test_jwt_authorizer_accepts_the_pools_token_for_its_audience(stack):
    tokens = cognito_tokens(stack, stack.outputs["user_pool_id"], stack.outputs["client_id"], "ada@example.com")
    answer = call(stack, "GET", "jwt", Authorization=f"Bearer {tokens['IdToken']}")
    assert answer.status == 200, answer.body
    claims = answer.json()["event"]["requestContext"]["authorizer"]["jwt"]["claims"]
    assert claims["email"] == "ada@example.com"
    assert call(stack, "GET", "jwt").status == 401
    assert call(stack, "GET", "jwt", Authorization="Bearer not.a.token").status == 401


def test_cors_preflight_and_response_headers_follow_the_configuration(stack):
    preflight = call(stack, "OPTIONS", "v1", Origin="https://app.example", **{"Access-Control-Request-Method": "POST"})
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert set(preflight.headers["Access-Control-Allow-Methods"].split(",")) == {"GET", "POST"}
    assert preflight.headers["Access-Control-Max-Age"] == "300"
    simple = call(stack, "GET", "bare", Origin="https://app.example")
    assert simple.headers["Access-Control-Allow-Origin"] == "https://app.example"
    stranger = call(stack, "GET", "v2/1", Origin="https://evil.example")
    assert "Access-Control-Allow-Origin" not in stranger.headers


def test_route_throttling_answers_429_past_the_burst(stack):
    time.sleep(3)  # the bucket (1 per second, burst 3) is full again
    statuses = [call(stack, "GET", "bare").status for _ in range(6)]
    assert statuses[:3] == [200, 200, 200]
    assert 429 in statuses[3:]
    assert call(stack, "GET", "v2/1").status == 200, "other routes keep their own limits"


def test_integration_past_its_timeout_answers_504(stack):
    started = time.monotonic()
    assert call(stack, "GET", "slow").status == 504
    assert time.monotonic() - started < 2.5


def test_path_form_reaches_the_default_stage(stack):
    from harness import api_url

    # v2/{id}: a route no other test throttles, so the answer must be the route's own
    answer = http("GET", api_url(stack, stack.outputs["api_id"], "$default", "v2/7"))
    assert answer.status == 200, answer.text
    assert answer.headers["X-Payload"] == "2.0"


def test_stage_access_log_records_route_and_status(stack):
    call(stack, "GET", "nothing/here")
    call(stack, "POST", "v1", "{}", **JSON)
    events = stack.client("logs").filter_log_events(logGroupName=stack.outputs["access_log_group"])["events"]
    lines = [json.loads(e["message"]) for e in events]
    assert {"routeKey": "POST /v1", "status": "201"}.items() <= next(
        line for line in reversed(lines) if line["routeKey"] == "POST /v1"
    ).items()
    assert any(line["status"] == "404" for line in lines)


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
