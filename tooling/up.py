"""`make up`: apply environments/local on the running local cloud, then smoke-test each pattern.

Prints one row per smoke request (real requests to the local cloud: HTTP through its API Gateway, SQS sends,
EventBridge events, SNS publishes, S3 uploads), each pattern's from patterns/<name>/smoke.py: pattern, request,
result, time.
Usage: python -m tooling.up [--port 4566] [--skip-apply]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localcloud.control import LocalCloud, LocalCloudError, healthy
from tooling import patterns
from tooling.patterns import Pattern
from tooling.smoke import Check
from tooling.terraform import LOCAL_CLOUD_PARALLELISM, TerraformError, TerraformRoot

ROOT = Path(__file__).resolve().parent.parent
LOCAL_ENV = ROOT / "environments" / "local"
APPLY_LOG = ROOT / "build" / "up" / "terraform-apply.log"
PATTERN_OF = re.compile(r"module\.patterns\.module\.([a-z_]+)")


class ApplyProgress:
    """`terraform apply -json` events as progress: resources done of the plan's total, the pattern being
    created, elapsed time. A bar redrawn in place on a terminal; plain lines (one per pattern, and at the
    end) where output is a log, as in CI."""

    def __init__(self, out: Any = sys.stdout, interactive: bool | None = None, width: int = 30) -> None:
        self.out = out
        self.interactive = out.isatty() if interactive is None else interactive
        self.width = width
        self.total: int | None = None
        self.done = 0
        self.pattern = "shared resources"
        self.started = time.monotonic()
        self._announced: set[str] = set()

    def __call__(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        if kind == "change_summary" and (event.get("changes") or {}).get("operation") == "plan":
            changes = event["changes"]
            self.total = int(changes.get("add", 0)) + int(changes.get("change", 0)) + int(changes.get("remove", 0))
            self._write(
                f"plan: {changes.get('add', 0)} to add, {changes.get('change', 0)} to change, "
                f"{changes.get('remove', 0)} to destroy",
                line=True,
            )
        elif (
            kind in ("apply_start", "apply_complete", "apply_errored")
            and (event.get("hook") or {}).get("action") == "read"
        ):
            return  # data sources read while planning: not changes of the plan
        elif kind == "apply_start":
            address = (event.get("hook") or {}).get("resource", {}).get("addr", "")
            found = PATTERN_OF.search(address)
            self.pattern = found.group(1).replace("_", "-") if found else "shared resources"
            if not self.interactive and self.pattern not in self._announced:
                self._announced.add(self.pattern)
                self._write(
                    f"{self._elapsed()} creating {self.pattern} ({self.done}/{self.total or '?'} done)", line=True
                )
        elif kind in ("apply_complete", "apply_errored"):
            self.done += 1
            if self.interactive:
                self._write(self._bar())
            elif self.total and self.done in {self.total * q // 4 for q in (1, 2, 3)}:
                self._write(f"{self._elapsed()} {self.done}/{self.total} resources applied", line=True)

    def finish(self) -> None:
        self._write(
            f"{self._elapsed()} {self.done}/{self.total if self.total is not None else self.done} resources applied",
            line=True,
        )

    def _elapsed(self) -> str:
        return f"[{time.monotonic() - self.started:5.0f} s]"

    def _bar(self) -> str:
        total = self.total or max(self.done, 1)
        filled = int(self.width * min(self.done, total) / total)
        return f"{self._elapsed()} [{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{total} {self.pattern}"

    def _write(self, text: str, line: bool = False) -> None:
        if self.interactive:
            self.out.write("\r\033[K" + text + ("\n" if line else ""))
        else:
            self.out.write(text + "\n")
        self.out.flush()


@dataclass
class SmokeResult:
    pattern: str  # "P01 simple-web-service"
    check: Check

    @property
    def ok(self) -> bool:
        return self.check.ok


def smoke_of(pattern: Pattern) -> Callable[[dict[str, Any], LocalCloud], list[Check]]:
    """The pattern's `smoke(outputs, cloud)`, from patterns/<name>/smoke.py."""
    path = pattern.folder / "smoke.py"
    spec = importlib.util.spec_from_file_location(f"smoke_{pattern.module}", path)
    if spec is None or spec.loader is None or not path.exists():
        raise FileNotFoundError(f"{path} is missing: every pattern says how `make up` smokes it")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    smoke: Callable[[dict[str, Any], LocalCloud], list[Check]] = module.smoke
    return smoke


def smoke_all(outputs: dict[str, Any], cloud: LocalCloud) -> tuple[list[SmokeResult], list[str]]:
    """Each deployed pattern's smoke requests, in catalog order; and the patterns not deployed."""
    results: list[SmokeResult] = []
    skipped = []
    for pattern in patterns.available():
        if pattern.name not in outputs:
            skipped.append(pattern.name)
            continue
        results += [SmokeResult(pattern.title, check) for check in smoke_of(pattern)(outputs[pattern.name], cloud)]
    return results, skipped


def print_table(results: list[SmokeResult]) -> None:
    headers = ("pattern", "request", "result", "time")
    rows = [
        (
            r.pattern,
            r.check.request,
            ("ok   " if r.ok else "FAIL ") + r.check.result,
            f"{r.check.seconds * 1000:.0f} ms",
        )
        for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(value.ljust(w) for value, w in zip(row, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOCALCLOUD_PORT", "4566")))
    parser.add_argument("--skip-apply", action="store_true", help="only run the smoke requests")
    args = parser.parse_args(argv)
    cloud = LocalCloud(port=args.port)
    if not healthy(cloud.endpoint):
        print(f"error: no local cloud at {cloud.endpoint}; run `make localcloud-start`", file=sys.stderr)
        return 1
    root = TerraformRoot(LOCAL_ENV, env=cloud.environment(), parallelism=LOCAL_CLOUD_PARALLELISM)
    started = time.perf_counter()
    try:
        if not args.skip_apply:
            root.init()
            progress = ApplyProgress()
            root.apply_streaming(progress, APPLY_LOG)
            progress.finish()
            print(
                f"applied environments/local in {time.perf_counter() - started:.1f} s "
                f"(Terraform's log: {APPLY_LOG.relative_to(ROOT)})"
            )
        outputs = root.outputs()["patterns"]
    except (TerraformError, LocalCloudError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    results, skipped = smoke_all(outputs, cloud)
    print()
    print_table(results)
    failed = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed")
    if skipped:
        print(f"not deployed (environments/local/terraform.tfvars `patterns`): {', '.join(skipped)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
