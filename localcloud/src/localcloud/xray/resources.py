"""What X-Ray keeps per account and region besides traces, where the rest of the local cloud reads it
without importing X-Ray's API: groups, resource policies, and the IAM action of each API path."""

from __future__ import annotations

import json
import threading
from typing import Any

from localcloud.core import policy

GROUPS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
POLICIES: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}  # X-Ray's resource policies, by name
LOCK = threading.RLock()

# The IAM action each path is authorized as (X-Ray's paths are not its action names).
ACTIONS = {
    "TraceSegments": "PutTraceSegments",
    "TelemetryRecords": "PutTelemetryRecords",
    "Traces": "BatchGetTraces",
    "TraceSummaries": "GetTraceSummaries",
    "ServiceGraph": "GetServiceGraph",
    "TraceGraph": "GetTraceGraph",
    "Groups": "GetGroups",
    "SamplingTargets": "GetSamplingTargets",
    "EncryptionConfig": "GetEncryptionConfig",
}


def service_may_send(account: str, region: str, service: str, source_arn: str) -> bool:
    """Whether X-Ray's resource policies let an AWS service send segments for this source (SNS does)."""
    caller = policy.Caller(service=service, context={"aws:SourceArn": source_arn, "aws:SourceAccount": account})
    with LOCK:
        documents = [json.loads(p["PolicyDocument"]) for p in POLICIES.get((account, region), {}).values()]
    decisions = [policy.evaluate(d, "xray:PutTraceSegments", "*", caller) for d in documents]
    return "Allow" in decisions and "Deny" not in decisions


def group_arn(account: str, region: str, name: str) -> str | None:
    with LOCK:
        group = GROUPS.get((account, region), {}).get(name)
    return group["GroupARN"] if group else None
