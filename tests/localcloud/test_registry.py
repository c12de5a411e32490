"""The registry is the one place that says what the local cloud changes in moto, for which moto, and where
each change is proven; the README's table is generated from it."""

from __future__ import annotations

import pytest

from harness import ROOT
from localcloud import registry
from localcloud.extension import all_tests

pytestmark = pytest.mark.unit

PACKAGE = ROOT / "localcloud" / "src" / "localcloud"
# The server's own parts, not an extension of a service.
FRAME = {
    "__init__.py",
    "__main__.py",
    "cli.py",
    "control.py",
    "endpoints.py",
    "extension.py",
    "registry.py",
    "server.py",
}


def test_a_moto_other_than_the_extended_release_is_refused_with_what_to_do():
    registry.check_moto_version(registry.MOTO_VERSION)
    with pytest.raises(registry.UnsupportedMoto, match=r"written for moto 5\.2\.5, but moto 5\.3\.0 is installed"):
        registry.check_moto_version("5.3.0")


def test_the_installed_moto_is_the_release_the_package_pins():
    assert f'"moto[server]=={registry.MOTO_VERSION}"' in (ROOT / "localcloud" / "pyproject.toml").read_text()
    assert f"moto[server]=={registry.MOTO_VERSION}" in (ROOT / "requirements" / "dev.txt").read_text()
    registry.check_moto_version()


def test_each_service_folder_declares_one_extension_in_the_registry():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    declared = {extension.install.__module__.split(".")[1] for extension in registry.EXTENSIONS}
    assert declared == folders
    assert len({extension.service for extension in registry.EXTENSIONS}) == len(registry.EXTENSIONS)
    assert registry.EXTENSIONS[0].service == "core", "core installs first: authorization wraps every request"


def test_every_module_does_a_feature_the_registry_names():
    """Nothing in a service folder is undocumented: each file is named by a feature (core's shared parts by
    the features that use them)."""
    named = {code for extension in registry.EXTENSIONS for feature in extension.features for code in feature.code}
    unnamed = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.glob("*/**/*.py"))
        if path.name != "__init__.py" and str(path.relative_to(PACKAGE)) not in named
    ]
    assert unnamed == []
    assert {p.name for p in PACKAGE.glob("*.py")} == FRAME


def test_every_feature_names_code_and_tests_that_exist():
    for extension in registry.EXTENSIONS:
        for feature in extension.features:
            assert feature.title and feature.does and feature.moto_without, feature.title
            assert feature.code and feature.tests, feature.title
            for code in feature.code:
                assert (PACKAGE / code).exists(), (feature.title, code)
            for test in feature.tests:
                assert (ROOT / "tests" / test).exists(), (feature.title, test)


def test_every_test_of_the_local_cloud_proves_a_feature():
    named = all_tests(registry.EXTENSIONS)
    for path in sorted((ROOT / "tests" / "localcloud").rglob("test_*.py")):
        relative = str(path.relative_to(ROOT / "tests"))
        if relative in ("localcloud/test_registry.py", "localcloud/test_control.py"):
            continue  # the registry and the command line themselves
        assert relative in named, f"{relative} proves no feature named in the registry"


def test_control_endpoints_live_under_one_prefix_and_are_declared_once():
    endpoints = registry.endpoints()
    assert ("GET", "/_localcloud/health") in endpoints
    for method, path in endpoints:
        assert path.startswith("/_localcloud/") and method in ("GET", "POST", "DELETE"), (method, path)
