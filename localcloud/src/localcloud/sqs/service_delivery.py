"""What every AWS service that sends to a queue on its own shares: the queue's URL on the local cloud, and
whether the queue's policy and key let the service send (SNS from a topic, EventBridge from a rule)."""

from __future__ import annotations

from typing import Any

from localcloud.core import kms, policy


def queue_url(endpoint_url: str, queue_arn: str) -> str:
    """The URL of the queue an ARN names, without a GetQueueUrl call the caller may not be allowed."""
    _, _, _, _, account, name = queue_arn.split(":", 5)
    return f"{endpoint_url.rstrip('/')}/{account}/{name}"


def service_send_refusal(queue: Any, service: str, source_arn: str, source_account: str) -> str | None:
    """Why an AWS service delivering on its own may not send to the queue: its policy, or its key's policy;
    None when it may."""
    caller = policy.Caller(service=service, context={"aws:SourceArn": source_arn, "aws:SourceAccount": source_account})
    if policy.evaluate(queue._policy_json, "sqs:SendMessage", queue.queue_arn, caller) != "Allow":
        return f"the policy of {queue.queue_arn} does not allow {service} to send from {source_arn}"
    _, _, _, region, account, _ = queue.queue_arn.split(":", 5)
    key = kms.queue_key(queue, account, region)
    if key is not None and not kms.service_may_use(service, key, kms.DELIVERY_ACTIONS, source_arn, source_account):
        return f"{queue.queue_arn} is encrypted with {key.arn}, whose policy does not let {service} use it" + (
            " (an AWS managed key admits no other service)" if key.aws_managed else ""
        )
    return None
