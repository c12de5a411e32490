"""Which of moto's internals each file of the local cloud replaces: read from the code, not written by hand.

An extension replaces a moto class's method or attribute by assigning to it (`Queue.add_message = ...`,
`setattr(Backend, name, ...)`). This reads every module of the local cloud, resolves the names it bound
to moto's modules and classes (imports, and aliases such as `Queue = sqs_models.Queue`), and lists each
assignment to an attribute of one of them: what a port to another moto release must re-read.
"""

from __future__ import annotations

import ast
from pathlib import Path


def _dotted(node: ast.AST, names: dict[str, str]) -> str | None:
    """The moto path an expression names (`sqs_models.Queue` -> `moto.sqs.models.Queue`), else None."""
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value, names)
        return f"{base}.{node.attr}" if base else None
    return None


def touches(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "moto":
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "moto":
                    names[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else "moto"
    found: set[str] = set()
    # Two passes: aliases (`Backend = lambda_models.LambdaBackend`) may be bound after use in source order.
    for _ in range(2):
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    resolved = _dotted(node.value, names)
                    if resolved:
                        names[target.id] = resolved
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    for element, value in zip(target.elts, node.value.elts, strict=False):
                        resolved = _dotted(value, names)
                        if isinstance(element, ast.Name) and resolved:
                            names[element.id] = resolved
                elif isinstance(target, ast.Attribute):
                    owner = _dotted(target.value, names)
                    if owner:
                        found.add(f"{owner}.{target.attr}")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "setattr"
                and len(node.args) == 3
            ):
                owner = _dotted(node.args[0], names)
                if owner:
                    name_arg = node.args[1]
                    attribute = str(name_arg.value) if isinstance(name_arg, ast.Constant) else "*"
                    found.add(f"{owner}.{attribute}")
    return sorted(found)


def table(package_dir: Path) -> list[tuple[str, list[str]]]:
    """(file relative to the package, the moto internals it replaces), for every file that replaces any."""
    rows = []
    for path in sorted(package_dir.rglob("*.py")):
        found = touches(path)
        if found:
            rows.append((str(path.relative_to(package_dir)), found))
    return rows
