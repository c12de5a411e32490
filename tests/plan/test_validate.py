"""make lint validates every module, pattern, example and the composition with one Terraform run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tooling import validate

pytestmark = pytest.mark.plan

BLOCK = """variable "settings" {
  type = object({ size = number, tags = optional(map(string), {}) })
}
variable "label" {
  type    = string
  default = "x"
}
output "size" { value = var.settings.size }
"""


def tree(root: Path, example_argument: str) -> Path:
    files = {
        "modules/block/main.tf": BLOCK,
        "patterns/pattern/main.tf": 'variable "size" { type = number }\n'
        'module "block" {\n  source   = "../../modules/block"\n  settings = { size = var.size }\n}\n',
        "examples/pattern/main.tf": 'provider "aws" {}\n'
        f'module "pattern" {{\n  source = "../../patterns/pattern"\n  {example_argument}\n}}\n',
        "environments/composition/main.tf": 'module "pattern" {\n  source = "../../patterns/pattern"\n  size = 1\n}\n',
    }
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def test_each_required_input_is_passed_with_its_own_type(tmp_path):
    root = tree(tmp_path, "size = 2")
    assert validate.required_inputs(root / "modules" / "block") == {
        "settings": "object({size = number, tags = optional(map(string), {})})"
    }
    valid, said = validate.validate(root)
    assert valid, said


def test_an_example_passing_an_argument_its_pattern_does_not_take_fails_naming_it(tmp_path):
    valid, said = validate.validate(tree(tmp_path, "sise = 2"))
    assert not valid
    assert "Unsupported argument" in said and 'An argument named "sise" is not expected here' in said
