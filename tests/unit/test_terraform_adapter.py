"""The python-terraform adapter hides its quirks: timeouts, no -force, stderr in failures."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from tooling import terraform

pytestmark = pytest.mark.unit


@pytest.fixture
def fake_terraform(tmp_path) -> Path:
    """A `terraform` on PATH that records its arguments and behaves as FAKE_TF_MODE says."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "terraform"
    script.write_text(
        "#!/bin/sh\n"
        'echo "$@" >> "$FAKE_TF_LOG"\n'
        'case "$FAKE_TF_MODE" in\n'
        "  hang) sleep 30 ;;\n"
        '  fail) echo "Error: provider said no" >&2; exit 1 ;;\n'
        "esac\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return bin_dir


def root(tmp_path: Path, bin_dir: Path, mode: str, timeout_s: int = 30) -> terraform.TerraformRoot:
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "FAKE_TF_LOG": str(tmp_path / "calls"),
        "FAKE_TF_MODE": mode,
    }
    return terraform.TerraformRoot(tmp_path, env=env, variables={"name": "x"}, timeout_s=timeout_s)


def test_destroy_auto_approves_without_the_removed_force_flag(tmp_path, fake_terraform):
    root(tmp_path, fake_terraform, "ok").destroy()
    call = (tmp_path / "calls").read_text()
    assert call.startswith("destroy ")
    assert "-auto-approve" in call and "-force" not in call


def test_parallelism_reaches_apply_and_destroy_only_when_set(tmp_path, fake_terraform):
    root(tmp_path, fake_terraform, "ok").apply()
    local = root(tmp_path, fake_terraform, "ok")
    local.parallelism = 40
    local.apply()
    local.destroy()
    default_apply, local_apply, local_destroy = (tmp_path / "calls").read_text().splitlines()
    assert "-parallelism" not in default_apply
    assert "-parallelism=40" in local_apply and "-parallelism=40" in local_destroy


def test_a_hanging_terraform_is_stopped_at_the_timeout(tmp_path, fake_terraform):
    started = time.monotonic()
    with pytest.raises(terraform.TerraformError, match="timed out after 1 s"):
        root(tmp_path, fake_terraform, "hang", timeout_s=1).apply()
    assert time.monotonic() - started < 10


def test_a_failing_terraform_raises_with_its_stderr(tmp_path, fake_terraform):
    with pytest.raises(terraform.TerraformError, match="provider said no"):
        root(tmp_path, fake_terraform, "fail").apply()


def test_cli_config_points_at_the_mirror_only_when_one_is_given(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    with_mirror = terraform.cli_config(str(mirror), tmp_path / "rc1").read_text()
    assert f'path    = "{mirror}"' in with_mirror and "direct" in with_mirror
    without = terraform.cli_config("", tmp_path / "rc2").read_text()
    assert "filesystem_mirror" not in without
    with pytest.raises(FileNotFoundError, match="TF_PROVIDER_MIRROR"):
        terraform.cli_config(str(tmp_path / "missing"), tmp_path / "rc3")


def test_cli_config_defaults_to_the_machines_mirror_unless_the_environment_says_otherwise(tmp_path, monkeypatch):
    mirror = tmp_path / "opt-tf-plugins"
    mirror.mkdir()
    monkeypatch.setattr(terraform, "DEFAULT_PROVIDER_MIRROR", mirror)
    monkeypatch.delenv("TF_PROVIDER_MIRROR", raising=False)
    assert f'path    = "{mirror}"' in terraform.cli_config(path=tmp_path / "rc1").read_text()
    monkeypatch.setenv("TF_PROVIDER_MIRROR", "")
    assert "filesystem_mirror" not in terraform.cli_config(path=tmp_path / "rc2").read_text()
    monkeypatch.setattr(terraform, "DEFAULT_PROVIDER_MIRROR", tmp_path / "absent")
    monkeypatch.delenv("TF_PROVIDER_MIRROR")
    assert "filesystem_mirror" not in terraform.cli_config(path=tmp_path / "rc3").read_text()


def test_make_up_reports_progress_by_pattern_from_the_apply_events():
    import io

    from tooling.up import ApplyProgress

    out = io.StringIO()
    progress = ApplyProgress(out, interactive=False)
    read = {"resource": {"addr": "module.patterns.data.aws_region.current"}, "action": "read"}
    events = [
        {"type": "apply_start", "hook": read},
        {"type": "apply_complete", "hook": read},
        {"type": "change_summary", "changes": {"add": 3, "change": 0, "remove": 0, "operation": "plan"}},
    ]
    for address in (
        "module.patterns.module.kms_key[0].aws_kms_key.this",
        "module.patterns.module.simple_web_service[0].aws_dynamodb_table.this",
        "module.patterns.module.simple_web_service[0].aws_iam_role.this",
    ):
        hook = {"resource": {"addr": address}, "action": "create"}
        events += [{"type": "apply_start", "hook": hook}, {"type": "apply_complete", "hook": hook}]
    for event in events:
        progress(event)
    progress.finish()
    lines = out.getvalue().splitlines()
    assert lines[0] == "plan: 3 to add, 0 to change, 0 to destroy"
    assert [line.split("] ", 1)[1] for line in lines[1:]] == [
        "creating kms-key (0/3 done)",
        "1/3 resources applied",
        "creating simple-web-service (1/3 done)",
        "2/3 resources applied",
        "3/3 resources applied",
    ]


def test_a_streamed_apply_keeps_terraforms_whole_log_and_a_failure_names_it(tmp_path, fake_terraform):
    events = []
    log = tmp_path / "apply.log"
    failing = root(tmp_path, fake_terraform, "fail")
    with pytest.raises(terraform.TerraformError, match="full log: .*apply.log"):
        failing.apply_streaming(events.append, log)
    assert "provider said no" in log.read_text()
    assert "-json" in (tmp_path / "calls").read_text()
