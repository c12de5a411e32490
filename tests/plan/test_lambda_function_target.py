"""A function is deployed only on the runtime and architecture its package was built for."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import ROOT, plan_root, planned_resources
from tooling.build import Target, write_target, write_zip
from tooling.terraform import TerraformError

pytestmark = pytest.mark.plan

ROOT_TF = """provider "aws" {{}}

module "fn" {{
  source       = "{module}"
  name         = "target-check"
  package_path = "{package}"
  handler      = "app.handler.handler"
  runtime      = "{runtime}"
  architecture = "{architecture}"
}}
"""


def root_for(tmp_path: Path, built: Target, runtime: str, architecture: str) -> Path:
    source = tmp_path / "src" / "app"
    source.mkdir(parents=True)
    (source / "__init__.py").write_text("")
    (source / "handler.py").write_text("def handler(event, context):\n    return event\n")
    package = tmp_path / "dist" / "app.zip"
    package.parent.mkdir()
    write_zip(package, [source.parent], source.parent)
    write_target(package, built)
    root = tmp_path / "roots" / "fn"
    root.mkdir(parents=True)
    module = ROOT / "modules" / "lambda-function"
    (root / "main.tf").write_text(
        ROOT_TF.format(module=module, package=package, runtime=runtime, architecture=architecture)
    )
    return root


def test_a_package_built_for_another_runtime_is_refused_at_plan(local_cloud, tmp_path):
    root = root_for(tmp_path, Target("python3.13", "x86_64"), "python3.11", "x86_64")
    with pytest.raises(TerraformError) as refused:
        plan_root(root, local_cloud, tmp_path / "work")
    assert "was built for python3.13 on x86_64, but this function runs python3.11 on x86_64" in str(refused.value)


def test_a_package_built_for_arm64_deploys_on_arm64(local_cloud, tmp_path):
    root = root_for(tmp_path, Target("python3.13", "arm64"), "python3.13", "arm64")
    plan = plan_root(root, local_cloud, tmp_path / "work")
    [function] = [r for r in planned_resources(plan.json) if r["type"] == "aws_lambda_function"]
    assert function["values"]["architectures"] == ["arm64"]
