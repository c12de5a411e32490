"""What an extension of moto is: the service it extends, what it does (the README's rows), how it installs.

Each service folder (`lambda_/`, `sqs/`, `apigateway/` ...) and `core/` declares one `Extension` in its
`__init__.py`; `registry.py` lists them in install order. Declarations import nothing heavy: `install`
and endpoint handlers import the service's modules (and moto) when they run, so the command line and the
docs generator can read the registry without starting anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# An endpoint under /_localcloud/ that the local cloud serves itself: a WSGI request in, a response out.
EndpointHandler = Callable[[Any, "Context"], Any]  # (werkzeug Request, Context) -> werkzeug Response
Middleware = Callable[[Any, "Context"], Any]  # (WSGI app, Context) -> WSGI app


@dataclass(frozen=True)
class Feature:
    """One thing the local cloud does as AWS does it and moto alone does not: one row of the README."""

    title: str  # a sentence's bold start: "Lambda runs your code without Docker."
    does: str  # what it does, as a user of the AWS service would observe it
    moto_without: str  # what moto 5.2.5 does without it
    code: tuple[str, ...]  # files under src/localcloud/ that do it
    tests: tuple[str, ...]  # test files under the repository's tests/ that prove it


@dataclass(frozen=True)
class Endpoint:
    """A control endpoint: `METHOD /_localcloud/...`, for tests and tools, never called by AWS clients."""

    method: str
    path: str
    purpose: str
    handler: EndpointHandler


@dataclass(frozen=True)
class Extension:
    service: str  # the AWS service it extends ("lambda", "sqs", ...), or "core" for what every service shares
    summary: str
    install: Callable[[Context], None]
    features: tuple[Feature, ...]
    endpoints: tuple[Endpoint, ...] = ()
    # Wraps the WSGI app in front of moto (API Gateway serves deployed APIs this way).
    middleware: Middleware | None = None


@dataclass
class Context:
    """What the extensions share while the server runs: set up by `core`, added to by each install."""

    endpoint: str  # the local cloud's own URL, as functions and integrations call back into it
    state_dir: Path
    async_retry_delay_s: float
    runner: Any  # lambda_.runner.LambdaRunner: the function workers
    services: dict[str, Any] = field(default_factory=dict)  # what an extension made that another needs
    _stops: list[Callable[[], None]] = field(default_factory=list)

    def on_stop(self, stop: Callable[[], None]) -> None:
        """Run `stop` when the server stops (in reverse order of registration)."""
        self._stops.append(stop)

    def stop(self) -> None:
        for stop in reversed(self._stops):
            try:
                stop()
            except Exception as exc:  # one failing stop must not keep the others' servers running
                print(f"stopping the local cloud: {exc!r}", flush=True)
        self._stops.clear()


def all_tests(extensions: Iterable[Extension]) -> set[str]:
    return {test for extension in extensions for feature in extension.features for test in feature.tests}
