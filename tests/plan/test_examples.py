"""Each pattern's example is a root a user can copy: it plans with its defaults, and from a pinned git source."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from harness import EXAMPLES, ROOT, plan_root, planned_resources
from tooling.terraform import TerraformRoot

pytestmark = pytest.mark.plan

NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "main.tf").exists())


@pytest.mark.parametrize("example", NAMES)
def test_every_example_plans_with_its_defaults_and_no_deprecations(local_cloud, tmp_path, example):
    plan = plan_root(EXAMPLES / example, local_cloud, tmp_path)
    modules = {r["address"].split(".")[1] for r in planned_resources(plan.json) if r["address"].startswith("module.")}
    assert modules, "the example deploys nothing"
    assert [str(w) for w in plan.warnings if w.is_deprecation] == []


def test_an_example_copied_out_of_the_repository_plans_from_a_pinned_git_source(local_cloud, tmp_path):
    """What a newcomer does: copy examples/notifier into an empty folder and point its source at the repository."""
    library = tmp_path / "library.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(ROOT), str(library)], check=True)
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    user_root = tmp_path / "platform-team"
    shutil.copytree(EXAMPLES / "notifier", user_root)
    main = user_root / "main.tf"
    pinned = main.read_text().replace(
        'source = "../../patterns/notifier"', f'source = "git::file://{library}//patterns/notifier?ref={commit}"'
    )
    assert "git::file://" in pinned
    main.write_text(pinned)
    root = TerraformRoot(user_root, env={**local_cloud.environment(), "TF_DATA_DIR": str(tmp_path / ".terraform")})
    root.init()
    addresses = [r["address"] for r in planned_resources(root.plan().json)]
    assert any(a.startswith("module.notifier.aws_sns_topic.") for a in addresses), addresses


def test_a_first_time_user_plans_dev_without_a_state_bucket(local_cloud):
    """`make plan ENV=dev BACKEND=local` on a clone with no backend.hcl: a full plan, nothing in environments/ written."""
    before = sorted(p.name for p in (ROOT / "environments" / "dev").iterdir())
    done = subprocess.run(
        [sys.executable, "-m", "tooling.environment", "plan", "--env", "dev", "--backend", "local"],
        cwd=ROOT,
        env={**os.environ, **local_cloud.environment()},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    shown = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout)  # Terraform colours its output
    assert re.search(r"Plan: \d+ to add, 0 to change, 0 to destroy", shown), shown[-2000:]
    assert sorted(p.name for p in (ROOT / "environments" / "dev").iterdir()) == before
