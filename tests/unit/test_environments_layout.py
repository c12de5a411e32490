"""An environment is its settings: the composition lives once, in environments/composition."""

from __future__ import annotations

import re

import pytest

from harness import ROOT

pytestmark = pytest.mark.unit

ENVIRONMENTS = ["local", "dev", "staging", "prod"]
ENV_DIR = ROOT / "environments"
REAL_ACCOUNTS = ["dev", "staging", "prod"]


def test_environment_roots_are_one_shared_file_plus_their_settings():
    reference = (ENV_DIR / "local" / "main.tf").read_text()
    for env in ENVIRONMENTS:
        # what `terraform init/apply` leaves (git-ignored) is not part of the environment
        files = sorted(
            p.name
            for p in (ENV_DIR / env).iterdir()
            if not p.name.startswith((".", "terraform.tfstate")) and p.suffix != ".tfplan"
        )
        extra = ["backend.hcl.example", "backend.tf", "rehearsal.tfvars"] if env in REAL_ACCOUNTS else []
        assert files == sorted(["main.tf", "terraform.tfvars", *extra]), env
        assert (ENV_DIR / env / "main.tf").read_text() == reference, f"environments/{env}/main.tf drifted from local"


def test_real_accounts_keep_state_remotely_and_local_does_not():
    for env in REAL_ACCOUNTS:
        assert 'backend "s3"' in (ENV_DIR / env / "backend.tf").read_text(), env
    assert not (ENV_DIR / "local" / "backend.tf").exists()


def test_environments_pin_the_tested_provider_and_modules_only_set_a_floor():
    assert 'version = "5.100.0"' in (ENV_DIR / "local" / "main.tf").read_text()
    assert 'required_version = ">= 1.10"' in (ENV_DIR / "local" / "main.tf").read_text()
    for versions in [
        *(ROOT / "modules").glob("*/versions.tf"),
        *(ROOT / "patterns").glob("*/versions.tf"),
        ENV_DIR / "composition" / "versions.tf",
    ]:
        providers = versions.read_text().split("required_providers")[1]
        floor = re.search(r'version = ">= (\d+)\.(\d+)"', providers)
        assert floor is not None and "<" not in providers, versions
        # At least the library's floor, and never above the version the environments pin and test.
        assert (5, 60) <= (int(floor[1]), int(floor[2])) <= (5, 100), versions


def test_a_rehearsal_replaces_only_the_users_own_services_and_lifts_protection_only_to_tear_down(tmp_path):
    from localcloud.control import LocalCloud
    from tooling.rehearse import Rehearsal

    rehearsal = Rehearsal("prod", LocalCloud(port=4999, region="eu-west-1"), tmp_path)
    rehearsal.root()
    applied = (rehearsal.folder / "rehearsal.auto.tfvars").read_text()
    assert "127.0.0.1:4999/_localcloud" in applied and "4566" not in applied
    assert "deletion_protection" not in applied
    # Everything but the URLs of the user's own services stays as terraform.tfvars says.
    keys = re.findall(r"^  (\w+)\s*=", applied, re.M)
    assert sorted(keys) == ["aggregator", "circuit_breaker", "robust_api", "strangler", "xray_tracer"]
    rehearsal.root(lifted=True)
    assert (rehearsal.folder / "rehearsal.auto.tfvars").read_text().rstrip().endswith("deletion_protection = false\n}")
