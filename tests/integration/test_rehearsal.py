"""The production rehearsal: environments/prod as it is (its region, customer managed key, AWS_IAM APIs,
alarms, deletion protection), applied to the local cloud, every pattern driven, then torn down as an
operator would. What only prod's settings would break fails here."""

from __future__ import annotations

import dataclasses
import io
import time

import pytest

from harness import leftovers, record_stack_timings
from tooling.rehearse import Rehearsal, region_of

pytestmark = pytest.mark.integration


def test_prod_applies_and_every_pattern_answers_as_promised_then_tears_down(local_cloud, tmp_path):
    cloud = dataclasses.replace(local_cloud, region=region_of("prod"))
    rehearsal = Rehearsal("prod", cloud, tmp_path / "rehearse")
    began = time.time()
    try:
        rehearsal.apply(out=io.StringIO())
        results, not_deployed = rehearsal.smoke()
        failed = [f"{r.pattern}: {r.check.request} -> {r.check.result}" for r in results if not r.ok]
        assert not_deployed == [] and failed == [] and len(results) >= 30  # 29 smoke rows and the pager
    finally:
        rehearsal.teardown()
        record_stack_timings(
            {
                "stack": "rehearsal: prod",
                "started": began,
                "apply_s": rehearsal.timings.get("apply_s", 0.0),
                "tests_s": rehearsal.timings.get("smoke_s", 0.0),
                "destroy_s": rehearsal.timings.get("teardown_s", 0.0),
            }
        )
    assert leftovers(cloud, "sp-prod") == []
