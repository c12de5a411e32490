"""`make rehearse ENV=prod`: an environment's own settings applied to the local cloud, driven, torn down.

`make up` applies `local` (no customer managed key, no authorization, no protection); the environments
people deploy were only planned. A rehearsal applies `environments/<env>` as it is, in its region, with a
local state file, replacing only what cannot exist on the local cloud (`environments/<env>/rehearsal.tfvars`:
the URLs of your own services, pointed at stand-ins on loopback). Then every pattern's smoke requests run
as a client of that account would send them (SigV4-signed where the API demands AWS_IAM), the same table
as `make up` is printed, and the environment is torn down as an operator would: deletion protection lifted
through Terraform first, then destroy.

Usage: python -m tooling.rehearse --env prod [--port 4566] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localcloud.control import LocalCloud, LocalCloudError, healthy
from tooling import smoke, up
from tooling.environment import ENVIRONMENTS, local_copy
from tooling.smoke import Check, wait_for
from tooling.terraform import LOCAL_CLOUD_PARALLELISM, ROOT, TerraformError, TerraformRoot

REHEARSED = ("dev", "staging", "prod")
# rehearsal.tfvars names the local cloud as make up runs it; a rehearsal writes in the port it really runs on.
MAKE_UP_CLOUD = "127.0.0.1:4566"


def region_of(env: str) -> str:
    found = re.search(r'^region\s*=\s*"([^"]+)"', (ENVIRONMENTS / env / "terraform.tfvars").read_text(), re.M)
    if not found:
        raise ValueError(f"environments/{env}/terraform.tfvars names no region")
    return found.group(1)


@dataclass
class Rehearsal:
    """One environment rehearsed on one local cloud, its Terraform working copy under `work`."""

    env: str
    cloud: LocalCloud
    work: Path
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.env not in REHEARSED:
            raise ValueError(f"ENV must be one of {', '.join(REHEARSED)} (local is `make up`)")
        self.folder = local_copy(self.env, self.work)
        (self.folder / "rehearsal.tfvars").unlink(missing_ok=True)  # written below as an auto file
        # The state outlives the working copy (a new Rehearsal of the same work folder can tear it down).
        state = self.work / "terraform.tfstate"
        (self.folder / "backend_override.tf").write_text(
            f'terraform {{\n  backend "local" {{\n    path = "{state}"\n  }}\n}}\n'
        )

    def root(self, lifted: bool = False) -> TerraformRoot:
        """The environment's root with its stand-ins; `lifted`: deletion protection lifted too, as an operator
        lifts it (through Terraform) before tearing an environment down."""
        overrides = (ENVIRONMENTS / self.env / "rehearsal.tfvars").read_text()
        overrides = overrides.replace(MAKE_UP_CLOUD, f"{self.cloud.host}:{self.cloud.port}")
        if lifted:
            overrides = overrides.rstrip().removesuffix("}") + "  deletion_protection = false\n}\n"
        (self.folder / "rehearsal.auto.tfvars").write_text(overrides)
        return TerraformRoot(
            self.folder,
            env={**self.cloud.environment(), "TF_DATA_DIR": str(self.work / ".terraform")},
            parallelism=LOCAL_CLOUD_PARALLELISM,
        )

    def apply(self, out: Any = sys.stdout) -> None:
        started = time.perf_counter()
        root = self.root()
        root.init()
        progress = up.ApplyProgress(out)
        root.apply_streaming(progress, self.work / "terraform-apply.log")
        progress.finish()
        self.timings["apply_s"] = time.perf_counter() - started

    def smoke(self) -> tuple[list[up.SmokeResult], list[str]]:
        started = time.perf_counter()
        outputs = self.root().outputs()
        with smoke.signed_by(self.cloud):
            results, skipped = up.smoke_all(outputs["patterns"], self.cloud)
        if outputs.get("on_call_topic_arn"):
            results.append(up.SmokeResult("on-call", self.page(outputs["on_call_topic_arn"])))
        self.timings["smoke_s"] = time.perf_counter() - started
        return results, skipped

    def page(self, topic_arn: str) -> Check:
        """An alarm of the environment set to ALARM, as a person would test the pager: CloudWatch must deliver
        it to the on-call topic (its policy and key admitting CloudWatch), and a subscriber receive it."""
        started = time.perf_counter()
        cloudwatch, sqs, sns = self.cloud.client("cloudwatch"), self.cloud.client("sqs"), self.cloud.client("sns")
        alarms = cloudwatch.describe_alarms(ActionPrefix=topic_arn)["MetricAlarms"]
        if not alarms:
            return Check("SetAlarmState ALARM", "no alarm notifies the on-call topic", False, 0.0)
        name = alarms[0]["AlarmName"]
        url = sqs.create_queue(QueueName=f"{topic_arn.rsplit(':', 1)[1]}-rehearsal")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        smoke.allow_topic_to_send(sqs, url, queue_arn, topic_arn)
        subscription = sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
        try:
            cloudwatch.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="rehearsing the pager")

            def paged() -> bool:
                for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
                    alarm = json.loads(json.loads(message["Body"])["Message"])
                    if (alarm["AlarmName"], alarm["NewStateValue"]) == (name, "ALARM"):
                        return True
                return False

            ok = bool(wait_for(paged, timeout_s=15))
        finally:
            sns.unsubscribe(SubscriptionArn=subscription)
            sqs.delete_queue(QueueUrl=url)
        result = f"{name[:40]}... reached a subscriber" if ok else "nothing reached the on-call topic's subscriber"
        return Check("SetAlarmState ALARM (the pager)", result, ok, time.perf_counter() - started)

    def teardown(self) -> None:
        started = time.perf_counter()
        lifted = self.root(lifted=True)
        # The state is this run's own, minutes old: refreshing its ~1,100 resources twice more would cost
        # a minute of Terraform's time and prove nothing the smoke did not.
        lifted.apply(refresh=False)
        lifted.destroy(refresh=False)
        self.timings["teardown_s"] = time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", required=True, choices=REHEARSED)
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOCALCLOUD_PORT", "4566")))
    parser.add_argument("--keep", action="store_true", help="leave the environment applied (no teardown)")
    args = parser.parse_args(argv)
    cloud = LocalCloud(port=args.port, region=region_of(args.env))
    if not healthy(cloud.endpoint):
        print(f"error: no local cloud at {cloud.endpoint}; run `make localcloud-start`", file=sys.stderr)
        return 1
    work = ROOT / "build" / "rehearse" / args.env
    shutil.rmtree(work, ignore_errors=True)
    rehearsal = Rehearsal(args.env, cloud, work)
    print(f"rehearsing environments/{args.env} in {cloud.region} on {cloud.endpoint}")
    results: list[up.SmokeResult] = []
    try:
        rehearsal.apply()
        results, skipped = rehearsal.smoke()
        print()
        up.print_table(results)
    except (TerraformError, LocalCloudError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    finally:
        if not args.keep:
            print("tearing down (deletion protection lifted first) ...", flush=True)
            rehearsal.teardown()
    failed = [r for r in results if not r.ok]
    times = ", ".join(f"{name.removesuffix('_s')} {seconds:.0f} s" for name, seconds in rehearsal.timings.items())
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed ({times})")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    raise SystemExit(main())
