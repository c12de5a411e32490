"""The guard (invoked by callers) and the recorder (the bus's rule target)."""

from __future__ import annotations

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


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def guard(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    method = str(event.get("method", "GET")).upper() if isinstance(event, dict) else ""
    path = event.get("path") if isinstance(event, dict) else None
    if method not in ("GET", "HEAD") or not isinstance(path, str) or not logic.PATH.match(path):
        return {
            "ok": False,
            "error": "InvalidRequest",
            "message": 'send {"method": "GET", "path": "/..."} (reads only: a retried write is not safe)',
        }
    name = settings.service_name()
    recent = store.recent(name)
    if recent >= settings.failure_threshold():
        metrics.add_metric(name="CallsRejected", unit=MetricUnit.Count, value=1)
        return {"ok": False, "error": "CircuitOpen", "recentFailures": recent}
    status, body = http.call(method, settings.service_url() + path, settings.call_timeout_s())
    if status is None or status >= 500:
        refused = store.publish(logic.failure_event(name, settings.event_bus_name(), status, body, time.time()))
        if refused:
            # The failure goes unrecorded (the breaker is a little slower to open); the caller still gets its answer.
            logger.error("failure event not accepted", extra={"entry": refused})
        return {
            "ok": False,
            "error": "ServiceFailed",
            "status": status,
            "detail": body[:500],
            "recentFailures": recent + 1,
        }
    return {"ok": status < 400, "status": status, "body": body, "recentFailures": recent}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def recorder(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """The rule's target (asynchronous: Lambda retries, then the on-failure queue keeps the event)."""
    service_name, event_id, at, error = logic.parse_event(event)
    recorded = store.record(service_name, event_id, at, error)
    logger.info(
        "failure recorded" if recorded else "failure already recorded",
        extra={"service": service_name, "event_id": event_id},
    )
    return {"recorded": recorded}
