"""The local cloud and the tooling import without circles: each module can be read (and changed) after
the ones it builds on."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import ROOT
from tooling.import_graph import circles, graph

pytestmark = pytest.mark.unit


def write_package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_a_circle_hidden_in_a_function_is_found(tmp_path):
    write_package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg import b\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/b.py": "",
            "pkg/b.py": "def later():\n    from .a import thing\n",
        },
    )
    assert circles(graph(tmp_path, "pkg")) == [["pkg.a", "pkg.b"]]


def test_an_import_only_for_type_checking_is_not_a_circle(tmp_path):
    write_package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import B\n",
            "pkg/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import A\nclass B: ...\n",
        },
    )
    assert circles(graph(tmp_path, "pkg")) == []


@pytest.mark.parametrize(("source_root", "package"), [("localcloud/src", "localcloud"), (".", "tooling")])
def test_the_package_imports_without_circles(source_root, package):
    assert circles(graph(ROOT / source_root, package)) == []
