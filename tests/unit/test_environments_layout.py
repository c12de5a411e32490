"""The environments compose the same modules and differ only in their settings files."""

from __future__ import annotations

import pytest

from harness import ROOT

pytestmark = pytest.mark.unit

ENVIRONMENTS = ["local", "dev", "staging", "prod"]
ENV_DIR = ROOT / "environments"


def test_environments_differ_only_in_settings_files():
    shared = ["main.tf", "variables.tf", "outputs.tf", "providers.tf", "versions.tf"]
    reference = {name: (ENV_DIR / "local" / name).read_text() for name in shared}
    for env in ENVIRONMENTS[1:]:
        for name in shared:
            assert (ENV_DIR / env / name).read_text() == reference[name], f"environments/{env}/{name} drifted from local"
    for env in ENVIRONMENTS[1:]:
        assert "backend \"s3\"" in (ENV_DIR / env / "backend.tf").read_text(), f"{env} keeps state remotely"
