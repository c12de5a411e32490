"""`make plan`/`make apply` tell a first-time user what is missing instead of Terraform's backend errors."""

from __future__ import annotations

import shutil

import pytest

from tooling import environment

pytestmark = pytest.mark.unit


@pytest.fixture
def environments(tmp_path, monkeypatch):
    copy = tmp_path / "environments"
    for env in ("dev", "local"):
        shutil.copytree(
            environment.ENVIRONMENTS / env,
            copy / env,
            ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*", "backend.hcl"),
        )
    monkeypatch.setattr(environment, "ENVIRONMENTS", copy)
    return copy


def test_planning_an_environment_without_backend_hcl_says_how_to_configure_it_or_plan_locally(environments, capsys):
    assert environment.main(["plan", "--env", "dev"]) == 2
    said = capsys.readouterr().err
    assert "cp environments/dev/backend.hcl.example environments/dev/backend.hcl" in said
    assert "make plan ENV=dev BACKEND=local" in said


def test_missing_credentials_are_named_before_terraform_runs(environments, monkeypatch, capsys):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(environments / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(environments / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(environment, "local_copy", lambda env: pytest.fail("Terraform must not run"))
    assert environment.main(["plan", "--env", "dev", "--backend", "local"]) == 2
    assert "No AWS credentials for environments/dev: set AWS_PROFILE" in capsys.readouterr().err


def test_a_local_backend_is_refused_for_apply_and_destroy(environments, capsys):
    for command in ("apply", "destroy"):
        assert environment.main([command, "--env", "dev", "--backend", "local"]) == 2
        assert "BACKEND=local is for plans only" in capsys.readouterr().err


def test_an_unknown_environment_is_named_with_the_ones_that_exist(environments, capsys):
    assert environment.main(["plan", "--env", "qa"]) == 2
    assert "no environment 'qa': ENV is one of dev, local" in capsys.readouterr().err
