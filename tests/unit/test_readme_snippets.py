"""Every module's README shows how to use it, and what it shows works: the snippet calls that module, passes
only inputs it declares, gives every input it requires, and pins the current release."""

from __future__ import annotations

import re
from pathlib import Path

import hcl2
import pytest

import localcloud
from harness import ROOT
from tooling.validate import required_inputs

pytestmark = pytest.mark.unit

MODULES = sorted(p for folder in ("modules", "patterns") for p in (ROOT / folder).iterdir() if (p / "main.tf").exists())
GIT_SOURCE = re.compile(
    r"git::https://github\.com/OWNER/serverless-patterns\.git//(?P<path>[\w/-]+)\?ref=(?P<ref>v[\d.]+)"
)


def latest_release() -> str:
    """The newest version CHANGELOG.md records a release of."""
    found = re.search(r"^## \[(\d+\.\d+\.\d+)\] - ", (ROOT / "CHANGELOG.md").read_text(), re.MULTILINE)
    assert found, "CHANGELOG.md records no release"
    return found.group(1)


def declared_inputs(module: Path) -> set[str]:
    names = set()
    for path in module.glob("*.tf"):
        with path.open() as handle:
            for block in hcl2.load(handle).get("variable", []):
                names.update(name.strip('"') for name in block)
    return names


def usage_calls(module: Path) -> list[tuple[dict, str]]:
    """The module blocks of the README's hcl snippets that call this module, with the snippet's text."""
    readme = (module / "README.md").read_text()
    calls = []
    for snippet in re.findall(r"```hcl\n(.*?)```", readme, re.DOTALL):
        for block in hcl2.loads(snippet).get("module", []):
            for body in block.values():
                source = str(body.get("source", "")).strip('"')
                relative = module.relative_to(ROOT)
                if source.endswith(f"/{relative.name}") or f"//{relative}?ref=" in source:
                    calls.append((body, snippet))
    return calls


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_readme_shows_a_call_with_inputs_the_module_declares_and_every_one_it_requires(module):
    calls = usage_calls(module)
    assert calls, f"{module.relative_to(ROOT)}/README.md: a ```hcl usage snippet calling the module"
    declared, required = declared_inputs(module), set(required_inputs(module))
    for body, _ in calls:
        given = {
            key
            for key in body
            if not key.startswith("__") and key not in ("source", "count", "for_each", "depends_on", "providers")
        }
        assert given <= declared, f"not inputs of {module.name}: {sorted(given - declared)}"
        assert required <= given, f"{module.name} requires {sorted(required - given)}"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_pinned_source_names_the_modules_folder_and_the_current_release(module):
    for _, snippet in usage_calls(module):
        for pinned in GIT_SOURCE.finditer(snippet):
            assert pinned.group("path") == str(module.relative_to(ROOT)), pinned.group(0)
            assert pinned.group("ref") == f"v{latest_release()}", f"{pinned.group(0)}: pin the current release"


def test_the_local_cloud_and_the_changelog_name_one_version():
    assert localcloud.__version__ == latest_release()
