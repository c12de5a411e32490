"""`make up`'s smoke requests for P20 saga: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, execution_status


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    sfn = cloud.client("stepfunctions")
    results = []
    for card, expected in (("4242", "SUCCEEDED"), ("declined", "FAILED")):
        booking = {
            "bookingId": f"smoke-{card}-{int(time.time())}",
            "hotel": "Hotel Smoke",
            "flight": "SM001",
            "amount": "100.00",
            "card": card,
        }
        started = time.perf_counter()
        status = execution_status(sfn, service["state_machine_arn"], booking)
        label = "a booking" if card == "4242" else "a booking whose card is declined (compensated)"
        results.append(Check(f"StartExecution ({label})", status, status == expected, time.perf_counter() - started))
    return results
