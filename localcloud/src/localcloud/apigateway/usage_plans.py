"""API keys and usage plans of REST APIs: who may call a key-protected method, how fast and how often."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

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


def install() -> None:
    """A usage plan names stages that exist, as API Gateway checks: moto took any API id and stage name, so a
    plan created before its stage (a missing dependency in a module) worked here and failed in AWS."""
    from moto.apigateway.exceptions import BadRequestException
    from moto.apigateway.models import APIGatewayBackend

    if getattr(APIGatewayBackend.create_usage_plan, "localcloud", False):
        return
    original_create, original_update = APIGatewayBackend.create_usage_plan, APIGatewayBackend.update_usage_plan

    def check(backend: Any, stages: list[tuple[str, str]]) -> None:
        for api_id, stage in stages:
            api = backend.apis.get(api_id)
            if api is None:
                raise BadRequestException(f"Invalid API identifier specified {backend.account_id}:{api_id}")
            if stage not in api.stages:
                raise BadRequestException("Invalid stage identifier specified")

    def create_usage_plan(self: Any, payload: Any) -> Any:
        check(self, [(s.get("apiId", ""), s.get("stage", "")) for s in payload.get("apiStages") or []])
        return original_create(self, payload)

    def update_usage_plan(self: Any, usage_plan_id: str, patch_operations: Any) -> Any:
        added = [
            op.get("value", "")
            for op in patch_operations or []
            if op.get("op") == "add" and op.get("path") == "/apiStages"
        ]
        check(self, [tuple(value.split(":", 1)) if ":" in value else (value, "") for value in added])  # type: ignore[misc]
        return original_update(self, usage_plan_id, patch_operations)

    create_usage_plan.localcloud = True  # type: ignore[attr-defined]
    APIGatewayBackend.create_usage_plan = create_usage_plan  # type: ignore[method-assign]
    APIGatewayBackend.update_usage_plan = update_usage_plan  # type: ignore[method-assign]
