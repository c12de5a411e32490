"""`make docs`: every module README's inputs and outputs, generated from its variables.tf and outputs.tf.

The tables sit between terraform-docs' markers, in terraform-docs' markdown
table format (names sorted, `n/a` for a required input's default), so a
user's terraform-docs can take over the same README. `--check` writes nothing
and fails naming every README that is out of date (`make lint` runs it).

Usage: python -m tooling.docs [--check] [--modules DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import hcl2

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"


def _blocks(path: Path, kind: str) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    with path.open() as handle:
        parsed = hcl2.load(handle)
    blocks: dict[str, dict[str, Any]] = {}
    for entry in parsed.get(kind, []):
        for name, body in entry.items():
            blocks[name.strip('"')] = body
    return blocks


def _text(value: Any) -> str:
    """A string attribute as written (python-hcl2 keeps its quotes and escapes)."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return json.loads(value) if "\\" in value else value[1:-1]
    return "" if value is None else str(value)


def _expression(value: Any) -> str:
    """A type or default in HCL form."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if value.startswith("${") and value.endswith("}"):
            return value[2:-1]
        return value
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k != "__is_block__"}
        return "{" + ", ".join(f"{k.strip(chr(34))} = {_expression(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_expression(v) for v in value) + "]"
    return str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br/>")


def _anchor(kind: str, name: str) -> str:
    escaped = name.replace("_", "\\_")
    return f'<a name="{kind}_{name}"></a> [{name}](#{kind}\\_{escaped})'


def render(module_dir: Path) -> str:
    variables = _blocks(module_dir / "variables.tf", "variable")
    outputs = _blocks(module_dir / "outputs.tf", "output")
    lines = [BEGIN, "## Inputs", ""]
    if variables:
        lines += ["| Name | Description | Type | Default | Required |",
                  "|------|-------------|------|---------|:--------:|"]
        for name in sorted(variables):
            body = variables[name]
            required = "default" not in body
            default = "n/a" if required else f"`{_cell(_expression(body['default']))}`"
            kind = f"`{_cell(_expression(body.get('type', 'any')))}`"
            lines.append(f"| {_anchor('input', name)} | {_cell(_text(body.get('description')))} | {kind} | "
                         f"{default} | {'yes' if required else 'no'} |")
    else:
        lines.append("No inputs.")
    lines += ["", "## Outputs", ""]
    if outputs:
        lines += ["| Name | Description |", "|------|-------------|"]
        for name in sorted(outputs):
            lines.append(f"| {_anchor('output', name)} | {_cell(_text(outputs[name].get('description')))} |")
    else:
        lines.append("No outputs.")
    lines.append(END)
    return "\n".join(lines) + "\n"


_HEADING = re.compile(r"^## (.+)$", re.MULTILINE)


def updated(readme: str, block: str) -> str:
    """The README with its generated block in place: between the markers, or where the hand-written
    Inputs and Outputs sections were (appended when it had neither)."""
    if BEGIN in readme and END in readme:
        start, end = readme.index(BEGIN), readme.index(END) + len(END)
        return readme[:start] + block.rstrip("\n") + readme[end:]
    headings = list(_HEADING.finditer(readme))
    titled = [m for m in headings if m.group(1).strip() in ("Inputs", "Outputs")]
    if not titled:
        return readme.rstrip("\n") + "\n\n" + block
    start = titled[0].start()
    after = [m for m in headings if m.start() > titled[-1].start()]
    end = after[0].start() if after else len(readme)
    rest = readme[end:]
    return readme[:start] + block + ("\n" + rest if rest else "")


def module_dirs(modules: Path) -> list[Path]:
    return sorted(p for p in modules.iterdir() if (p / "variables.tf").exists())


def stale(modules: Path) -> list[Path]:
    return [d / "README.md" for d in module_dirs(modules)
            if not (d / "README.md").exists() or updated((d / "README.md").read_text(), render(d))
            != (d / "README.md").read_text()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; fail if a README is stale")
    parser.add_argument("--modules", type=Path, default=ROOT / "modules")
    args = parser.parse_args(argv)
    out_of_date = stale(args.modules)
    if args.check:
        for readme in out_of_date:
            print(f"stale: {readme.relative_to(ROOT) if readme.is_relative_to(ROOT) else readme} "
                  "(run `make docs`)", file=sys.stderr)
        return 1 if out_of_date else 0
    for readme in out_of_date:
        existing = readme.read_text() if readme.exists() else f"# {readme.parent.name}\n"
        readme.write_text(updated(existing, render(readme.parent)))
        print(f"wrote {readme.relative_to(ROOT) if readme.is_relative_to(ROOT) else readme}")
    if not out_of_date:
        print("every module README is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
