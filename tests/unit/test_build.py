"""make build: reproducible, incremental zips with the runtime's packages left out."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tooling import build

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]


def make_package(lambdas: Path, name: str = "demo", code: str = "def handler(e, c):\n    return 1\n") -> Path:
    package = lambdas / name / f"{name.replace('-', '_')}_pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "handler.py").write_text(code)
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "handler.cpython-311.pyc").write_bytes(b"stale bytecode")
    return package


def test_two_builds_from_separate_checkouts_give_identical_bytes(tmp_path):
    for side in ("a", "b"):
        make_package(tmp_path / side / "lambdas")
        build.build(tmp_path / side / "lambdas", tmp_path / side / "out")
    a, b = (tmp_path / side / "out" / "demo.zip" for side in ("a", "b"))
    assert a.read_bytes() == b.read_bytes()


def test_zip_entries_are_sorted_with_fixed_time_and_mode_and_no_bytecode(tmp_path):
    make_package(tmp_path / "lambdas")
    build.build(tmp_path / "lambdas", tmp_path / "out")
    with zipfile.ZipFile(tmp_path / "out" / "demo.zip") as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names) == ["demo_pkg/__init__.py", "demo_pkg/handler.py"]
    assert {i.date_time for i in infos} == {build.ZIP_EPOCH}
    assert {i.external_attr >> 16 for i in infos} == {0o644}


def test_second_build_without_changes_rebuilds_nothing_and_a_change_rebuilds(tmp_path):
    package = make_package(tmp_path / "lambdas")
    first = build.build(tmp_path / "lambdas", tmp_path / "out")
    second = build.build(tmp_path / "lambdas", tmp_path / "out")
    assert [r.rebuilt for r in first] == [True]
    assert [r.rebuilt for r in second] == [False]
    (package / "handler.py").write_text("def handler(e, c):\n    return 2\n")
    third = build.build(tmp_path / "lambdas", tmp_path / "out")
    assert [r.rebuilt for r in third] == [True]
    assert third[0].sha256 != first[0].sha256


def test_manifest_lists_name_path_and_sha256_of_each_zip(tmp_path):
    make_package(tmp_path / "lambdas", "one")
    make_package(tmp_path / "lambdas", "two")
    build.build(tmp_path / "lambdas", tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert [e["name"] for e in manifest] == ["one", "two"]
    for entry in manifest:
        assert entry["sha256"] == build.file_sha256(Path(entry["path"]))


def test_unpinned_requirement_is_a_clear_error(tmp_path):
    make_package(tmp_path / "lambdas")
    (tmp_path / "lambdas" / "demo" / "requirements.txt").write_text("requests>=2\n")
    with pytest.raises(build.BuildError, match="must be pinned"):
        build.build(tmp_path / "lambdas", tmp_path / "out")


def test_folder_without_a_python_package_is_a_clear_error(tmp_path):
    (tmp_path / "lambdas" / "empty").mkdir(parents=True)
    with pytest.raises(build.BuildError, match="no importable package"):
        build.build(tmp_path / "lambdas", tmp_path / "out")


def test_built_p01_zip_vendors_powertools_but_not_what_the_runtime_provides():
    path = ROOT / "build" / "lambdas" / "simple-web-service.zip"
    if not path.exists():
        pytest.fail("run `make build` first")
    with zipfile.ZipFile(path) as zf:
        top = {name.split("/", 1)[0] for name in zf.namelist()}
    assert {"simple_web_service", "aws_lambda_powertools", "aws_xray_sdk"} <= top
    provided = {"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py"}
    assert not top & provided, f"runtime packages vendored: {top & provided}"


@pytest.mark.parametrize(
    "runtime, architecture, platform, version",
    [
        ("python3.13", "x86_64", "manylinux2014_x86_64", "3.13"),
        ("python3.12", "arm64", "manylinux2014_aarch64", "3.12"),
        ("python3.11", "x86_64", "manylinux2014_x86_64", "3.11"),
    ],
)
def test_dependencies_are_the_wheels_of_the_targets_python_and_cpu(
    tmp_path, monkeypatch, runtime, architecture, platform, version
):
    package = make_package(tmp_path / "lambdas").parent
    (package / "requirements.txt").write_text("demo-dependency==1.0\n")
    commands = []

    def pip(cmd, **_):
        commands.append(cmd)
        target_dir = Path(cmd[cmd.index("--target") + 1])
        (target_dir / "demo_dependency").mkdir(parents=True)
        (target_dir / "demo_dependency" / "__init__.py").write_text("")

        class Done:
            returncode, stderr = 0, ""

        return Done()

    monkeypatch.setattr(build.subprocess, "run", pip)
    results = build.build(tmp_path / "lambdas", tmp_path / "out", target=build.Target(runtime, architecture))
    (command,) = commands
    assert command[command.index("--platform") + 1] == platform
    assert command[command.index("--python-version") + 1] == version
    assert "--only-binary=:all:" in command
    expected = (
        "demo.zip" if (runtime, architecture) == ("python3.13", "x86_64") else f"demo-{runtime}-{architecture}.zip"
    )
    assert results[0].path.endswith(expected)


def test_a_runtime_or_architecture_lambda_has_no_wheels_for_is_a_clear_error():
    with pytest.raises(build.BuildError, match="nodejs20.x"):
        build.Target("nodejs20.x", "x86_64")
    with pytest.raises(build.BuildError, match="x86_64 or arm64"):
        build.Target("python3.11", "aarch64")
