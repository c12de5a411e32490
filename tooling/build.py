"""Build one reproducible zip per Lambda package under ``build/lambdas``.

Every directory ``lambdas/<pattern>/`` is one package: its Python sources plus
the third-party dependencies pinned in its ``requirements.txt`` (vendored into
the zip, except what the Lambda runtime already provides), and the shared
helpers of ``lambdas/shared/`` (``pattern_helpers``) when its code imports them. The zip bytes depend
only on the inputs: entries are sorted, timestamps and permissions fixed, and
no bytecode is included. A package whose inputs did not change is not rebuilt.

A zip is built for one Lambda runtime and architecture (default python3.13 on
x86_64, what the modules deploy): its dependencies are the wheels for that
Python version and CPU (`manylinux2014_x86_64` or `manylinux2014_aarch64`), so a
native dependency never ships built for another interpreter. Another target
writes `<name>-<runtime>-<architecture>.zip` beside the default ones.

Usage: python -m tooling.build [--only NAME ...] [--runtime python3.11] [--architecture arm64]
                               [--lambdas DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Bump when the zip layout changes, so every package is rebuilt once.
BUILD_FORMAT = "1"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644 << 16
# Distributions the AWS Lambda Python runtime ships; vendoring them would only
# shadow the runtime's copy and bloat the zip.
RUNTIME_PROVIDED = {
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "python-dateutil",
    "urllib3",
    "six",
}
IGNORED_PARTS = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
IGNORED_SUFFIXES = {".pyc", ".pyo"}
RUNTIMES = ("python3.11", "python3.12", "python3.13")
PLATFORMS = {"x86_64": "manylinux2014_x86_64", "arm64": "manylinux2014_aarch64"}


class BuildError(Exception):
    """A package cannot be built; the message says which and why."""


@dataclass(frozen=True)
class Target:
    """The Lambda runtime and architecture a zip is for (a function's `runtime` and `architectures`)."""

    runtime: str = "python3.13"
    architecture: str = "x86_64"

    def __post_init__(self) -> None:
        if self.runtime not in RUNTIMES:
            raise BuildError(
                f"runtime {self.runtime!r} cannot be built here: Python packages build for "
                f"{', '.join(RUNTIMES)} (a Node.js or Java function needs its own toolchain)"
            )
        if self.architecture not in PLATFORMS:
            raise BuildError(
                f"architecture {self.architecture!r} is not a Lambda architecture: {' or '.join(PLATFORMS)}"
            )

    @property
    def pip_platform(self) -> list[str]:
        return [
            "--platform",
            PLATFORMS[self.architecture],
            "--implementation",
            "cp",
            "--python-version",
            self.runtime.removeprefix("python"),
        ]

    @property
    def suffix(self) -> str:
        """What the zip's file name adds: nothing for the default target."""
        return "" if self == DEFAULT_TARGET else f"-{self.runtime}-{self.architecture}"


DEFAULT_TARGET = Target()


@dataclass(frozen=True)
class PackageResult:
    name: str
    path: str
    sha256: str
    inputs_sha256: str
    rebuilt: bool


def source_files(package_dir: Path) -> list[Path]:
    files = []
    for path in package_dir.rglob("*"):
        rel = path.relative_to(package_dir)
        if path.is_dir() or IGNORED_PARTS.intersection(rel.parts) or path.suffix in IGNORED_SUFFIXES:
            continue
        files.append(path)
    return sorted(files, key=lambda p: p.relative_to(package_dir).as_posix())


SHARED = "shared"  # lambdas/shared: the helpers packages share, not a package of its own
SHARED_IMPORT = re.compile(r"^\s*(?:from|import)\s+pattern_helpers\b", re.MULTILINE)


def shared_tree(package_dir: Path) -> Path | None:
    """lambdas/shared when the package's code imports pattern_helpers, else None."""
    shared = package_dir.parent / SHARED
    uses = any(SHARED_IMPORT.search(p.read_text()) for p in source_files(package_dir) if p.suffix == ".py")
    return shared if uses and shared.is_dir() else None


def inputs_digest(package_dir: Path, target: Target = DEFAULT_TARGET) -> str:
    digest = hashlib.sha256(f"format={BUILD_FORMAT}\n{target.runtime}/{target.architecture}\n".encode())
    shared = shared_tree(package_dir)
    for tree in [package_dir, *([shared] if shared else [])]:
        for path in source_files(tree):
            digest.update(path.relative_to(tree).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def requirement_lines(package_dir: Path) -> list[str]:
    req = package_dir / "requirements.txt"
    if not req.exists():
        return []
    lines = [line.split("#", 1)[0].strip() for line in req.read_text().splitlines()]
    return [line for line in lines if line]


def vendor_dependencies(package_dir: Path, cache_dir: Path, target: Target = DEFAULT_TARGET) -> Path | None:
    """Install the package's requirements once per requirements content and target."""
    lines = requirement_lines(package_dir)
    if not lines:
        return None
    unpinned = [line for line in lines if "==" not in line]
    if unpinned:
        raise BuildError(f"{package_dir.name}: requirements must be pinned with ==, got {unpinned}")
    key = hashlib.sha256(("\n".join(lines) + f"\n{target.pip_platform}").encode()).hexdigest()[:16]
    install_dir = cache_dir / key
    if (install_dir / ".complete").exists():
        return install_dir
    shutil.rmtree(install_dir, ignore_errors=True)
    install_dir.mkdir(parents=True)
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",
        "--only-binary=:all:",
        *target.pip_platform,
        "--target",
        str(install_dir),
        "-r",
        str(package_dir / "requirements.txt"),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        shutil.rmtree(install_dir, ignore_errors=True)
        raise BuildError(f"{package_dir.name}: pip could not install requirements:\n{proc.stderr}")
    _drop_runtime_provided(install_dir)
    (install_dir / ".complete").write_text("")
    return install_dir


def _drop_runtime_provided(install_dir: Path) -> None:
    for dist_info in install_dir.glob("*.dist-info"):
        name = dist_info.name.removesuffix(".dist-info").rsplit("-", 1)[0].lower().replace("_", "-")
        if name not in RUNTIME_PROVIDED:
            continue
        record = dist_info / "RECORD"
        for line in record.read_text().splitlines() if record.exists() else []:
            rel = line.split(",", 1)[0]
            (install_dir / rel).unlink(missing_ok=True)
        shutil.rmtree(dist_info, ignore_errors=True)
    # Remove directories the RECORD cleanup left empty.
    for path in sorted(install_dir.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    shutil.rmtree(install_dir / "bin", ignore_errors=True)


def write_zip(zip_path: Path, trees: list[Path], package_dir: Path) -> None:
    entries: dict[str, Path] = {}
    for tree in trees:
        for path in source_files(tree):
            rel = path.relative_to(tree).as_posix()
            if tree == package_dir and (rel == "requirements.txt" or rel.startswith("tests/")):
                continue
            if rel == ".complete":
                continue
            if rel in entries:
                raise BuildError(f"{package_dir.name}: {rel} exists both in the sources and a dependency")
            entries[rel] = path
    tmp = zip_path.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w") as zf:
        for rel in sorted(entries):
            info = zipfile.ZipInfo(rel, date_time=ZIP_EPOCH)
            info.external_attr = FILE_MODE
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the mode bits are honoured
            zf.writestr(info, entries[rel].read_bytes(), compresslevel=9)
    tmp.replace(zip_path)


def write_target(zip_path: Path, target: Target) -> None:
    """Beside each zip, what it was built for (`<zip without .zip>.target`): modules/lambda-function refuses to
    deploy it on another runtime or architecture."""
    text = json.dumps({"runtime": target.runtime, "architecture": target.architecture}) + "\n"
    sidecar = zip_path.with_suffix(".target")
    if not sidecar.exists() or sidecar.read_text() != text:
        sidecar.write_text(text)


def discover(lambdas_dir: Path) -> list[Path]:
    return sorted(p for p in lambdas_dir.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != SHARED)


def build_package(
    package_dir: Path, out_dir: Path, previous: dict[str, dict[str, Any]], target: Target = DEFAULT_TARGET
) -> PackageResult:
    name = package_dir.name
    zip_path = out_dir / f"{name}{target.suffix}.zip"
    write_target(zip_path, target)
    inputs = inputs_digest(package_dir, target)
    before = previous.get(name)
    if before and before["inputs_sha256"] == inputs and zip_path.exists() and file_sha256(zip_path) == before["sha256"]:
        return PackageResult(name, _display(zip_path), before["sha256"], inputs, rebuilt=False)
    if not any(p.name == "__init__.py" for p in package_dir.glob("*/__init__.py")):
        raise BuildError(f"{name}: no importable package (a folder with __init__.py) in {package_dir}")
    deps = vendor_dependencies(package_dir, out_dir / ".deps", target)
    shared = shared_tree(package_dir)
    write_zip(zip_path, [package_dir, *([shared] if shared else []), *([deps] if deps else [])], package_dir)
    return PackageResult(name, _display(zip_path), file_sha256(zip_path), inputs, rebuilt=True)


def _display(path: Path) -> str:
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def build(
    lambdas_dir: Path, out_dir: Path, only: list[str] | None = None, target: Target = DEFAULT_TARGET
) -> list[PackageResult]:
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = out_dir / f"manifest{target.suffix}.json"
    previous = {e["name"]: e for e in json.loads(manifest_path.read_text())} if manifest_path.exists() else {}
    packages = discover(lambdas_dir)
    if only:
        unknown = set(only) - {p.name for p in packages}
        if unknown:
            raise BuildError(f"no Lambda package named {sorted(unknown)} in {lambdas_dir}")
        packages = [p for p in packages if p.name in only]
    results = [build_package(p, out_dir, previous, target) for p in packages]
    merged = {**previous, **{r.name: {k: v for k, v in asdict(r).items() if k != "rebuilt"} for r in results}}
    existing = {p.name for p in discover(lambdas_dir)}
    entries = [merged[name] for name in sorted(merged) if name in existing]
    manifest_path.write_text(json.dumps(entries, indent=2) + "\n")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lambdas", type=Path, default=ROOT / "lambdas")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "lambdas")
    parser.add_argument("--only", nargs="*", help="package names to build (default: all)")
    parser.add_argument("--runtime", default=DEFAULT_TARGET.runtime, help=f"one of {', '.join(RUNTIMES)}")
    parser.add_argument("--architecture", default=DEFAULT_TARGET.architecture, help="x86_64 or arm64")
    args = parser.parse_args(argv)
    try:
        target = Target(args.runtime, args.architecture)
        results = build(args.lambdas, args.out, args.only or None, target)
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    for r in results:
        state = "built" if r.rebuilt else "up to date, not rebuilt"
        print(f"{r.name:32} {state:24} {r.sha256[:12]}  {r.path}")
    if results and not any(r.rebuilt for r in results):
        print("nothing to rebuild")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
