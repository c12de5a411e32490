"""The guard (invoked by callers) and the recorder (the bus's rule target)."""

from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.request
from functools import lru_cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import failures

logger = Logger()
tracer = Tracer()
metrics = Metrics()
PATH = re.compile(r"^/[A-Za-z0-9/_.~%-]{0,500}$")
SOURCE = "serverless-patterns.circuit-breaker"


@lru_cache(maxsize=1)
def _events() -> Any:
    return boto3.client("events")


@lru_cache(maxsize=1)
def service() -> tuple[str, str, str, float]:
    url = os.environ.get("SERVICE_URL", "").rstrip("/")
    bus = os.environ.get("EVENT_BUS_NAME", "")
    if not url.startswith(("http://", "https://")) or not bus:
        raise RuntimeError("SERVICE_URL and EVENT_BUS_NAME must be set: the function is misconfigured")
    return url, os.environ.get("SERVICE_NAME", url), bus, int(os.environ.get("CALL_TIMEOUT_MS", "2000")) / 1000


def call_service(method: str, url: str, timeout: float) -> tuple[int | None, str]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(65536).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(65536).decode("utf-8", "replace")
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        return None, str(getattr(error, "reason", error))


def publish_failure(name: str, bus: str, status: int | None, detail: str) -> None:
    entry = {
        "Source": SOURCE,
        "DetailType": failures.DETAIL_TYPE,
        "EventBusName": bus,
        "Detail": json.dumps({"service": name, "status": status, "error": detail[:500], "at": time.time()}),
    }
    answer = _events().put_events(Entries=[entry])
    if answer.get("FailedEntryCount"):
        # The failure goes unrecorded (the breaker is a little slower to open); the caller still gets its answer.
        logger.error("failure event not accepted", extra={"entry": answer["Entries"][0]})


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def guard(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    method = str(event.get("method", "GET")).upper() if isinstance(event, dict) else ""
    path = event.get("path") if isinstance(event, dict) else None
    if method not in ("GET", "HEAD") or not isinstance(path, str) or not PATH.match(path):
        return {
            "ok": False,
            "error": "InvalidRequest",
            "message": 'send {"method": "GET", "path": "/..."} (reads only: a retried write is not safe)',
        }
    base, name, bus, timeout = service()
    recent = failures.recent(name)
    if recent >= failures.settings().threshold:
        metrics.add_metric(name="CallsRejected", unit=MetricUnit.Count, value=1)
        return {"ok": False, "error": "CircuitOpen", "recentFailures": recent}
    status, body = call_service(method, base + path, timeout)
    if status is None or status >= 500:
        publish_failure(name, bus, status, body)
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
    service_name, event_id, at, error = failures.parse_event(event)
    recorded = failures.record(service_name, event_id, at, error)
    logger.info(
        "failure recorded" if recorded else "failure already recorded",
        extra={"service": service_name, "event_id": event_id},
    )
    return {"recorded": recorded}
