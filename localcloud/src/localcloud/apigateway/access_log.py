"""Stage access logs: one line per request, in the stage's format, to its log group."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

from moto.logs.models import logs_backends

VARIABLE = re.compile(r"\$context\.([A-Za-z0-9_.]+)")
_streams: set[tuple[str, str, str, str]] = set()
_lock = threading.Lock()


def _lookup(values: dict[str, Any], dotted: str) -> str:
    value: Any = values
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return "-" if value is None else str(value)


def render(log_format: str, values: dict[str, Any]) -> str:
    return VARIABLE.sub(lambda m: _lookup(values, m.group(1)), log_format)


def write(settings: dict[str, Any] | None, account_id: str, region: str, stage: str, values: dict[str, Any]) -> None:
    """Append the request's line when the stage has access logging; silently skip otherwise."""
    if not settings:
        return
    destination = settings.get("destinationArn") or settings.get("DestinationArn")
    log_format = settings.get("format") or settings.get("Format")
    if not destination or not log_format or ":log-group:" not in destination:
        return
    group = destination.split(":log-group:", 1)[1].removesuffix(":*")
    backend = logs_backends[account_id][region]
    stream = f"localcloud-{stage}"
    key = (account_id, region, group, stream)
    try:
        with _lock:
            if key not in _streams:
                try:
                    backend.create_log_stream(group, stream)
                except Exception:  # the stream exists already (an earlier server run wrote it)
                    pass
                _streams.add(key)
        backend.put_log_events(
            group, stream, [{"timestamp": int(time.time() * 1000), "message": render(log_format, values)}]
        )
    except Exception as exc:  # a missing log group must not fail the request, as in AWS
        print(f"apigateway: access log to {group} failed: {exc!r}", flush=True)
