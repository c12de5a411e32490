"""`make plan` / `make apply`: Terraform for one environment, with what a first-time user needs told plainly.

Before running Terraform it checks what Terraform would only report as
backend or provider errors: that the environment exists, that its S3 backend
is configured (`backend.hcl`, from `backend.hcl.example`), and that AWS
credentials are present. `--backend local` plans without any backend: the
environment is planned from a copy under build/ whose backend is overridden
to a local state file, so nothing in environments/ changes and no state
bucket is needed (apply refuses it: a real account's state belongs in S3).

Usage: python -m tooling.environment plan|apply|destroy --env dev [--backend s3|local]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import botocore.session

from tooling.terraform import ROOT, terraform_env

ENVIRONMENTS = ROOT / "environments"


class UsageError(Exception):
    """What the user must do before Terraform can run; printed without a traceback."""


def environments() -> list[str]:
    return sorted(p.name for p in ENVIRONMENTS.iterdir() if (p / "terraform.tfvars").exists())


def check_credentials(env: str) -> None:
    if botocore.session.get_session().get_credentials() is None:
        raise UsageError(
            f"No AWS credentials for environments/{env}: set AWS_PROFILE (after `aws sso login` or "
            "`aws configure`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, for the account this "
            "environment deploys to. `plan` needs read access to it (the ReadOnlyAccess policy is enough); "
            "`apply` needs rights to create what it plans (IAM roles included)."
        )


def backend_args(env: str, backend: str, command: str) -> list[str]:
    folder = ENVIRONMENTS / env
    if backend == "local":
        if command != "plan":
            raise UsageError(
                "BACKEND=local is for plans only: an applied environment's state belongs in its S3 "
                f"backend (environments/{env}/backend.hcl), where the team and CI find it."
            )
        return []
    if not (folder / "backend.tf").exists():
        return []  # an environment without a remote backend (local)
    if not (folder / "backend.hcl").exists():
        raise UsageError(
            f"environments/{env} keeps its state in S3, configured by environments/{env}/backend.hcl, which "
            "does not exist yet:\n"
            f"  cp environments/{env}/backend.hcl.example environments/{env}/backend.hcl\n"
            "and set `bucket` (an existing, versioned S3 bucket of the account for Terraform state), `key` and "
            "`region`. To look at a plan before any of that exists:\n"
            f"  make plan ENV={env} BACKEND=local"
        )
    return ["-backend-config=backend.hcl"]


def local_copy(env: str, work: Path = ROOT / "build" / "plan-local") -> Path:
    """A copy of the environment (under `work`) beside links to what its relative paths name, its backend made
    local."""
    copy = work / "environments" / env
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(ENVIRONMENTS / env, copy, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*", "backend.hcl"))
    for shared in ("modules", "patterns", "build"):
        link = work / shared
        if not link.exists():
            link.symlink_to(ROOT / shared)
    for sibling in ENVIRONMENTS.iterdir():
        link = copy.parent / sibling.name
        if sibling.is_dir() and sibling.name != env and not link.exists():
            link.symlink_to(sibling)
    (copy / "backend_override.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    return copy


def run(command: str, env: str, backend: str) -> int:
    if env not in environments():
        raise UsageError(f"no environment {env!r}: ENV is one of {', '.join(environments())}")
    init_args = backend_args(env, backend, command)
    check_credentials(env)
    folder = local_copy(env) if backend == "local" else ENVIRONMENTS / env
    extra = {"TF_DATA_DIR": str(ROOT / "build" / "plan-local" / f".terraform-{env}")} if backend == "local" else {}
    environment = terraform_env(extra)
    init = ["terraform", f"-chdir={folder}", "init", "-input=false", *init_args]
    if subprocess.run(init, env=environment, check=False).returncode != 0:
        return 1
    return subprocess.run(
        ["terraform", f"-chdir={folder}", command, "-input=false"], env=environment, check=False
    ).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["plan", "apply", "destroy"])
    parser.add_argument("--env", required=True)
    parser.add_argument("--backend", choices=["s3", "local"], default="s3")
    args = parser.parse_args(argv)
    try:
        return run(args.command, args.env, args.backend)
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
