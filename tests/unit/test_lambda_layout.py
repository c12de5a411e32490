"""Every Lambda package reads the same: handler.py (entry points), logic.py (plain decisions), store.py (the
only module calling AWS), settings.py (the only module reading the environment); shared helpers in
lambdas/shared, vendored by make build."""

from __future__ import annotations

import ast
import re
import zipfile
from pathlib import Path

import pytest

from harness import ROOT
from tooling import build

pytestmark = pytest.mark.unit

LAYOUT = {"__init__.py", "handler.py", "logic.py", "store.py", "settings.py"}
PACKAGES = sorted(p.parent for p in (ROOT / "lambdas").glob("*/*/__init__.py") if p.parent.parent.name != "shared")
SHARED = ROOT / "lambdas" / "shared" / "pattern_helpers"


def imported(path: Path) -> set[str]:
    """Every module a file imports, and each one's top-level package."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names | {name.split(".")[0] for name in names}


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_a_package_is_handler_logic_store_and_settings(package):
    assert {p.name for p in package.glob("*.py")} == LAYOUT


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_only_store_calls_aws_and_only_settings_reads_the_environment(package):
    for path in package.glob("*.py"):
        if path.name != "store.py":
            assert not imported(path) & {"boto3", "botocore"}, f"{path.relative_to(ROOT)}: AWS calls go in store.py"
        if path.name != "settings.py":
            assert "os.environ" not in path.read_text(), f"{path.relative_to(ROOT)}: read settings in settings.py"
    calls = {"urllib.request", "http.client", "socket", "pg8000", "redis"}
    assert not imported(package / "logic.py") & calls, "logic.py decides; the calls are store.py's"


def test_every_function_names_an_entry_point_of_its_packages_handler_module():
    handlers = set()
    for path in [*(ROOT / "patterns").rglob("*.tf"), *(ROOT / "examples").rglob("*.tf")]:
        handlers |= set(re.findall(r'handler\s*=\s*"([a-z_]+)\.handler\.([a-z_]+)"', path.read_text()))
        assert not re.search(r'handler\s*=\s*"[a-z_]+\.(?!handler\.)[a-z_]+\.', path.read_text()), path
    entry_points = {
        (package.name, node.name)
        for package in PACKAGES
        for node in ast.parse((package / "handler.py").read_text()).body
        if isinstance(node, ast.FunctionDef)
    }
    assert handlers and handlers <= entry_points, sorted(handlers - entry_points)


def test_the_shared_helpers_call_no_aws_and_read_settings_only_in_their_settings_module():
    for path in SHARED.glob("*.py"):
        assert not imported(path) & {"boto3", "botocore"}, path.name
        if path.name != "settings.py":
            assert "os.environ" not in path.read_text(), path.name


def test_a_package_importing_the_shared_helpers_gets_them_in_its_zip_and_one_that_does_not_stays_without(tmp_path):
    lambdas = tmp_path / "lambdas"
    for name, code in {"uses": "from pattern_helpers import http\n", "plain": "import json\n"}.items():
        (lambdas / name / name).mkdir(parents=True)
        (lambdas / name / name / "__init__.py").write_text(code)
    (lambdas / "shared").symlink_to(SHARED.parent)
    out = tmp_path / "out"
    out.mkdir()
    assert [p.name for p in build.discover(lambdas)] == ["plain", "uses"], "lambdas/shared is not a package to build"
    previous: dict[str, dict] = {}
    build.build_package(lambdas / "uses", out, previous)
    build.build_package(lambdas / "plain", out, previous)
    assert "pattern_helpers/http.py" in zipfile.ZipFile(out / "uses.zip").namelist()
    assert not any(n.startswith("pattern_helpers/") for n in zipfile.ZipFile(out / "plain.zip").namelist())
    before = build.inputs_digest(lambdas / "uses")
    assert before == build.inputs_digest(lambdas / "uses")
