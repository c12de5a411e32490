"""EventBridge rules deliver to Lambda, SNS and Step Functions targets.

moto's ``Rule.send_to_targets`` raises NotImplementedError for these, so
PutEvents answers HTTP 500 (and the SDK retries it four times) whenever a
matching rule has one. Lambda targets are invoked asynchronously, as
EventBridge does; a target that cannot be reached goes to the target's
dead-letter queue when it has one.
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from moto.events import models as events_models
from moto.events.utils import EventTemplateParser
from moto.utilities.arns import parse_arn

from .lambda_invoke import LambdaService, find_function

OUR_SERVICES = {"lambda", "sns", "states"}
AWS_EVENT_FIELDS = ("version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail")


def _iso_time(event: dict[str, Any]) -> dict[str, Any]:
    """EventBridge events carry time as ISO 8601; moto keeps an epoch float."""
    event = copy.deepcopy(event)
    if isinstance(event.get("time"), (int, float)):
        event["time"] = datetime.fromtimestamp(event["time"], UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return event


def install(service: LambdaService) -> None:
    Rule = events_models.Rule
    original = Rule.send_to_targets

    def send_to_targets(self: Any, original_event: dict[str, Any], transform_input: bool = True) -> None:
        if not self.event_pattern.matches_event(original_event):
            return
        ours = [t for t in self.targets if parse_arn(t["Arn"]).service in OUR_SERVICES]
        if len(ours) < len(self.targets):
            # moto keeps the targets it supports; a shallow copy leaves the stored rule untouched.
            rest = copy.copy(self)
            rest.targets = [t for t in self.targets if t not in ours]
            original(rest, original_event, transform_input)
        for target in ours:
            event = _iso_time(original_event)
            transformer = target.get("InputTransformer")
            if transform_input and transformer:
                event = EventTemplateParser.parse(input_template=transformer.get("InputTemplate"),
                                                  input_paths_map=transformer.get("InputPathsMap", {}), event=event)
            else:
                # AWS's event envelope; moto's default template drops `account`.
                event = {key: event[key] for key in AWS_EVENT_FIELDS}
            if "Input" in target:
                body = target["Input"]
            elif "InputPath" in target:
                body = json.dumps(_json_path(event, target["InputPath"]))
            else:
                body = event if isinstance(event, str) else json.dumps(event)
            try:
                _deliver(service, self, target["Arn"], body)
            except Exception as exc:  # delivery failed: EventBridge sends the event to the target's DLQ
                dlq = (target.get("DeadLetterConfig") or {}).get("Arn")
                if not dlq:
                    # EventBridge never fails PutEvents for a target; without a DLQ the event is dropped.
                    print(f"events: dropped event for {target['Arn']}: {exc!r}", flush=True)
                    continue
                sqs = service.client("sqs", parse_arn(dlq).region)
                url = sqs.get_queue_url(QueueName=parse_arn(dlq).resource_id)["QueueUrl"]
                sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes={
                    "ERROR_CODE": {"DataType": "String", "StringValue": type(exc).__name__},
                    "ERROR_MESSAGE": {"DataType": "String", "StringValue": str(exc)[:1000]},
                    "RULE_ARN": {"DataType": "String", "StringValue": self.arn},
                    "TARGET_ARN": {"DataType": "String", "StringValue": target["Arn"]},
                })

    Rule.send_to_targets = send_to_targets


def _json_path(event: dict[str, Any], path: str) -> Any:
    value: Any = event
    for part in [p for p in path.lstrip("$").split(".") if p]:
        value = value[part]
    return value


def _deliver(service: LambdaService, rule: Any, target_arn: str, body: str) -> None:
    arn = parse_arn(target_arn)
    if arn.service == "lambda":
        service.invoke_async(find_function(target_arn), body)
    elif arn.service == "sns":
        service.client("sns", arn.region).publish(TopicArn=target_arn, Message=body)
    elif arn.service == "states":
        # moto names an execution started without a name "None", so a second one would collide.
        service.client("stepfunctions", arn.region).start_execution(stateMachineArn=target_arn, input=body,
                                                                     name=str(uuid.uuid4()))
