"""One interface for the same idea in every module, and each resource kind built in one place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness import ROOT

pytestmark = pytest.mark.unit

MODULES = sorted(
    p for folder in ("modules", "patterns") for p in (ROOT / folder).iterdir() if (p / "variables.tf").exists()
)
TERRAFORM = sorted(
    [*(ROOT / "modules").glob("*/*.tf"), *(ROOT / "patterns").glob("*/*.tf"), *(ROOT / "environments").glob("*/*.tf")]
)


def variable_blocks(module: Path) -> dict[str, str]:
    """Each `variable` block of a module's variables*.tf (a pattern's shared ones too), by name (text up to the
    closing brace at column 0)."""
    text = "".join(path.read_text() for path in sorted(module.glob("variables*.tf")))
    return {m.group(1): m.group(0) for m in re.finditer(r'(?ms)^variable "([^"]+)" \{.*?^\}', text)}


def type_of(block: str) -> str:
    return re.search(r"(?ms)^  type\s*=.*?(?=^  (default|nullable|validation|description)\b|^\})", block).group(0)


def test_every_module_takes_alarms_through_the_one_alarms_object():
    types = {}
    for module in MODULES:
        variables = variable_blocks(module)
        assert "alarm_actions" not in variables, f"{module.name}: use the `alarms` object"
        if "alarms" in variables:
            types[module.name] = type_of(variables["alarms"])
    assert len(types) >= 12
    reference = types["lambda-function"]
    assert {name for name, text in types.items() if text != reference} == set()


def test_reserved_concurrency_has_one_name():
    for module in MODULES:
        assert "reserved_concurrency" not in variable_blocks(module), f"{module.name}: reserved_concurrent_executions"


def test_every_logging_level_is_validated_the_same_way():
    blocks = {m.name: variable_blocks(m)["logging_level"] for m in MODULES if "logging_level" in variable_blocks(m)}
    assert {"simple-web-service", "big-fan", "queue-based-load-leveling", "rest-api-stage"} <= set(blocks)
    for name, block in blocks.items():
        assert 'contains(["OFF", "ERROR", "INFO"], var.logging_level)' in block, name


def test_modules_that_own_tables_or_buckets_offer_deletion_protection():
    for module in MODULES:
        text = "".join(p.read_text() for p in module.glob("*.tf"))
        owns_data = re.search(r'source\s*=\s*"\.\./(table|bucket)"', text) or 'resource "aws_dynamodb_table"' in text
        if owns_data and module.name != "bucket":
            assert "deletion_protection" in variable_blocks(module), module.name


def test_no_arn_names_the_commercial_partition_outright():
    """`arn:aws:` breaks in GovCloud and China: the partition comes from aws_partition."""
    for path in TERRAFORM:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "arn:aws" in line and not re.search(r"regex|error_message|description|#", line):
                pytest.fail(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")


@pytest.mark.parametrize(
    "resource, home", [("aws_dynamodb_table", "table"), ("aws_kms_key", "kms-key"), ("aws_s3_bucket", "bucket")]
)
def test_each_kind_of_data_store_and_key_is_built_by_its_building_block(resource, home):
    builders = {p.parent.name for p in TERRAFORM if f'resource "{resource}" ' in p.read_text()}
    assert builders == {home}


def test_moved_blocks_live_in_migrations_tf_and_main_tf_stays_short():
    """State moves are history, read together in one file; a main.tf past ~150 lines splits by concern."""
    for module in MODULES:
        for path in module.glob("*.tf"):
            text = path.read_text()
            if path.name != "migrations.tf":
                assert not re.search(r"^moved \{", text, re.MULTILINE), (
                    f"{path.relative_to(ROOT)}: move it to migrations.tf"
                )
            if path.name == "main.tf":
                assert text.count("\n") <= 160, f"{path.relative_to(ROOT)}: split it by concern (api.tf, iam.tf ...)"


def test_every_checkov_skip_reason_names_only_settings_and_patterns_that_exist():
    """A skip is an argument that a finding does not apply here: one citing a setting the module lacks, or a
    pattern not built yet, is no longer true (and hides a real finding)."""
    from tooling import patterns

    built = {p.id for p in patterns.available()} | {p.name for p in patterns.available()}
    not_built = {p.name for p in patterns.planned()} | {p.id for p in patterns.planned()}
    untrue = []
    for path in TERRAFORM:
        declared = variable_blocks(path.parent)
        for check, reason in re.findall(r"#checkov:skip=([A-Z0-9_]+):\s*(.*)", path.read_text()):
            where = f"{path.relative_to(ROOT)} {check}"
            untrue += [
                f"{where}: var.{v} is not declared" for v in re.findall(r"var\.(\w+)", reason) if v not in declared
            ]
            untrue += [f"{where}: {n} is not built" for n in not_built if re.search(rf"\b{re.escape(n)}\b", reason)]
            untrue += [f"{where}: {i} is no pattern" for i in re.findall(r"\bP\d\d\b", reason) if i not in built]
    assert untrue == []
