"""SQS attribute read-back that Terraform's AWS provider depends on.

- RedrivePolicy is returned as compact JSON (moto's spaced ``json.dumps`` is a
  permanent whitespace diff).
- RedriveAllowPolicy is returned at all (the provider waits for it forever).
- SetQueueAttributes without Policy keeps the queue's policy, as SQS does
  (moto clears it, so a separate ``aws_sqs_queue_policy`` vanishes).
- Counting a queue's messages reads the clock once, not once per message: moto
  recomputes every approximate count on each SendMessage, so sends slowed by
  ~20 us per queued message (a 500-message burst became quadratic).
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.utils import unix_time_millis
from moto.sqs import models as sqs_models

EXTRA_ATTRIBUTES = ["RedriveAllowPolicy"]


def install() -> None:
    Queue = sqs_models.Queue
    original_attributes = Queue.attributes.fget
    original_set_attributes = Queue._set_attributes

    def attributes(self: Any) -> dict[str, Any]:
        result = original_attributes(self)
        if getattr(self, "redrive_policy", None):
            result["RedrivePolicy"] = json.dumps(self.redrive_policy, separators=(",", ":"))
        allow = result.pop("RedriveAllowPolicy", None) or getattr(self, "redrive_allow_policy", None)
        if allow:
            result["RedriveAllowPolicy"] = allow if isinstance(allow, str) else json.dumps(allow, separators=(",", ":"))
        return result

    def _set_attributes(self: Any, attributes: dict[str, Any], now: float | None = None) -> None:
        kept_policy = None if "Policy" in attributes else getattr(self, "_policy_json", None)
        original_set_attributes(self, attributes, now)
        if kept_policy is not None:
            self._policy_json = kept_policy

    def _now_ms() -> float:
        return unix_time_millis()

    def messages(self: Any) -> list[Any]:
        now = _now_ms()
        return [m for m in self._messages if now > m.visible_at and not now < m.delayed_until]

    def approximate_number_of_messages(self: Any) -> int:
        return len(messages(self))

    def approximate_number_of_messages_delayed(self: Any) -> int:
        now = _now_ms()
        return sum(1 for m in self._messages if now < m.delayed_until)

    def approximate_number_of_messages_not_visible(self: Any) -> int:
        now = _now_ms()
        return sum(1 for m in self._messages if not now > m.visible_at)

    Queue.messages = property(messages)
    Queue.approximate_number_of_messages = property(approximate_number_of_messages)
    Queue.approximate_number_of_messages_delayed = property(approximate_number_of_messages_delayed)
    Queue.approximate_number_of_messages_not_visible = property(approximate_number_of_messages_not_visible)
    Queue.redrive_allow_policy = None
    Queue.attributes = property(attributes)
    Queue._set_attributes = _set_attributes
    if "RedriveAllowPolicy" not in Queue.BASE_ATTRIBUTES:
        # get_queue_attributes validates names against these lists
        Queue.KMS_ATTRIBUTES = Queue.KMS_ATTRIBUTES + EXTRA_ATTRIBUTES
