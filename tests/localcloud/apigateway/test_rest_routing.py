"""Route matching and throttling of the local REST API front door."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from localcloud.apigateway.rest import match_route
from localcloud.apigateway.throttle import TokenBuckets

pytestmark = pytest.mark.unit


@dataclass
class FakeResource:
    id: str
    path: str
    resource_methods: dict = field(default_factory=dict)

    def get_path(self) -> str:
        return self.path


@dataclass
class FakeApi:
    resources: dict


def api(*resources: tuple[str, list[str]]) -> FakeApi:
    return FakeApi({path: FakeResource(path, path, {m: f"{m} {path}" for m in methods}) for path, methods in resources})


ROUTES = api(
    ("/", ["GET"]),
    ("/items", ["GET", "POST"]),
    ("/items/{id}", ["GET"]),
    ("/items/special", ["GET"]),
    ("/files/{proxy+}", ["ANY"]),
)


@pytest.mark.parametrize(
    ("method", "path", "resource", "params"),
    [
        ("GET", "/", "/", {}),
        ("POST", "/items", "/items", {}),
        ("GET", "/items/42", "/items/{id}", {"id": "42"}),
        ("GET", "/items/special", "/items/special", {}),
        ("DELETE", "/files/a/b/c.txt", "/files/{proxy+}", {"proxy": "a/b/c.txt"}),
    ],
)
def test_literal_beats_parameter_beats_greedy_and_any_matches_every_method(method, path, resource, params):
    route = match_route(ROUTES, method, path)
    assert route is not None
    assert (route.resource.path, route.path_parameters) == (resource, params)


@pytest.mark.parametrize(
    ("method", "path"), [("DELETE", "/items"), ("GET", "/items/1/extra"), ("GET", "/files"), ("GET", "/nothing")]
)
def test_no_route_for_unknown_method_or_path(method, path):
    assert match_route(ROUTES, method, path) is None


def test_token_bucket_allows_the_burst_then_refills_at_the_rate(monkeypatch):
    now = [100.0]
    monkeypatch.setattr("localcloud.apigateway.throttle.time.monotonic", lambda: now[0])
    buckets = TokenBuckets()
    assert [buckets.take("k", 2, 3) for _ in range(4)] == [True, True, True, False]
    now[0] += 1.0  # two tokens at 2 per second
    assert [buckets.take("k", 2, 3) for _ in range(3)] == [True, True, False]
    assert all(buckets.take("other", None, None) for _ in range(100)), "no limits, no throttling"
