"""Sampling rules and the decisions made from them, as X-Ray's centralized sampling makes them.

Rules are matched in priority order (then name); the first whose service name, service type, host, HTTP
method, URL path, resource ARN and attributes all match (`*` and `?` wildcards) decides: a reservoir of
requests per second is sampled, and a fixed rate of the rest. Every account and region has the `Default`
rule (priority 10000, one a second and 5%), which can be updated but not deleted.
"""

from __future__ import annotations

import fnmatch
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

DEFAULT_RULE = {
    "RuleName": "Default",
    "ResourceARN": "*",
    "Priority": 10000,
    "FixedRate": 0.05,
    "ReservoirSize": 1,
    "ServiceName": "*",
    "ServiceType": "*",
    "Host": "*",
    "HTTPMethod": "*",
    "URLPath": "*",
    "Version": 1,
    "Attributes": {},
}


@dataclass(frozen=True)
class Request:
    """What a sampling decision is made on."""

    service_name: str
    service_type: str
    host: str = ""
    method: str = ""
    path: str = ""
    resource_arn: str = ""
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class Rule:
    document: dict[str, Any]
    created: float = field(default_factory=time.time)
    modified: float = field(default_factory=time.time)
    second: int = 0
    used: int = 0  # reservoir draws in the current second

    @property
    def name(self) -> str:
        return str(self.document["RuleName"])

    def matches(self, request: Request) -> bool:
        doc = self.document

        def glob(pattern: str, value: str) -> bool:
            return fnmatch.fnmatchcase(value, pattern) if pattern != "*" else True

        attributes = doc.get("Attributes") or {}
        return (
            glob(doc["ServiceName"], request.service_name)
            and glob(doc["ServiceType"], request.service_type)
            and glob(doc["Host"], request.host)
            and glob(doc["HTTPMethod"], request.method)
            and glob(doc["URLPath"], request.path)
            and glob(doc["ResourceARN"], request.resource_arn)
            and all(glob(v, request.attributes.get(k, "")) for k, v in attributes.items())
        )

    def draw(self) -> bool:
        now = int(time.time())
        if now != self.second:
            self.second, self.used = now, 0
        if self.used < int(self.document["ReservoirSize"]):
            self.used += 1
            return True
        return random.random() < float(self.document["FixedRate"])


class SamplingRules:
    def __init__(self) -> None:
        self._rules: dict[tuple[str, str], dict[str, Rule]] = {}
        self._lock = threading.Lock()

    def rules(self, account: str, region: str) -> dict[str, Rule]:
        with self._lock:
            default = {**DEFAULT_RULE, "RuleARN": f"arn:aws:xray:{region}:{account}:sampling-rule/Default"}
            return self._rules.setdefault((account, region), {"Default": Rule(default)})

    def decide(self, account: str, region: str, request: Request) -> tuple[bool, str]:
        """Sampled or not, and the rule that decided."""
        ordered = sorted(self.rules(account, region).values(), key=lambda r: (int(r.document["Priority"]), r.name))
        with self._lock:
            for rule in ordered:
                if rule.matches(request):
                    return rule.draw(), rule.name
        return False, ""


RULES = SamplingRules()
