"""make chaos prints one row per pattern and fails when a promise did not hold."""

from __future__ import annotations

import json

import pytest

from tooling import chaos

pytestmark = pytest.mark.unit


def row(pattern: str, held: bool) -> dict:
    return {
        "pattern": pattern, "load": "100 requests", "faults": "throttles", "injected": 7, "invariant": "none lost",
        "held": held, "p50_ms": 12.0, "p99_ms": 80.5, "per_second": 40.0, "detail": "100 processed",
    }  # fmt: skip


def test_the_table_has_a_row_per_pattern_and_exits_zero_when_every_promise_held(tmp_path, capsys):
    (tmp_path / "p14.json").write_text(json.dumps(row("P14 queue-based-load-leveling", True)))
    (tmp_path / "p13.json").write_text(json.dumps(row("P13 fifoer", True)))
    assert chaos.main(["--results", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("| pattern | load | faults | injected | invariant | held |")
    assert [line.split(" | ")[0] for line in lines[2:]] == ["| P13 fifoer", "| P14 queue-based-load-leveling"]
    assert " | yes | 12.0 | 80.5 | 40.0 | " in lines[2]


def test_a_broken_promise_is_named_and_fails_the_run(tmp_path, capsys):
    (tmp_path / "p14.json").write_text(json.dumps(row("P14 queue-based-load-leveling", False)))
    assert chaos.main(["--results", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert " | NO | " in out and "promises broken: P14 queue-based-load-leveling" in out


def test_no_results_is_an_error_unless_asked_to_print_only_what_ran(tmp_path, capsys):
    assert chaos.main(["--results", str(tmp_path)]) == 1
    assert "run the chaos tests first" in capsys.readouterr().out
    assert chaos.main(["--results", str(tmp_path), "--if-any"]) == 0
