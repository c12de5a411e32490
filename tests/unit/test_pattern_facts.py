"""A pattern states who it is once (patterns/<name>/pattern.toml); everything that lists patterns agrees with it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import hcl2
import pytest

from harness import ROOT
from tooling import patterns

pytestmark = pytest.mark.unit

AVAILABLE = patterns.available()
COMPOSITION = ROOT / "environments" / "composition"
SHARED_MODULES = {"kms_key", "api_gateway_account", "code_bucket"}  # the composition's own, not patterns


def _unquoted(value: object) -> object:
    return value.strip('"') if isinstance(value, str) else value


def composition_modules() -> dict[str, dict]:
    """The composition's module blocks: name -> {argument: value} (python-hcl2 keeps HCL's quotes; dropped)."""
    with (COMPOSITION / "main.tf").open() as handle:
        blocks = hcl2.load(handle).get("module", [])
    return {
        _unquoted(name): {_unquoted(k): _unquoted(v) for k, v in body.items()}
        for block in blocks
        for name, body in block.items()
    }


def test_every_folder_of_patterns_is_a_pattern_with_its_own_folders():
    for pattern in AVAILABLE:
        assert (pattern.folder / "main.tf").exists(), pattern.name
        assert (ROOT / "examples" / pattern.name / "main.tf").exists(), f"{pattern.name}: an example to try"
        test = ROOT / "tests" / "integration" / f"test_{pattern.module}.py"
        assert test.exists(), f"{pattern.name}: its integration test proves it"
        if pattern.package:
            assert (ROOT / "tests" / "unit" / pattern.name).is_dir(), f"{pattern.name}: unit tests of its logic"


def test_every_pattern_says_how_make_up_smokes_it():
    for pattern in AVAILABLE:
        smoke = pattern.folder / "smoke.py"
        tree = ast.parse(smoke.read_text())
        functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
        assert "smoke" in functions, f"{smoke}: def smoke(service, cloud) -> list[Check]"
        assert [a.arg for a in functions["smoke"].args.args] == ["service", "cloud"], smoke


def test_the_catalog_numbers_every_pattern_once_from_p01_to_p33():
    ids = sorted([p.id for p in AVAILABLE] + [p.id for p in patterns.planned()])
    assert ids == [f"P{n:02d}" for n in range(1, 34)]


def test_the_composition_has_one_module_block_per_pattern_from_its_folder():
    modules = composition_modules()
    assert set(modules) - SHARED_MODULES == {p.module for p in AVAILABLE}, "compose each pattern once in main.tf"
    for pattern in AVAILABLE:
        body = modules[pattern.module]
        assert body["source"] == f"../../patterns/{pattern.name}", pattern.name
        assert body["count"] == f'${{local.enabled["{pattern.name}"] ? 1 : 0}}', pattern.name


def test_a_pattern_with_settings_of_its_own_finds_them_in_every_environment():
    """Its key in the composition's settings, and a value in each environment (or a default for all)."""
    variables = (COMPOSITION / "variables.tf").read_text()
    for pattern in AVAILABLE:
        if not pattern.settings:
            continue
        declared = re.search(
            rf"^    {pattern.settings} = optional\(object\(\{{.*?^    \}}\)(, \{{\}})?\)", variables, re.M | re.S
        )
        assert declared, f"{pattern.name}: settings.{pattern.settings} in environments/composition/variables.tf"
        has_default = declared.group(1) is not None
        for env in ("local", "dev", "staging", "prod"):
            tfvars = (ROOT / "environments" / env / "terraform.tfvars").read_text()
            assert has_default or re.search(rf"^\s*{pattern.settings}\s*=", tfvars, re.M), (
                f"environments/{env}/terraform.tfvars: settings.{pattern.settings} for {pattern.name}"
            )


def write_facts(root: Path, name: str, text: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "pattern.toml").write_text(text)
    return folder


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('id = "P1"\ngroup = "A"\nsummary = "s"\ncatalog = "c"\n', "id must be P and two digits"),
        ('id = "P01"\ngroup = "F"\nsummary = "s"\ncatalog = "c"\n', "group must be one of A, B, C, D, E"),
        ('id = "P01"\ngroup = "A"\nsummary = "s"\n', r"missing \['catalog'\]"),
        ('id = "P01"\ngroup = "A"\nsummary = "s"\ncatalog = "c"\ncolour = "red"\n', r"unknown \['colour'\]"),
        ('id = "P01"\ngroup = "A"\nsummary = "s"\ncatalog = "c"\n[deploys]\nfunctions = -1\n', r"\[deploys\] takes"),
        ('id = "P01"\ngroup = "A"\nsummary = "s"\ncatalog = "c"\npackage = "nowhere"\n', "is not lambdas/x/nowhere/"),
        ("id = P01\n", "pattern.toml:"),
    ],
)
def test_facts_that_say_something_wrong_are_refused_naming_the_file(tmp_path, text, message):
    folder = write_facts(tmp_path, "x", text)
    with pytest.raises(patterns.FactsError, match=message):
        patterns.read(folder)


def test_two_patterns_with_one_id_are_refused(tmp_path):
    for name in ("a", "b"):
        write_facts(tmp_path, name, 'id = "P07"\ngroup = "A"\nsummary = "s"\ncatalog = "c"\n')
    with pytest.raises(patterns.FactsError, match=r"two patterns share an id: \['P07', 'P07'\]"):
        patterns.available(tmp_path)


def test_a_folder_without_facts_is_refused_with_what_to_do(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(patterns.FactsError, match=r"make pattern NAME="):
        patterns.read(tmp_path / "x")
