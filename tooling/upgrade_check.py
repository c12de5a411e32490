"""`make upgrade-check FROM=v0.3.0`: what upgrading an applied environment to this tree would change.

Applies environments/<env> as the release FROM had it (a git worktree of that commit, its own build) to a
fresh local cloud, then plans the same state with this tree: every change listed is what a user's next
apply would do after upgrading (the CHANGELOG's upgrade notes must name each one). Moves that `moved`
blocks cover show as moves, not changes.

Usage: python -m tooling.upgrade_check --from v0.3.0 [--env local]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from localcloud.control import LocalCloud, free_port
from tooling.terraform import LOCAL_CLOUD_PARALLELISM, TerraformRoot

ROOT = Path(__file__).resolve().parent.parent


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True).stdout


def changes(plan: dict[str, Any]) -> tuple[list[tuple[str, list[str]]], list[tuple[str, str]]]:
    """(address, actions) of every planned change, and (from, to) of every move."""
    changed, moved = [], []
    for change in plan.get("resource_changes", []):
        actions = change["change"]["actions"]
        if change.get("previous_address") and change["previous_address"] != change["address"]:
            moved.append((change["previous_address"], change["address"]))
        if actions not in (["no-op"], ["read"]):
            changed.append((change["address"], actions))
    return changed, moved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="revision", required=True, help="the release (tag or commit) upgraded from")
    parser.add_argument("--env", default="local")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="upgrade-check-"))
    old = work / "old"
    _git("worktree", "add", "--detach", str(old), args.revision)
    cloud = LocalCloud(port=free_port(), state_dir=work / "localcloud")
    try:
        subprocess.run([sys.executable, "-m", "tooling.build"], cwd=old, check=True, capture_output=True)
        cloud.start()
        env = {**cloud.environment(), "TF_DATA_DIR": str(work / "old.terraform")}
        before = TerraformRoot(old / "environments" / args.env, env=env, parallelism=LOCAL_CLOUD_PARALLELISM)
        before.init()
        print(f"applying environments/{args.env} as {args.revision} had it ...", flush=True)
        before.apply()
        state = old / "environments" / args.env / "terraform.tfstate"
        after_env = {**cloud.environment(), "TF_DATA_DIR": str(work / "new.terraform")}
        after = TerraformRoot(ROOT / "environments" / args.env, env=after_env, parallelism=LOCAL_CLOUD_PARALLELISM)
        after.state_path = state
        after.init()
        changed, moved = changes(after.plan().json)
        print(f"\n{len(moved)} resources move (moved blocks); {len(changed)} change on upgrade:")
        for address, actions in changed:
            print(f"  {'/'.join(actions):>16}  {address}")
        (ROOT / "build" / "upgrade-check.json").write_text(
            json.dumps({"from": args.revision, "env": args.env, "changed": changed, "moved": moved}, indent=2) + "\n"
        )
        return 0
    finally:
        cloud.stop()
        _git("worktree", "remove", "--force", str(old))
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
