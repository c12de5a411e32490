"""Fixtures shared by integration tests: a real HTTP backend on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness import Downstream, Reply, Request


class Legacy(Downstream):
    """A real HTTP backend: echoes what reached it."""

    def answer(self, request: Request) -> Reply:
        echoed = {"method": request.method, "path": request.path, "body": request.body}
        echoed["header"] = request.headers.get("x-legacy")
        return Reply(201 if request.method == "POST" else 200, echoed, {"X-Served-By": "legacy"})


@pytest.fixture(scope="module")
def legacy_server() -> Iterator[int]:
    with Legacy() as running:
        yield running.port
