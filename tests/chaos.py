"""A pattern's promise checked under load with faults injected: the helpers of the chaos tests (`-m chaos`).

Each chaos test drives its pattern's applied stack with a bounded load while the local cloud injects
faults (core/faults.py, through `/_localcloud/faults`), checks the pattern's invariant exactly, and
records one row (pattern, load, faults, invariant, held, latencies, throughput) in build/chaos/; `make
chaos` prints them as a table (tooling/chaos.py). `CHAOS_SCALE` multiplies every load: 1 in `make
test`, more on demand (`make chaos CHAOS_SCALE=10`).
"""

from __future__ import annotations

import json
import os
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from harness import ROOT, http
from localcloud.control import LocalCloud

RESULTS = ROOT / "build" / "chaos"
SCALE = float(os.environ.get("CHAOS_SCALE", "1"))


def load(requests: int) -> int:
    """The number of requests a test sends at this run's scale."""
    return max(1, round(requests * SCALE))


@dataclass
class Injected:
    """What the faults did, once they are removed."""

    faults: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(f["injected"] for f in self.faults)


@contextmanager
def faults(cloud: LocalCloud, *specs: dict[str, Any]) -> Iterator[Injected]:
    """The faults in force for the block; afterwards the result holds how often each was injected."""
    url = f"{cloud.endpoint}/_localcloud/faults"
    done = Injected()
    try:
        for spec in specs:
            answer = http("POST", url, json.dumps(spec).encode(), {"Content-Type": "application/json"})
            assert answer.status == 201, answer.text
        yield done
    finally:
        done.faults = http("DELETE", url).json()["removed"]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Row:
    pattern: str
    load: str
    faults: str
    invariant: str
    held: bool
    injected: int
    latencies_ms: list[float]
    seconds: float
    detail: str = ""

    def summary(self) -> dict[str, Any]:
        shown = {k: v for k, v in asdict(self).items() if k != "latencies_ms"}
        return {
            **shown,
            "p50_ms": round(percentile(self.latencies_ms, 0.5), 1),
            "p99_ms": round(percentile(self.latencies_ms, 0.99), 1),
            "mean_ms": round(statistics.fmean(self.latencies_ms), 1) if self.latencies_ms else 0.0,
            "per_second": round(len(self.latencies_ms) / self.seconds, 1) if self.seconds else 0.0,
            "scale": SCALE,
        }


def record(row: Row) -> None:
    """One pattern's result, for the table `make chaos` prints."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = row.pattern.split()[0].lower()
    (RESULTS / f"{name}.json").write_text(json.dumps(row.summary(), indent=2) + "\n")
