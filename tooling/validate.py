"""`terraform validate` of every module, pattern, example and the composition, in one run (`make lint`).

Validating each folder on its own starts the AWS provider once per folder (about 5 s each, 65 folders).
Instead this writes one root under build/validate/ that calls every one of them once, passing each
required input from a root variable of the same type (validate needs no values), and validates that:
Terraform checks every module's own configuration and every call's arguments against the inputs it
declares. Examples are roots: each is called from a copy without its `provider "aws" {}` (a provider
configuration per called module would start the provider once per example again). The error names the
folder.

Usage: python -m tooling.validate
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import hcl2

from tooling.terraform import terraform_env

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("modules", "patterns")


def _unquoted(text: str) -> str:
    return text.strip('"')


def _type_expression(value: object) -> str:
    """python-hcl2 gives a type as `string` or `${object({...})}`; Terraform wants the bare expression."""
    text = str(value)
    return text[2:-1] if text.startswith("${") and text.endswith("}") else text


def required_inputs(folder: Path) -> dict[str, str]:
    """A module's inputs without a default, with their type expressions."""
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.tf")):
        with path.open() as handle:
            blocks = hcl2.load(handle).get("variable", [])
        for block in blocks:
            for name, body in block.items():
                if "default" not in body:
                    found[_unquoted(name)] = _type_expression(body.get("type", "any"))
    return found


def callees(root: Path = ROOT) -> list[Path]:
    found = [p for folder in FOLDERS for p in sorted((root / folder).iterdir()) if list(p.glob("*.tf"))]
    return [*found, root / "environments" / "composition"]


def example_copies(root: Path, copies: Path) -> list[Path]:
    """Each example as a module: its files without the provider block, where its relative sources resolve."""
    for shared in FOLDERS:
        link = copies / shared
        if not link.is_symlink():
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(root / shared)
    found = []
    for example in sorted((root / "examples").iterdir()):
        if not list(example.glob("*.tf")):
            continue
        copy = copies / "examples" / example.name
        copy.mkdir(parents=True, exist_ok=True)
        for stale in copy.glob("*.tf"):
            stale.unlink()
        for path in example.glob("*.tf"):
            (copy / path.name).write_text(re.sub(r'^provider "aws" \{\}\n', "", path.read_text(), flags=re.M))
        found.append(copy)
    return found


def harness(root: Path, work: Path) -> str:
    """The root that calls every folder once."""
    blocks = [
        'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n    }\n  }\n}\n',
        'provider "aws" {\n  region = "us-east-1"\n}\n',
    ]
    for folder in [*callees(root), *example_copies(root, work / "copies")]:
        call = re.sub(r"[^a-z0-9_]", "_", f"{folder.parent.name}_{folder.name}")
        arguments = []
        for name, type_ in required_inputs(folder).items():
            blocks.append(f'variable "{call}__{name}" {{\n  type = {type_}\n}}\n')
            arguments.append(f"  {name} = var.{call}__{name}\n")
        source = os.path.relpath(folder, work)
        source = source if source.startswith("../") else f"./{source}"  # Terraform's local-path form
        blocks.append(f'module "{call}" {{\n  source = "{source}"\n' + "".join(arguments) + "}\n")
    return "\n".join(blocks)


def validate(root: Path = ROOT) -> tuple[bool, str]:
    """Whether every folder validates, and what Terraform said."""
    work = root / "build" / "validate"
    work.mkdir(parents=True, exist_ok=True)
    (work / "main.tf").write_text(harness(root, work))
    env = terraform_env()
    # Every run links the provider from one cache instead of copying its 700 MB.
    env.setdefault("TF_PLUGIN_CACHE_DIR", str(root / "build" / "terraform-plugin-cache"))
    Path(env["TF_PLUGIN_CACHE_DIR"]).mkdir(parents=True, exist_ok=True)
    said = ""
    for command in (["init", "-backend=false", "-input=false", "-no-color"], ["validate", "-no-color"]):
        done = subprocess.run(["terraform", f"-chdir={work}", *command], env=env, capture_output=True, text=True)
        said += done.stdout + done.stderr
        if done.returncode != 0:
            return False, said
    return True, said


def main() -> int:
    valid, said = validate()
    if not valid:
        print(said, file=sys.stderr)
        return 1
    count = len(callees()) + len(list((ROOT / "examples").glob("*/main.tf")))
    print(f"terraform validate: {count} modules, patterns, examples and the composition are valid")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
