"""make docs: each module README shows the inputs and outputs its code declares, in terraform-docs' format."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tooling import docs

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]


def test_every_module_readme_shows_the_inputs_and_outputs_its_code_declares():
    assert docs.stale() == [], "run `make docs`"


def test_a_changed_variable_leaves_its_readme_stale_until_make_docs_runs(tmp_path):
    modules = tmp_path / "modules"
    for module in ("queue", "dead-letter-queue"):  # the queue calls the dead-letter queue
        shutil.copytree(ROOT / "modules" / module, modules / module)
    variables = modules / "queue" / "variables.tf"
    variables.write_text(
        variables.read_text()
        + """
variable "added_for_the_test" {
  description = "A new input | with a pipe."
  type        = list(string)
}
"""
    )
    assert docs.stale(modules) == [modules / "queue" / "README.md"]
    assert docs.main(["--check", "--modules", str(modules)]) == 1
    assert docs.main(["--modules", str(modules)]) == 0
    assert docs.stale(modules) == []
    readme = (modules / "queue" / "README.md").read_text()
    assert (
        '| <a name="input_added_for_the_test"></a> [added_for_the_test](#input\\_added\\_for\\_the\\_test) | '
        "A new input \\| with a pipe. | `list(string)` | n/a | yes |"
    ) in readme
    assert readme.count(docs.BEGIN) == 1 and readme.count(docs.END) == 1


def test_a_readme_without_tables_gets_them_appended_and_its_text_kept(tmp_path):
    module = tmp_path / "modules" / "tiny"
    module.mkdir(parents=True)
    (module / "variables.tf").write_text(
        'variable "size" {\n  description = "How big."\n  type = number\n  default = 3\n}\n'
    )
    (module / "outputs.tf").write_text('output "id" {\n  description = "Its id."\n  value = 1\n}\n')
    (module / "README.md").write_text("# tiny\n\nWhat it is.\n")
    docs.main(["--modules", str(module.parent)])
    readme = (module / "README.md").read_text()
    assert readme.startswith("# tiny\n\nWhat it is.\n")
    assert "| `number` | `3` | no |" in readme and "| Its id. |" in readme


def test_every_pattern_page_lists_the_shared_inputs_its_folder_links_in():
    for pattern in sorted((ROOT / "patterns").iterdir()):
        linked = [path for path in pattern.glob("variables-*.tf") if path.is_symlink()]
        readme = (pattern / "README.md").read_text() if linked else ""
        for path in linked:
            for name in re.findall(r'(?m)^variable "(\w+)"', path.read_text()):
                assert f'<a name="input_{name}"></a>' in readme, f"{pattern.name}: {name} from {path.name}"


def test_every_pattern_page_lists_the_failure_modes_its_tests_prove_and_what_it_costs():
    patterns = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "main.tf").exists())
    for pattern in patterns:
        readme = (ROOT / "patterns" / pattern / "README.md").read_text()
        proofs = readme[readme.index(docs.PROOFS_BEGIN) : readme.index(docs.PROOFS_END)]
        listed = re.findall(r"\(`(test_\w+)`\)", proofs)
        assert listed, f"{pattern}: mark the integration tests of its failure modes with @pytest.mark.failure_mode"
        tests = (ROOT / "tests" / "integration" / f"test_{pattern.replace('-', '_')}.py").read_text()
        assert all(f"def {name}(" in tests for name in listed)
        assert "| Lambda function" in readme or "| SNS topic" in readme, pattern


def test_unmarking_a_failure_mode_test_leaves_its_pattern_page_stale(tmp_path):
    tests = tmp_path / "integration"
    tests.mkdir()
    original = (ROOT / "tests" / "integration" / "test_fifoer.py").read_text()
    (tests / "test_fifoer.py").write_text(original.replace("@pytest.mark.failure_mode\n", "", 1))
    block = docs.failure_modes_block("fifoer", tests)
    assert block is not None and block not in (ROOT / "patterns" / "fifoer" / "README.md").read_text()


def test_the_catalog_shows_every_available_pattern_with_its_picture_example_and_command():
    catalog = (ROOT / "docs" / "catalog.md").read_text()
    rows = re.findall(r"^\| (P\d\d) \| (.+?) \| .+ \| (.+?) \| (.+?) \|$", catalog, re.MULTILINE)
    assert len(rows) == 33
    available = {
        re.match(r"\[([\w-]+)\]", pattern).group(1): (picture, status)
        for _, pattern, picture, status in rows
        if status.startswith("available")
    }
    examples = {p.name for p in (ROOT / "examples").iterdir() if (p / "main.tf").exists()}
    assert set(available) == examples, "a pattern with an example is available in docs/catalog.md, and only those"
    for name, (picture, status) in available.items():
        assert f'src="../patterns/{name}/architecture.png"' in picture
        assert (ROOT / "patterns" / name / "architecture.png").exists()
        assert f"](../examples/{name}/main.tf)" in status and f"`make test PATTERN={name}`" in status
