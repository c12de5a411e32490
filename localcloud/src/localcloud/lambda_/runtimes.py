"""Which interpreter runs each Lambda runtime: this machine's Python for its own version, and the interpreters
`python -m tooling.runtimes` prepared (listed in its runtimes.json) for the others. A function is never run on
another version than its runtime names: without its interpreter, each invocation fails saying so."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

WORKERS = {"python": Path(__file__).with_name("worker.py"), "nodejs": Path(__file__).with_name("worker.cjs")}
HOW_TO_ADD = "`make install` prepares the others (python -m tooling.runtimes; its log says why one is missing)"


@dataclass(frozen=True)
class Interpreter:
    runtime: str  # as a function names it: python3.13, nodejs22.x
    family: str  # python | nodejs
    version: str
    command: tuple[str, ...]  # what runs a script on it
    sdk_paths: tuple[str, ...] = ()  # the SDK the Lambda runtime bundles (boto3, AWS SDK for JavaScript v3)

    def argv(self, *arguments: str) -> list[str]:
        unbuffered = ("-u",) if self.family == "python" else ()
        return [*self.command, *unbuffered, str(WORKERS[self.family]), *arguments]


def default_directory() -> Path:
    return Path(os.environ.get("LOCALCLOUD_LAMBDA_RUNTIMES") or ".lambda-runtimes").absolute()


class Runtimes:
    """The runtimes this machine can run, read once (the manifest is rewritten only by `make install`)."""

    def __init__(self, python: str, directory: Path | None = None) -> None:
        self.python = python
        self.directory = directory or default_directory()
        self._known: dict[str, Interpreter] | None = None
        self._missing: dict[str, str] = {}
        self._lock = threading.Lock()

    def _load(self) -> dict[str, Interpreter]:
        with self._lock:
            if self._known is None:
                known: dict[str, Interpreter] = {}
                manifest = self.directory / "runtimes.json"
                if manifest.exists():
                    prepared = json.loads(manifest.read_text())
                    for runtime, spec in prepared.get("runtimes", {}).items():
                        known[runtime] = Interpreter(
                            runtime, spec["family"], spec["version"], tuple(spec["command"]), tuple(spec["sdk_paths"])
                        )
                    self._missing = dict(prepared.get("missing", {}))
                own = self._own_python()
                known[own.runtime] = own  # this machine's interpreter serves its own version
                self._known = known
            return self._known

    def _own_python(self) -> Interpreter:
        version = subprocess.run(
            [self.python, "-c", "import platform; print(platform.python_version())"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return Interpreter(f"python{'.'.join(version.split('.')[:2])}", "python", version, (self.python,))

    def names(self) -> list[str]:
        return sorted(self._load())

    def interpreter(self, runtime: str) -> Interpreter | None:
        return self._load().get(runtime)

    def problem(self, function_name: str, runtime: str) -> str:
        """Why `runtime` cannot run here, for the error each invocation of `function_name` answers."""
        known = self._load()
        why = self._missing.get(runtime)
        reason = f" ({why})" if why else ""
        return (
            f"{function_name} declares runtime {runtime}, which this machine cannot run{reason}. "
            f"Runtimes it runs: {', '.join(sorted(known))}; {HOW_TO_ADD}."
        )
