"""`make chaos`: the table of what each pattern promised under load with faults injected, and whether it held.

The chaos tests (pytest marker `chaos`, in each pattern's integration tests) write one JSON file per
pattern into build/chaos/; this prints them, and exits non-zero when a promise did not hold.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "build" / "chaos"
COLUMNS = (
    ("pattern", "pattern"),
    ("load", "load"),
    ("faults", "faults"),
    ("injected", "injected"),
    ("invariant", "invariant"),
    ("held", "held"),
    ("p50_ms", "p50 ms"),
    ("p99_ms", "p99 ms"),
    ("per_second", "per s"),
    ("detail", "detail"),
)


def rows(folder: Path) -> list[dict[str, object]]:
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]


def table(found: list[dict[str, object]]) -> str:
    """A Markdown table, one row per pattern."""
    lines = ["| " + " | ".join(title for _, title in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in found:
        cells = ["yes" if row[key] is True else "NO" if row[key] is False else str(row[key]) for key, _ in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--if-any", action="store_true", help="print nothing when no chaos test ran (make test)")
    args = parser.parse_args(argv)
    found = rows(args.results)
    if not found and args.if_any:
        return 0
    if not found:
        print(f"no chaos results in {args.results}: run the chaos tests first (make chaos)")
        return 1
    print(table(found))
    broken = [str(row["pattern"]) for row in found if not row["held"]]
    if broken:
        print(f"\npromises broken: {', '.join(broken)}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
