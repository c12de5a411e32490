"""P31 single-domain-frontend-backend: applied to the local cloud and driven end to end through its distribution."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from browser import chromium, distribution_page

from harness import Stack, applied_stack, as_role, authorized, http, package_zip, viewer_request

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "single-domain-frontend-backend",
        local_cloud,
        tmp_path_factory.mktemp("p31"),
        code="p31",
        variables={"package_path": str(package_zip("single-domain-frontend-backend"))},
    ) as applied:
        yield applied


def board(stack: Stack) -> dict[str, Any]:
    return stack.outputs["board"]  # type: ignore[no-any-return]


def visit(stack: Stack, path: str, method: str = "GET", body: Any = None, **headers: str) -> Any:
    if body is not None:
        headers["Content-Type"] = "application/json"
    data = json.dumps(body).encode() if body is not None else None
    return viewer_request(stack.cloud, board(stack)["domain_name"], path, method, headers=headers, body=data)


def cors_headers(answer: Any) -> list[str]:
    return [name for name in answer.headers if name.lower().startswith("access-control-")]


def test_the_app_is_served_from_the_bucket_at_the_root_and_under_ui(stack):
    root = visit(stack, "/")
    assert root.status == 200, root.text
    assert b"<title>Message board</title>" in root.body
    assert root.headers["Content-Security-Policy"].startswith("default-src 'self';")
    assert root.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    assert visit(stack, "/ui/index.html").body == root.body
    script = visit(stack, "/ui/app.js")
    assert script.status == 200
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert b'fetch("/api/messages"' in script.body  # the page calls its API on its own origin


def test_the_page_calls_its_api_on_the_same_origin_with_no_cors(stack):
    origin = f"https://{board(stack)['domain_name']}"
    text = f"hello {uuid.uuid4().hex[:6]}"
    posted = visit(stack, "/api/messages", "POST", {"author": "Ada", "text": text}, Origin=origin)
    assert posted.status == 201, posted.text
    assert posted.json()["text"] == text
    listed = visit(stack, "/api/messages", Origin=origin)
    assert listed.status == 200
    assert listed.json()["messages"][0] == posted.json()
    assert listed.headers["X-Cache"] == "Miss from cloudfront"  # API paths are never kept at the edge
    assert visit(stack, "/api/messages").headers["X-Cache"] == "Miss from cloudfront"
    assert cors_headers(posted) == cors_headers(listed) == []
    assert "default-src 'self'" in listed.headers["Content-Security-Policy"]


def test_in_a_browser_the_board_loads_and_a_posted_message_shows_with_no_console_error(stack):
    text = f"from the browser {uuid.uuid4().hex[:6]}"
    with chromium(stack.cloud, "p31-board") as browser:
        browser.open(distribution_page(stack.cloud, board(stack)["distribution_id"], "/"))
        browser.wait_until(lambda: browser.text("#status").endswith(("message", "messages")), "the board")
        browser.step("the board loaded")
        browser.driver.find_element("name", "author").send_keys("Grace")
        browser.driver.find_element("name", "text").send_keys(text)
        browser.driver.find_element("css selector", "button[type=submit]").click()
        browser.wait_until(lambda: text in browser.text("#messages"), "the posted message")
        browser.step("the message posted")
        # A cross-origin API without CORS headers would fail here, logged as an error: the page and its API
        # share one origin.
        assert browser.errors() == []
    stored = stack.client("dynamodb").scan(TableName=board(stack)["table_name"])["Items"]
    assert {"S": text} in [item["text"] for item in stored]


def test_both_paths_route_to_their_origins(stack):
    config = stack.client("cloudfront").get_distribution_config(Id=board(stack)["distribution_id"])[
        "DistributionConfig"
    ]
    origins = {o["Id"]: o for o in config["Origins"]["Items"]}
    assert origins["site"]["DomainName"] == f"{board(stack)['bucket_name']}.s3.us-east-1.amazonaws.com"
    assert origins["site"]["OriginAccessControlId"]
    assert origins["api"]["DomainName"] == f"{board(stack)['api_id']}.execute-api.us-east-1.amazonaws.com"
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == "site"
    assert [(b["PathPattern"], b["TargetOriginId"]) for b in config["CacheBehaviors"]["Items"]] == [("/api/*", "api")]
    assert config["CustomErrorResponses"]["Quantity"] == 0  # an API error must not become the app's page


@pytest.mark.failure_mode
def test_an_api_error_reaches_the_page_as_the_api_gave_it_not_as_the_app(stack):
    missing = visit(stack, "/api/nothing-here")
    assert missing.status == 404
    assert missing.json() == {"message": "Not Found"}
    refused = visit(stack, "/api/messages", "POST", {"author": "Ada"})
    assert refused.status == 400
    assert "'text' must be" in refused.json()["message"]
    # A file the bucket does not hold is S3's refusal, not the app page either.
    assert visit(stack, "/ui/missing.js").status == 403


@pytest.mark.failure_mode
def test_direct_bucket_access_is_denied(stack):
    anonymous = http("GET", f"{stack.cloud.endpoint}/{board(stack)['bucket_name']}/ui/index.html")
    assert anonymous.status == 403
    assert b"<Code>AccessDenied</Code>" in anonymous.body


def test_each_function_may_make_only_its_own_table_call(stack):
    table = board(stack)["table_name"]
    missing = {"board": {"S": "absent"}, "posted": {"S": uuid.uuid4().hex}}
    may = {}
    for operation, role in board(stack)["role_names"].items():
        dynamodb = as_role(stack, role, "dynamodb")
        calls = {
            "PutItem": (dynamodb.put_item, {"Item": missing, "ConditionExpression": "attribute_exists(posted)"}),
            "Query": (
                dynamodb.query,
                {
                    "KeyConditionExpression": "#b = :b",
                    "ExpressionAttributeNames": {"#b": "board"},
                    "ExpressionAttributeValues": {":b": {"S": "absent"}},
                },
            ),
            "Scan": (dynamodb.scan, {"Limit": 1}),
            "DeleteItem": (dynamodb.delete_item, {"Key": missing, "ConditionExpression": "attribute_exists(posted)"}),
        }
        may[operation] = {
            action for action, (call, params) in calls.items() if authorized(call, TableName=table, **params)
        }
    assert may == {"list": {"Query"}, "post": {"PutItem"}}


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
