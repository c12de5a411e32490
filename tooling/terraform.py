"""The one adapter around python-terraform and the Terraform CLI.

python-terraform (0.10.1, 2019) predates Terraform 0.15, so its quirks stay here:
- ``destroy()`` always passes ``-force``, removed in Terraform 0.15: we pass
  ``-auto-approve`` instead;
- ``apply``/``plan`` take a directory argument, also removed: we run in the
  root's directory;
- it has no timeout and reads the environment from ``os.environ``: we build the
  command line with it (its ``-var`` map handling writes a temporary var file)
  and run the command ourselves, with an explicit environment and a timeout, so
  that a provider retrying a call moto lacks can never hang a test.

Provider installation: when ``TF_PROVIDER_MIRROR`` names a filesystem mirror,
Terraform installs hashicorp/aws from it and never contacts the registry. Unset,
it defaults to /opt/tf-plugins when that folder exists (machines without
registry access); set to an empty string, the registry is used as usual.

Usage: python -m tooling.terraform cli-config   (writes build/terraformrc, prints its path)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_terraform import IsFlagged, Terraform

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TIMEOUT_S = 900
DEFAULT_PROVIDER_MIRROR = Path("/opt/tf-plugins")


class TerraformError(Exception):
    def __init__(self, command: list[str], returncode: int | None, stdout: str, stderr: str, note: str = "") -> None:
        self.command, self.returncode, self.stdout, self.stderr = command, returncode, stdout, stderr
        summary = note or f"exit {returncode}"
        super().__init__(
            f"`{' '.join(command)}` failed ({summary})\n--- stderr ---\n{stderr[-6000:]}"
            f"\n--- stdout (tail) ---\n{stdout[-3000:]}"
        )


def cli_config(mirror: str | None = None, path: Path | None = None) -> Path:
    """Write a Terraform CLI config: the filesystem mirror for hashicorp/aws if one is given."""
    if mirror is None:
        default = str(DEFAULT_PROVIDER_MIRROR) if DEFAULT_PROVIDER_MIRROR.is_dir() else ""
        mirror = os.environ.get("TF_PROVIDER_MIRROR", default)
    path = path or ROOT / "build" / "terraformrc"
    path.parent.mkdir(parents=True, exist_ok=True)
    if mirror:
        if not Path(mirror).is_dir():
            raise FileNotFoundError(f"TF_PROVIDER_MIRROR={mirror} is not a directory")
        text = (
            "provider_installation {\n"
            f'  filesystem_mirror {{\n    path    = "{mirror}"\n    include = ["registry.terraform.io/hashicorp/*"]\n  }}\n'
            '  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n'
            "}\n"
        )
    else:
        text = "# No TF_PROVIDER_MIRROR: providers come from the registry.\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path


def terraform_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra or {})
    env["TF_CLI_CONFIG_FILE"] = str(cli_config())
    env["TF_IN_AUTOMATION"] = "1"
    env.setdefault("CHECKPOINT_DISABLE", "1")
    return env


# Against the local cloud most of an apply is the provider's fixed waits (25 s per SQS queue or
# queue policy, 55 s per bucket lifecycle): more operations in flight cost nothing and save minutes.
# Real accounts keep Terraform's default of 10, within AWS's API rate limits.
LOCAL_CLOUD_PARALLELISM = 40


@dataclass
class Diagnostic:
    summary: str
    detail: str
    address: str

    def __str__(self) -> str:
        return f"{self.address or '(configuration)'}: {self.summary}: {self.detail}"

    @property
    def is_deprecation(self) -> bool:
        return "deprecat" in f"{self.summary} {self.detail}".lower()


@dataclass
class Plan:
    json: dict[str, Any]
    warnings: list[Diagnostic]


def warnings_of(machine_log: str) -> list[Diagnostic]:
    """The warning diagnostics of a `-json` (machine-readable UI) log."""
    found = []
    for line in machine_log.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        diagnostic = message.get("diagnostic") if message.get("type") == "diagnostic" else None
        if diagnostic and diagnostic.get("severity") == "warning":
            found.append(
                Diagnostic(diagnostic.get("summary", ""), diagnostic.get("detail", ""), diagnostic.get("address", ""))
            )
    return found


@dataclass
class TerraformRoot:
    """A Terraform root module driven from Python."""

    directory: Path
    env: dict[str, str] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)
    timeout_s: int = DEFAULT_TIMEOUT_S
    state_path: Path | None = None
    parallelism: int | None = None

    def __post_init__(self) -> None:
        self.directory = Path(self.directory)
        self._tf = Terraform(working_dir=str(self.directory), is_env_vars_included=False)

    def _run(
        self, command: str, *args: str, timeout_s: int | None = None, ok_codes: tuple[int, ...] = (0,), **options: Any
    ) -> tuple[int, str, str]:
        cmd = self._tf.generate_cmd_string(command, *args, **options)
        timeout = timeout_s or self.timeout_s
        proc = subprocess.Popen(
            cmd,
            cwd=self.directory,
            env=terraform_env(self.env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            # SIGINT first: Terraform then releases its state lock and writes what it applied.
            os.killpg(proc.pid, signal.SIGINT)
            try:
                out, err = proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                out, err = proc.communicate()
            raise TerraformError(cmd, None, out, err, note=f"timed out after {timeout} s") from None
        finally:
            self._tf.temp_var_files.clean_up()
        if proc.returncode not in ok_codes:
            raise TerraformError(cmd, proc.returncode, out, err)
        return proc.returncode, out, err

    def _common(self) -> dict[str, Any]:
        return {
            "input": False,
            "no_color": IsFlagged,
            "var": self.variables or None,
            "state": str(self.state_path) if self.state_path else None,
        }

    def init(self, backend: bool = True) -> None:
        self._run("init", input=False, no_color=IsFlagged, backend=backend)

    def apply(self, refresh: bool = True) -> None:
        self._run(
            "apply",
            auto_approve=IsFlagged,
            parallelism=self.parallelism,
            refresh=None if refresh else False,
            **self._common(),
        )

    def apply_streaming(self, on_event: Callable[[dict[str, Any]], None], log_path: Path) -> None:
        """`terraform apply -json`, each machine-readable event handed to `on_event` as it happens, and the
        whole output kept in `log_path` (a failure names it)."""
        cmd = self._tf.generate_cmd_string(
            "apply", auto_approve=IsFlagged, parallelism=self.parallelism, json=IsFlagged, **self._common()
        )
        log_path.parent.mkdir(parents=True, exist_ok=True)
        proc = subprocess.Popen(
            cmd,
            cwd=self.directory,
            env=terraform_env(self.env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        timed_out = threading.Event()

        def interrupt() -> None:  # SIGINT: Terraform releases its lock and writes what it applied
            timed_out.set()
            os.killpg(proc.pid, signal.SIGINT)

        watchdog = threading.Timer(self.timeout_s, interrupt)
        watchdog.start()
        errors: list[str] = []
        try:
            with log_path.open("w") as log:
                assert proc.stdout is not None
                for line in proc.stdout:
                    log.write(line)
                    try:
                        event = json.loads(line)
                    except ValueError:
                        continue
                    if event.get("@level") == "error":
                        errors.append(event.get("@message", line))
                    on_event(event)
            code = proc.wait()
        finally:
            watchdog.cancel()
            self._tf.temp_var_files.clean_up()
        if timed_out.is_set() or code != 0:
            raise TerraformError(
                cmd,
                None if timed_out.is_set() else code,
                "",
                "\n".join(errors),
                note=(f"timed out after {self.timeout_s} s" if timed_out.is_set() else f"exit {code}")
                + f"; full log: {log_path}",
            )

    def plan_changes(self) -> tuple[bool, str]:
        """Whether a plan shows changes, and the plan's text."""
        code, out, _ = self._run("plan", detailed_exitcode=IsFlagged, ok_codes=(0, 2), **self._common())
        return code == 2, out

    def plan_json(self) -> dict[str, Any]:
        return self.plan().json

    def plan(self) -> Plan:
        """A plan as `terraform show -json` gives it, with the warnings Terraform printed while planning."""
        plan_file = self.directory / "test.tfplan"
        try:
            _, log, _ = self._run("plan", out=str(plan_file), json=IsFlagged, **self._common())
            _, out, _ = self._run("show", str(plan_file), json=IsFlagged, no_color=IsFlagged)
        finally:
            plan_file.unlink(missing_ok=True)
        return Plan(json=json.loads(out), warnings=warnings_of(log))

    def outputs(self) -> dict[str, Any]:
        options: dict[str, Any] = {"state": str(self.state_path)} if self.state_path else {}
        _, out, _ = self._run("output", json=IsFlagged, no_color=IsFlagged, **options)
        return {name: value["value"] for name, value in json.loads(out).items()}

    def state_resources(self) -> list[str]:
        options: dict[str, Any] = {"state": str(self.state_path)} if self.state_path else {}
        code, out, _ = self._run("state list", ok_codes=(0, 1), **options)
        return [line for line in out.splitlines() if line.strip()] if code == 0 else []

    def destroy(self, refresh: bool = True) -> None:
        # python-terraform's destroy() would pass -force, which Terraform >= 0.15 rejects.
        self._run(
            "destroy",
            auto_approve=IsFlagged,
            parallelism=self.parallelism,
            refresh=None if refresh else False,
            **self._common(),
        )


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if args != ["cli-config"]:
        print(__doc__, file=sys.stderr)
        return 2
    print(cli_config())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
