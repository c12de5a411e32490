"""API keys and usage plans of REST APIs: who may call a key-protected method, how fast and how often."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from moto.apigateway.models import apigateway_backends

from localcloud.apigateway.throttle import TokenBuckets

FORBIDDEN = (403, "Forbidden")
THROTTLED = (429, "Too Many Requests")
QUOTA_EXCEEDED = (429, "Limit Exceeded")


def _period_start(period: str, now: float) -> str:
    moment = datetime.fromtimestamp(now, UTC)
    if period == "DAY":
        return moment.strftime("%Y-%m-%d")
    if period == "WEEK":
        return moment.strftime("%G-W%V")
    return moment.strftime("%Y-%m")


class UsagePlans:
    def __init__(self) -> None:
        self.throttles = TokenBuckets()
        self._used: dict[tuple[str, str, str], int] = {}  # (plan, key, period) -> requests
        self._lock = threading.Lock()

    def check(
        self, account_id: str, region: str, api_id: str, stage: str, key_value: str | None, method_path: str
    ) -> tuple[tuple[int, str] | None, dict[str, str]]:
        """(refusal or None, identity fields for $context): the key must be enabled and in a plan for this stage."""
        if not key_value:
            return FORBIDDEN, {}
        backend = apigateway_backends[account_id][region]
        key = next((k for k in list(backend.keys.values()) if k.value == key_value), None)
        if key is None or not key.enabled:
            return FORBIDDEN, {}
        identity = {"apiKey": key.value, "apiKeyId": key.id}
        for plan in list(backend.usage_plans.values()):
            if key.id not in backend.usage_plan_keys.get(plan.id, {}):
                continue
            stages = [s for s in plan.api_stages if s.get("apiId") == api_id and s.get("stage") == stage]
            if not stages:
                continue
            throttle = dict(plan.throttle or {})
            for stage_entry in stages:  # a method's own throttle within the plan wins
                throttle.update((stage_entry.get("throttle") or {}).get(method_path, {}))
            if not self.throttles.take(f"{plan.id}/{key.id}", throttle.get("rateLimit"), throttle.get("burstLimit")):
                return THROTTLED, identity
            quota = plan.quota or {}
            if quota.get("limit") is not None:
                period = (plan.id, key.id, _period_start(quota.get("period", "MONTH"), time.time()))
                with self._lock:
                    used = self._used.get(period, 0)
                    if used >= int(quota["limit"]):
                        return QUOTA_EXCEEDED, identity
                    self._used[period] = used + 1
            return None, identity
        return FORBIDDEN, identity
