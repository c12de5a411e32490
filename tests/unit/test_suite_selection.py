"""`make test PATTERN=<module>` selects that pattern's unit and integration tests, whatever their names."""

from __future__ import annotations

import pytest

from harness import ROOT, pattern_of

pytestmark = pytest.mark.unit


def test_every_lambda_packages_unit_tests_belong_to_its_pattern():
    patterns = {p.name for p in (ROOT / "patterns").iterdir() if p.is_dir()}
    folders = [p for p in (ROOT / "tests" / "unit").iterdir() if p.is_dir() and p.name != "__pycache__"]
    assert {f.name for f in folders} <= patterns, "a unit test folder is named after its pattern"
    for folder in folders:
        tests = list(folder.glob("test_*.py"))
        assert tests, folder
        for test_file in tests:
            assert pattern_of(test_file) == folder.name, test_file


def test_every_integration_test_of_a_module_belongs_to_it_and_others_to_none():
    owned = {pattern_of(p) for p in (ROOT / "tests" / "integration").glob("test_*.py")} - {None}
    assert {
        "simple-web-service",
        "queue-based-load-leveling",
        "fifoer",
        "big-fan",
        "notifier",
        "pub-sub",
        "distributed-trigger",
        "internal-handoff",
        "internal-api",
        "router",
        "event-driven-processing",
        "fan-out-fan-in",
        "map-reduce",
        "strangler",
        "robust-api",
        "aggregator",
    } <= owned
    assert pattern_of(ROOT / "tests" / "integration" / "test_apigateway_frontdoor.py") is None
    assert pattern_of(ROOT / "tests" / "unit" / "test_build.py") is None


def test_every_test_module_has_a_name_no_other_has():
    """pytest imports test modules by basename (no packages): two of one name stop the suite at collection."""
    names = [p.name for p in (ROOT / "tests").rglob("test_*.py")]
    assert sorted({n for n in names if names.count(n) > 1}) == []
