"""The guard: {"method": "GET", "path": "/quotes/42"} -> the service's answer, or a fast failure while the
breaker is open. Every answer has the same envelope: {"ok", "status"?, "body"?, "error"?, "breaker"}."""

from __future__ import annotations

import re
import time
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from pattern_helpers import http

from . import logic, settings, store

logger = Logger()
tracer = Tracer()
metrics = Metrics()
PATH = re.compile(r"^/[A-Za-z0-9/_.~%-]{0,500}$")


class InvalidRequest(ValueError):
    pass


def guarded_call(method: str, path: str, now: float) -> dict[str, Any]:
    name, rules = settings.circuit_name(), settings.rules()
    circuit = store.read(name)
    decision = logic.decide(circuit, now)
    if decision.action == "trial" and not store.claim_trial(name, circuit, now, rules):
        decision = logic.Decision("fail_fast", rules.trial_lease_s)  # another caller is trying it
    if decision.action == "fail_fast":
        metrics.add_metric(name="CallsRejected", unit=MetricUnit.Count, value=1)
        return {
            "ok": False,
            "error": "CircuitOpen",
            "breaker": circuit.state,
            "retryAfterSeconds": round(decision.retry_after_s, 1),
        }
    started = time.monotonic()
    status, body = http.call(method, settings.service_url() + path, settings.call_timeout_s())
    after = now + (time.monotonic() - started)  # the clock of this decision, moved on by the call
    failed = status is None or status >= 500  # a 4xx is the caller's mistake, not the service's health
    if decision.action == "trial":
        trial_version = circuit.version + 1
        if failed:
            period = store.reopen_after_trial(name, trial_version, circuit.openings, after, rules)
            logger.warning("trial failed: breaker open again", extra={"open_seconds": period})
            state = "OPEN"
        else:
            store.close_after_trial(name, trial_version)
            logger.info("trial succeeded: breaker closed")
            state = "CLOSED"
    elif failed:
        failures = store.count_failure(name, after, rules)
        state = "CLOSED"
        if failures >= rules.failure_threshold and store.open_circuit(name, after, rules):
            logger.warning("breaker opened", extra={"failures": failures})
            metrics.add_metric(name="BreakerOpened", unit=MetricUnit.Count, value=1)
            state = "OPEN"
    else:
        if circuit.failures:
            store.reset_failures(name)
        state = "CLOSED"
    if failed or status is None:
        return {"ok": False, "error": "ServiceFailed", "status": status, "detail": body[:500], "breaker": state}
    return {"ok": status < 400, "status": status, "body": body, "breaker": state}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    method = str(event.get("method", "GET")).upper() if isinstance(event, dict) else ""
    path = event.get("path") if isinstance(event, dict) else None
    if method not in ("GET", "HEAD") or not isinstance(path, str) or not PATH.match(path):
        return {
            "ok": False,
            "error": "InvalidRequest",
            "message": 'send {"method": "GET", "path": "/..."} (reads only: a retried write is not safe)',
        }
    return guarded_call(method, path, time.time())
