"""The patterns, as each states who it is in `patterns/<name>/pattern.toml`: the one place for those facts.

`make docs` writes the README's pattern table, the catalog and the composition's pattern list from them;
`make up` smokes each with its `smoke.py`; the plan tests expect what each deploys. The patterns of the
catalog not built yet are in `docs/planned-patterns.toml`, until each gets its folder.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PATTERNS = ROOT / "patterns"
PLANNED = ROOT / "docs" / "planned-patterns.toml"

GROUPS = {
    "A": "Synchronous APIs",
    "B": "Messaging and events",
    "C": "Orchestration and resilience",
    "D": "Streams and data",
    "E": "Front ends and edge",
}
REQUIRED = {"id", "group", "summary", "catalog"}
OPTIONAL = {"package", "settings", "rest_api", "deploys"}
DEPLOYS = {"functions", "kept_tables"}


class FactsError(ValueError):
    """A pattern.toml that says something wrong or leaves something out; the message names the file."""


@dataclass(frozen=True)
class Pattern:
    name: str  # its folder: patterns/<name>, lambdas/<name>, examples/<name>
    id: str  # P01 ...
    group: str  # A-E, the catalog's group
    summary: str  # the README's row: what it deploys, in a sentence
    catalog: str  # the catalog's row: the idea, in a phrase
    package: str | None = None  # its Lambda package, lambdas/<name>/<package>/ (None: no code of its own)
    settings: str | None = None  # its key in the environments' settings, when it has one
    rest_api: bool = False  # serves a REST API (the account's API Gateway logging role follows)
    functions: int = 0  # Lambda functions it deploys in the composition
    kept_tables: int = 0  # DynamoDB tables whose data prod keeps (deletion protection, point-in-time recovery)

    @property
    def module(self) -> str:
        """Its module block's name in the composition (environments/composition/main.tf)."""
        return self.name.replace("-", "_")

    @property
    def title(self) -> str:
        return f"{self.id} {self.name}"

    @property
    def folder(self) -> Path:
        return PATTERNS / self.name


@dataclass(frozen=True)
class Planned:
    id: str
    name: str
    group: str
    catalog: str


def _check_common(where: str, facts: dict[str, Any], id_: str, group: str) -> None:
    if not re.fullmatch(r"P\d\d", id_):
        raise FactsError(f"{where}: id must be P and two digits (P01), not {id_!r}")
    if group not in GROUPS:
        raise FactsError(f"{where}: group must be one of {', '.join(GROUPS)} ({'; '.join(GROUPS.values())})")
    for key in ("summary", "catalog"):
        if key in facts and (not isinstance(facts[key], str) or not facts[key].strip()):
            raise FactsError(f"{where}: {key} must be a sentence")


def read(folder: Path) -> Pattern:
    where = str(folder / "pattern.toml")
    try:
        facts = tomllib.loads((folder / "pattern.toml").read_text())
    except FileNotFoundError:
        raise FactsError(
            f"{where} is missing: every folder of patterns/ states who it is (make pattern NAME=...)"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise FactsError(f"{where}: {exc}") from None
    missing, unknown = REQUIRED - facts.keys(), facts.keys() - REQUIRED - OPTIONAL
    if missing or unknown:
        raise FactsError(f"{where}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    deploys = facts.get("deploys", {})
    if set(deploys) - DEPLOYS or not all(isinstance(v, int) and v >= 0 for v in deploys.values()):
        raise FactsError(f"{where}: [deploys] takes {sorted(DEPLOYS)}, as counts")
    _check_common(where, facts, facts["id"], facts["group"])
    package = facts.get("package")
    if package is not None and not (ROOT / "lambdas" / folder.name / package / "__init__.py").exists():
        raise FactsError(f"{where}: package {package!r} is not lambdas/{folder.name}/{package}/")
    return Pattern(
        name=folder.name,
        id=facts["id"],
        group=facts["group"],
        summary=facts["summary"].strip(),
        catalog=facts["catalog"].strip(),
        package=package,
        settings=facts.get("settings"),
        rest_api=bool(facts.get("rest_api", False)),
        functions=deploys.get("functions", 0),
        kept_tables=deploys.get("kept_tables", 0),
    )


def available(root: Path = PATTERNS) -> list[Pattern]:
    """Every pattern with a folder, by id; two patterns with one id are refused."""
    found = sorted((read(folder) for folder in root.iterdir() if folder.is_dir()), key=lambda p: p.id)
    ids = [p.id for p in found]
    if len(set(ids)) != len(ids):
        raise FactsError(f"two patterns share an id: {sorted(i for i in ids if ids.count(i) > 1)}")
    return found


def planned(path: Path = PLANNED) -> list[Planned]:
    entries = tomllib.loads(path.read_text()).get("pattern", [])
    result = []
    for entry in entries:
        _check_common(str(path), entry, entry.get("id", ""), entry.get("group", ""))
        result.append(Planned(entry["id"], entry["name"], entry["group"], entry["catalog"]))
    return result


def by_name() -> dict[str, Pattern]:
    return {p.name: p for p in available()}
