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
        '  hang) sleep 30 ;;\n'
        '  fail) echo "Error: provider said no" >&2; exit 1 ;;\n'
        "esac\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return bin_dir


def root(tmp_path: Path, bin_dir: Path, mode: str, timeout_s: int = 30) -> terraform.TerraformRoot:
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "FAKE_TF_LOG": str(tmp_path / "calls"),
           "FAKE_TF_MODE": mode}
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
