"""The breaker's rules: plain logic over its recorded state and the clock.

CLOSED: calls go through; failures within the window are counted; at the threshold it OPENs.
OPEN: calls fail fast until the open period ends; then one caller becomes the trial (HALF_OPEN).
HALF_OPEN: only the trial call reaches the service; success CLOSEs the breaker, failure OPENs it
again for twice as long (up to a cap), so a service that stays down is tried less and less often.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

State = Literal["CLOSED", "OPEN", "HALF_OPEN"]


@dataclass(frozen=True)
class Rules:
    failure_threshold: int
    failure_window_s: int
    open_s: int
    max_open_s: int
    trial_lease_s: float  # how long a trial may take before another caller may try


@dataclass(frozen=True)
class Circuit:
    state: State = "CLOSED"
    failures: int = 0
    window_start: float = 0.0
    open_until: float = 0.0
    openings: int = 0  # consecutive openings: each failed trial doubles the open period
    trial_until: float = 0.0
    version: int = 0


@dataclass(frozen=True)
class Decision:
    action: Literal["call", "trial", "fail_fast"]
    retry_after_s: float = 0.0


def decide(circuit: Circuit, now: float) -> Decision:
    """What a caller may do now, before it tries to claim a trial (which needs a conditional write)."""
    if circuit.state == "CLOSED":
        return Decision("call")
    if circuit.state == "OPEN" and now < circuit.open_until:
        return Decision("fail_fast", circuit.open_until - now)
    if circuit.state == "HALF_OPEN" and now < circuit.trial_until:
        return Decision("fail_fast", circuit.trial_until - now)
    return Decision("trial")


def open_period(rules: Rules, openings: int) -> float:
    return float(min(rules.max_open_s, rules.open_s * 2 ** max(0, openings - 1)))


def window_expired(circuit: Circuit, rules: Rules, now: float) -> bool:
    return now - circuit.window_start > rules.failure_window_s
