"""Shared fixtures: the local cloud per test session (per xdist worker) and the stack helper."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from localcloud.control import LocalCloud, free_port

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
# The local clouds the tests start run functions on the Lambda runtime's virtualenv (make install).
os.environ.setdefault("LOCALCLOUD_LAMBDA_PYTHON", str(ROOT / ".venv-lambda-runtime" / "bin" / "python"))

from harness import SUITE_TIMINGS, pattern_of  # noqa: E402


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
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


LAYERS = ("unit", "localcloud", "plan", "integration")
LAYER_ORDER = ("plan", "integration", "localcloud", "unit")


def _layer(item: pytest.Item) -> str:
    return next(m.name for m in item.iter_markers() if m.name in LAYERS)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--pattern",
        default=None,
        metavar="NAME",
        help="only the tests of one pattern (its module name, for example queue-based-load-leveling)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test belongs to exactly one layer, so `-m <layer>` selections never drop a test silently;
    `--pattern NAME` keeps one pattern's tests."""
    for item in items:
        layers = [m.name for m in item.iter_markers() if m.name in LAYERS]
        if len(set(layers)) != 1:
            raise pytest.UsageError(f"{item.nodeid} must carry exactly one of the markers {LAYERS}, has {layers}")
    # The longest stacks first, so none starts at the end of the suite: the prod rehearsal (about 700
    # resources), the environments' plans, the patterns' stacks, then the tests that need no Terraform.
    # xdist hands out files in this order (the Makefile turns off its reordering by test count).
    items.sort(key=lambda item: (item.path.name != "test_rehearsal.py", LAYER_ORDER.index(_layer(item))))
    pattern = config.getoption("--pattern")
    if pattern is None:
        return
    if not (ROOT / "patterns" / pattern / "main.tf").exists():
        raise pytest.UsageError(f"--pattern {pattern}: no such pattern in patterns/")
    kept = [item for item in items if pattern_of(item.path) == pattern]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # the controller (or a run without xdist)
        session.config._suite_started = time.time()
        shutil.rmtree(SUITE_TIMINGS, ignore_errors=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """build/bench/suite.json: each applied stack's apply, test and destroy time, longest first."""
    if hasattr(session.config, "workerinput") or not hasattr(session.config, "_suite_started"):
        return
    stacks = [
        json.loads(line) for path in sorted(SUITE_TIMINGS.glob("*.jsonl")) for line in path.read_text().splitlines()
    ]
    if not stacks:
        return
    wall = time.time() - session.config._suite_started
    per_worker: dict[str, float] = {}
    for stack in stacks:
        per_worker[stack["worker"]] = per_worker.get(stack["worker"], 0.0) + stack["total_s"]
    summary = {
        "wall_s": round(wall, 1),
        "workers": len(per_worker),
        "stacks": len(stacks),
        "stack_seconds": round(sum(s["total_s"] for s in stacks), 1),
        "busiest_worker_stack_seconds": round(max(per_worker.values()), 1),
        "by_stack": sorted(stacks, key=lambda s: -s["total_s"]),
    }
    (SUITE_TIMINGS.parent / "suite.json").write_text(json.dumps(summary, indent=2) + "\n")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """A failed test that used the local cloud carries the tracebacks its server logged meanwhile: a 500 in
    a test's output then says where it came from (the server's log is gone with the run's temp folder)."""
    report = yield
    cloud = getattr(item, "funcargs", {}).get("local_cloud") or _stack_cloud(item)
    if report.failed and cloud is not None and cloud.log_file.exists():
        text = cloud.log_file.read_text(errors="replace")
        tracebacks = [chunk for chunk in text.split("Traceback (most recent call last):")[1:]][-3:]
        if tracebacks:
            report.sections.append(
                (
                    "local cloud tracebacks (last 3)",
                    "\n---\nTraceback (most recent call last):".join([""] + [t[:3000] for t in tracebacks]),
                )
            )
    return report


def _stack_cloud(item: pytest.Item) -> LocalCloud | None:
    stack = getattr(item, "funcargs", {}).get("stack")
    return getattr(stack, "cloud", None)
