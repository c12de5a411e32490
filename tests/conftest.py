"""Shared fixtures: the local cloud per test session (per xdist worker) and the stack helper."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
# Every Lambda package has a unique top-level name, so all can share sys.path.
for package_dir in sorted((ROOT / "lambdas").iterdir()):
    sys.path.insert(0, str(package_dir))

# Unit tests run handlers in-process: no X-Ray daemon, no real AWS.
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("AWS_XRAY_SDK_ENABLED", "false")
# What modules/lambda-function sets on every function.
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "ServerlessPatterns")

from harness import pattern_of  # noqa: E402
from tooling.localcloud.control import LocalCloud, free_port  # noqa: E402


@pytest.fixture(scope="session")
def local_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCloud]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    cloud = LocalCloud(port=free_port(), state_dir=tmp_path_factory.mktemp(f"localcloud-{worker}"))
    cloud.start()
    try:
        yield cloud
    finally:
        cloud.stop()


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests: moto in-process, never a real account."""
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                       "AWS_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


LAYERS = ("unit", "localcloud", "plan", "integration")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--pattern", default=None, metavar="NAME",
                     help="only the tests of one pattern (its module name, for example queue-based-load-leveling)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test belongs to exactly one layer, so `-m <layer>` selections never drop a test silently;
    `--pattern NAME` keeps one pattern's tests."""
    for item in items:
        layers = [m.name for m in item.iter_markers() if m.name in LAYERS]
        if len(set(layers)) != 1:
            raise pytest.UsageError(f"{item.nodeid} must carry exactly one of the markers {LAYERS}, has {layers}")
    pattern = config.getoption("--pattern")
    if pattern is None:
        return
    if not (ROOT / "modules" / pattern / "main.tf").exists():
        raise pytest.UsageError(f"--pattern {pattern}: no such module in modules/")
    kept = [item for item in items if pattern_of(item.path) == pattern]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept
