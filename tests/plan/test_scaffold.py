"""`make pattern NAME=...`: a new pattern's folders pass lint, and its proofs fail until they are written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness import ROOT
from tooling import scaffold
from tooling.terraform import terraform_env

pytestmark = pytest.mark.plan

PY = sys.executable
RUFF = str(Path(sys.executable).with_name("ruff"))


def repository_copy(tmp_path: Path) -> Path:
    """The repository's files as a clone would have them (tracked and not ignored), without build output."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-co", "--exclude-standard"], check=True, capture_output=True, text=True
    ).stdout.split("\n")
    copy = tmp_path / "repo"
    for relative in filter(None, listed):
        source = ROOT / relative
        if source.is_file() and not relative.startswith("build/"):
            (copy / relative).parent.mkdir(parents=True, exist_ok=True)
            # Links stay links, as git checks them out.
            shutil.copy2(source, copy / relative, follow_symlinks=False)
    return copy


def run(copy: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=copy, env=terraform_env(), capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory) -> Path:
    copy = repository_copy(tmp_path_factory.mktemp("scaffold"))
    made = run(copy, PY, "-m", "tooling.scaffold", "secured-spa")
    assert made.returncode == 0, made.stderr
    if shutil.which("dot") is None:
        pytest.fail("Graphviz's dot is missing: `make install` installs it (the new pattern's picture)")
    docs = run(copy, PY, "-m", "tooling.docs")
    assert docs.returncode == 0, docs.stderr
    return copy


def test_a_planned_pattern_gets_its_own_folders_one_composition_block_and_leaves_the_plan(scaffolded):
    # CONTRIBUTING.md counts them: 16 files in its own folders, plus one block in the composition.
    assert len(scaffold.files("secured-spa", "P32", "E", "an idea", "secured_spa")) == 16
    assert "16 files in its own folders" in (ROOT / "CONTRIBUTING.md").read_text()
    for folder in (
        "patterns/secured-spa",
        "lambdas/secured-spa/secured_spa",
        "examples/secured-spa",
        "tests/unit/secured-spa",
    ):
        assert (scaffolded / folder).is_dir(), folder
    assert (scaffolded / "tests/integration/test_secured_spa.py").exists()
    for shared in scaffold.SHARED_VARIABLES:
        link = scaffolded / "patterns/secured-spa" / shared
        assert link.is_symlink() and link.resolve() == (scaffolded / "patterns" / shared).resolve(), shared
    assert 'module "secured_spa" {' in (scaffolded / "environments/composition/main.tf").read_text()
    assert 'name = "secured-spa"' not in (scaffolded / "docs/planned-patterns.toml").read_text()
    assert 'name = "hosting-microservices"' in (scaffolded / "docs/planned-patterns.toml").read_text()
    assert "| P32 | [secured-spa](../patterns/secured-spa/README.md)" in (scaffolded / "docs/catalog.md").read_text()


def test_the_new_pattern_passes_lint(scaffolded):
    checks = [
        (RUFF, "check", "patterns", "lambdas", "tests", "tooling"),
        (RUFF, "format", "--check", "patterns", "lambdas", "tests", "tooling"),
        ("terraform", "fmt", "-check", "-recursive", "patterns", "environments", "examples"),
        (PY, "-m", "tooling.docs", "--check"),
        (PY, "-m", "tooling.validate"),
    ]
    for command in checks:
        done = run(scaffolded, *command)
        assert done.returncode == 0, f"{' '.join(command[1:])}:\n{done.stdout}{done.stderr}"


def test_the_layout_rules_hold_and_only_the_proofs_fail_until_written(scaffolded):
    done = run(
        scaffolded,
        PY,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-q",
        "tests/unit/test_pattern_facts.py",
        "tests/unit/test_module_conventions.py",
        "tests/unit/test_docs.py",
        "tests/unit/secured-spa",
        "tests/integration/test_secured_spa.py::test_the_catalogs_proof_is_written",
        "tests/integration/test_secured_spa.py::test_the_catalogs_failure_proof_is_written",
    )
    failed = sorted(line.split(" ")[1] for line in done.stdout.splitlines() if line.startswith("FAILED "))
    assert failed == [
        "tests/integration/test_secured_spa.py::test_the_catalogs_failure_proof_is_written",
        "tests/integration/test_secured_spa.py::test_the_catalogs_proof_is_written",
    ], done.stdout[-3000:]


def test_a_name_that_is_taken_or_unplanned_without_its_facts_is_refused(tmp_path):
    copy = repository_copy(tmp_path)
    with pytest.raises(scaffold.ScaffoldError, match="would overwrite what exists"):
        scaffold.scaffold("fifoer", copy, "P34", "B", "another FIFO")
    with pytest.raises(scaffold.ScaffoldError, match=r"give its id, group and idea"):
        scaffold.scaffold("pipeline-runner", copy)
    with pytest.raises(scaffold.ScaffoldError, match="P13 is fifoer's id already"):
        scaffold.scaffold("pipeline-runner", copy, "P13", "B", "a runner")
    with pytest.raises(scaffold.ScaffoldError, match="lowercase words joined by hyphens"):
        scaffold.scaffold("Pipeline_Runner", copy, "P34", "B", "a runner")
