"""The patch registry is the one place that says what the local cloud changes in moto, and for which moto."""

from __future__ import annotations

import pytest

from harness import ROOT
from tooling.localcloud import patches

pytestmark = pytest.mark.unit


def test_a_moto_other_than_the_patched_release_is_refused_with_what_to_do():
    patches.check_moto_version(patches.MOTO_VERSION)
    with pytest.raises(patches.UnsupportedMoto, match=r"written for moto 5\.2\.5, but moto 5\.3\.0 is installed"):
        patches.check_moto_version("5.3.0")


def test_the_installed_moto_is_the_patched_release():
    """requirements/dev.txt pins the release the registry names."""
    assert f"moto[server]=={patches.MOTO_VERSION}" in (ROOT / "requirements" / "dev.txt").read_text()
    patches.check_moto_version()


def test_every_patch_module_is_registered_with_tests_that_exist():
    modules = {p.stem for p in (ROOT / "tooling" / "localcloud" / "patches").glob("*.py") if p.stem != "__init__"}
    registered = {e.name for e in patches.EXTENSIONS}
    assert modules <= registered
    for extension in patches.EXTENSIONS:
        assert extension.replaces and extension.tests, extension.name
        for test in extension.tests:
            assert (ROOT / "tests" / test).exists(), (extension.name, test)
