"""EventBridge rules deliver to Lambda, SNS, Step Functions and API destination targets, with retries.

moto's ``Rule.send_to_targets`` raises NotImplementedError for the first
three, so PutEvents answers HTTP 500 (and the SDK retries it four times)
whenever a matching rule has one; API destinations get a bodiless request at
most. Here Lambda targets are invoked asynchronously, as EventBridge does; API
destinations get the event as the JSON body with the connection's
authorization (API key or basic) and the target's HTTP parameters, within
EventBridge's 5 s timeout.

A delivery that fails with a retryable error (throttling, a 5xx, HTTP 429, a
timeout or refused connection) is retried in the background under the
target's `RetryPolicy` (`MaximumRetryAttempts`, default 185;
`MaximumEventAgeInSeconds`, default 86400), waiting the local cloud's retry
delay times the attempt. Other errors (the target gone, a Lambda function
without a permission for events.amazonaws.com from the rule, HTTP 4xx) are
not retried. Then the event goes to the target's dead-letter queue with
`ERROR_CODE`, `ERROR_MESSAGE`, `RULE_ARN`, `TARGET_ARN`, `RETRY_ATTEMPTS`
and `EXHAUSTED_RETRY_CONDITION` attributes, or is dropped. PutEvents never
fails for a target.
"""

from __future__ import annotations

import base64
import copy
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends
from moto.events import models as events_models
from moto.events.utils import EventTemplateParser
from moto.sqs.models import sqs_backends
from moto.utilities.arns import parse_arn

from localcloud.core import event_patterns, iam
from localcloud.lambda_.invoke import LambdaService, find_function, service_may_invoke
from localcloud.sns.topics import find_topic, service_publish_refusal
from localcloud.sqs.service_delivery import service_send_refusal
from localcloud.xray.traces import INCOMING, TraceHeader

OUR_SERVICES = {"lambda", "sns", "states", "sqs"}
API_DESTINATION_TIMEOUT_S = 5
DEFAULT_RETRY_ATTEMPTS, DEFAULT_EVENT_AGE_S = 185, 86400
RETRYABLE_CODES = {
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "ServiceUnavailable",
    "InternalFailure",
    "InternalError",
    "RequestTimeout",
}


class DeliveryError(Exception):
    """A failed delivery, and whether EventBridge would try it again."""

    def __init__(self, code: str, message: str, retryable: bool) -> None:
        super().__init__(message)
        self.code, self.retryable = code, retryable


def _is_ours(target: dict[str, Any]) -> bool:
    arn = parse_arn(target["Arn"])
    return arn.service in OUR_SERVICES or (arn.service == "events" and arn.resource_type == "api-destination")


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
        # The pattern sees the event as its targets receive it: AWS's fields, `time` as ISO 8601 text.
        delivered = _iso_time(original_event)
        if not event_patterns.matches(
            self.event_pattern.get_pattern(), {k: delivered[k] for k in AWS_EVENT_FIELDS if k in delivered}
        ):
            return
        rule_metrics(self, "MatchedEvents", "TriggeredRules")
        ours = [t for t in self.targets if _is_ours(t)]
        for target in ours:
            event = _iso_time(original_event)
            transformer = target.get("InputTransformer")
            if transform_input and transformer:
                event = EventTemplateParser.parse(
                    input_template=transformer.get("InputTemplate"),
                    input_paths_map=transformer.get("InputPathsMap", {}),
                    event=event,
                )
            else:
                # AWS's event envelope; moto's default template drops `account`.
                event = {key: event[key] for key in AWS_EVENT_FIELDS}
            if "Input" in target:
                body = target["Input"]
            elif "InputPath" in target:
                body = json.dumps(_json_path(event, target["InputPath"]))
            else:
                body = event if isinstance(event, str) else json.dumps(event)
            trace = INCOMING.get()  # the trace the event arrived in: its targets continue it, retries included
            if parse_arn(target["Arn"]).service == "events":  # an HTTP call must not hold up PutEvents
                threading.Thread(
                    target=_attempt, args=(service, self, target, body, time.monotonic(), 0, trace), daemon=True
                ).start()
            else:
                _attempt(service, self, target, body, time.monotonic(), 0, trace)
        if len(ours) < len(self.targets):
            # moto keeps the targets it supports; a shallow copy leaves the stored rule untouched.
            rest = copy.copy(self)
            rest.targets = [t for t in self.targets if t not in ours]
            try:
                original(rest, original_event, transform_input)
            except Exception as exc:  # one target failing never fails PutEvents, nor the rule's other targets
                print(f"events: {self.arn}: {exc!r}", flush=True)

    Rule.send_to_targets = send_to_targets


def rule_metrics(rule: Any, *names: str) -> None:
    """AWS/Events counts for a rule: by RuleName on the default bus, by EventBusName and RuleName on another;
    Invocations and InvocationAttempts for the account too."""
    dimensions = {"RuleName": rule.name}
    if rule.event_bus_name != "default":
        dimensions = {"EventBusName": rule.event_bus_name, **dimensions}
    data = [{"MetricName": n, "Value": 1, "Unit": "Count", "Dimensions": _named(dimensions)} for n in names]
    data += [
        {"MetricName": n, "Value": 1, "Unit": "Count", "Dimensions": []}
        for n in names
        if n in ("Invocations", "InvocationAttempts")
    ]
    cloudwatch_backends[rule.account_id][rule.region_name].put_metric_data("AWS/Events", data)


def _named(dimensions: dict[str, str]) -> list[dict[str, str]]:
    return [{"Name": k, "Value": v} for k, v in dimensions.items()]


def _attempt(
    service: LambdaService,
    rule: Any,
    target: dict[str, Any],
    body: str,
    first_try: float,
    retries: int,
    trace: TraceHeader | None = None,
) -> None:
    INCOMING.set(trace)
    rule_metrics(rule, "InvocationAttempts")
    try:
        _deliver(service, rule, target, body)
    except Exception as exc:
        error = _as_delivery_error(exc)
    else:
        rule_metrics(rule, "Invocations")
        return
    policy = target.get("RetryPolicy") or {}
    max_retries = int(policy.get("MaximumRetryAttempts", DEFAULT_RETRY_ATTEMPTS))
    max_age_s = int(policy.get("MaximumEventAgeInSeconds", DEFAULT_EVENT_AGE_S))
    delay_s = service.retry_delay_s * (retries + 1)
    if error.retryable and retries < max_retries and time.monotonic() - first_try + delay_s < max_age_s:
        timer = threading.Timer(delay_s, _attempt, args=(service, rule, target, body, first_try, retries + 1, trace))
        timer.daemon = True
        timer.start()
        return
    exhausted = None
    if error.retryable:
        exhausted = "MaximumRetryAttempts" if retries >= max_retries else "MaximumEventAgeInSeconds"
    rule_metrics(rule, "Invocations", "FailedInvocations")
    _dead_letter(service, rule, target, body, error, retries, exhausted)


def _as_delivery_error(exc: Exception) -> DeliveryError:
    if isinstance(exc, DeliveryError):
        return exc
    response = getattr(exc, "response", None)
    if isinstance(response, dict):  # a botocore ClientError from the target's service
        code = response.get("Error", {}).get("Code", "")
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return DeliveryError(code or "SDK_CLIENT_ERROR", str(exc), code in RETRYABLE_CODES or status >= 500)
    return DeliveryError(type(exc).__name__, str(exc), False)


def _dead_letter(
    service: LambdaService,
    rule: Any,
    target: dict[str, Any],
    body: str,
    error: DeliveryError,
    retries: int,
    exhausted: str | None,
) -> None:
    dlq = (target.get("DeadLetterConfig") or {}).get("Arn")
    if not dlq:
        # EventBridge never fails PutEvents for a target; without a DLQ the event is dropped.
        print(f"events: dropped event for {target['Arn']}: {error.code} {error}", flush=True)
        return
    attributes = {
        "ERROR_CODE": error.code,
        "ERROR_MESSAGE": str(error)[:1000],
        "RULE_ARN": rule.arn,
        "TARGET_ARN": target["Arn"],
        "RETRY_ATTEMPTS": str(retries),
    }
    if exhausted:
        attributes["EXHAUSTED_RETRY_CONDITION"] = exhausted
    try:  # EventBridge sends to the dead-letter queue as itself: the queue's policy and key must let it
        _queue_eventbridge_may_send_to(dlq, rule)
    except DeliveryError as refused:
        rule_metrics(rule, "InvocationsFailedToBeSentToDlq")
        print(f"events: could not dead-letter an event of {rule.arn} to {dlq}: {refused}", flush=True)
        return
    queue_name = dlq.split(":")[5]
    backend = sqs_backends[dlq.split(":")[4]][dlq.split(":")[3]]
    backend.send_message(
        queue_name,
        body,
        message_attributes={
            name: {"DataType": "Number" if name == "RETRY_ATTEMPTS" else "String", "StringValue": value}
            for name, value in attributes.items()
        },
    )
    rule_metrics(rule, "InvocationsSentToDlq")


def _call_api_destination(rule: Any, target: dict[str, Any], body: str) -> None:
    backend = events_models.events_backends[rule.account_id][rule.region_name]
    name = parse_arn(target["Arn"]).resource_id.split("/")[0]
    destination = backend.destinations.get(name)
    if destination is None:
        raise DeliveryError("RESOURCE_NOT_FOUND", f"API destination {name} does not exist", False)
    connection = next((c for c in backend.connections.values() if c.arn == destination.connection_arn), None)
    if connection is None:
        raise DeliveryError("RESOURCE_NOT_FOUND", f"connection {destination.connection_arn} does not exist", False)
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Amazon/EventBridge/ApiDestinations"}
    query: dict[str, str] = {}
    auth = connection.auth_parameters or {}
    if connection.authorization_type == "API_KEY":
        key = auth.get("ApiKeyAuthParameters", {})
        headers[key.get("ApiKeyName", "x-api-key")] = key.get("ApiKeyValue", "")
    elif connection.authorization_type == "BASIC":
        basic = auth.get("BasicAuthParameters", {})
        token = base64.b64encode(f"{basic.get('Username', '')}:{basic.get('Password', '')}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    else:
        raise DeliveryError("UNSUPPORTED", f"{connection.authorization_type} connections are not emulated", False)
    invocation = auth.get("InvocationHttpParameters", {})
    headers.update({p["Key"]: p["Value"] for p in invocation.get("HeaderParameters", [])})
    query.update({p["Key"]: p["Value"] for p in invocation.get("QueryStringParameters", [])})
    http = target.get("HttpParameters") or {}
    headers.update(http.get("HeaderParameters") or {})
    query.update(http.get("QueryStringParameters") or {})
    url = destination.invocation_endpoint
    for value in http.get("PathParameterValues") or []:
        url = url.replace("*", urllib.parse.quote(value, safe=""), 1)
    if query:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
    method = destination.http_method
    data = None if method in ("GET", "HEAD") else body.encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=API_DESTINATION_TIMEOUT_S) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryError(
            f"HTTP_{exc.code}",
            f"{method} {destination.invocation_endpoint} answered {exc.code}",
            exc.code == 429 or exc.code >= 500,
        ) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise DeliveryError("CONNECTION_FAILURE", f"{method} {destination.invocation_endpoint}: {exc}", True) from None


def _json_path(event: dict[str, Any], path: str) -> Any:
    value: Any = event
    for part in [p for p in path.lstrip("$").split(".") if p]:
        value = value[part]
    return value


def _deliver(service: LambdaService, rule: Any, target: dict[str, Any], body: str) -> None:
    target_arn = target["Arn"]
    arn = parse_arn(target_arn)
    if arn.service == "events":
        _call_api_destination(rule, target, body)
    elif arn.service == "lambda":
        function = find_function(target_arn)
        if not service_may_invoke(function, "events.amazonaws.com", rule.arn, rule.account_id):
            raise DeliveryError(
                "NO_PERMISSIONS", f"{target_arn} has no permission for events.amazonaws.com from {rule.arn}", False
            )
        service.invoke_async(function, body)
    elif arn.service == "sns":
        _publish_as_eventbridge(target_arn, rule, body)
    elif arn.service == "states":
        _start_execution_as_target_role(service, rule, target, body)
    elif arn.service == "sqs":
        _send_as_eventbridge(target, rule, body)


def _start_execution_as_target_role(service: LambdaService, rule: Any, target: dict[str, Any], body: str) -> None:
    """EventBridge starts an execution as the target's role (RoleArn), which must trust events.amazonaws.com
    and may states:StartExecution; else NO_PERMISSIONS, as EventBridge reports it."""
    role_arn, region = target.get("RoleArn"), target["Arn"].split(":")[3]
    session = iam.service_session(
        role_arn,
        "events.amazonaws.com",
        "localcloud-events",
        region,
        source_arn=rule.arn,
        source_account=rule.account_id,
    )
    if session is None:
        raise DeliveryError(
            "NO_PERMISSIONS", f"EventBridge cannot assume the target's role {role_arn} to start {target['Arn']}", False
        )
    client = iam.session_client("stepfunctions", region, service.endpoint_url, session)
    try:
        client.start_execution(stateMachineArn=target["Arn"], input=body)
    except client.exceptions.ClientError as exc:
        if exc.response["Error"]["Code"] in ("AccessDeniedException", "AccessDenied"):
            raise DeliveryError("NO_PERMISSIONS", exc.response["Error"]["Message"], False) from None
        raise


def _publish_as_eventbridge(topic_arn: str, rule: Any, body: str) -> None:
    """EventBridge publishes as events.amazonaws.com, not as a principal of the account: the topic policy
    must allow it and no statement deny it (else NO_PERMISSIONS, as EventBridge reports it)."""
    topic = find_topic(topic_arn, topic_arn.split(":")[3])
    if topic is None:
        raise DeliveryError("RESOURCE_NOT_FOUND", f"topic {topic_arn} does not exist", False)
    refused = service_publish_refusal(topic, "events.amazonaws.com", rule.arn, rule.account_id)
    if refused:
        raise DeliveryError("NO_PERMISSIONS", refused, False)
    topic.publish(body)


def _send_as_eventbridge(target: dict[str, Any], rule: Any, body: str) -> None:
    """EventBridge sends to a queue as events.amazonaws.com: the queue's policy must allow it for the rule (and
    the queue's key's policy let it encrypt), else NO_PERMISSIONS; a FIFO queue needs the target's message
    group and content-based deduplication."""
    _, _, _, region, account, name = target["Arn"].split(":", 5)
    queue = _queue_eventbridge_may_send_to(target["Arn"], rule)
    group = (target.get("SqsParameters") or {}).get("MessageGroupId")
    if name.endswith(".fifo") and (not group or str(queue.content_based_deduplication).lower() != "true"):
        raise DeliveryError(
            "SQS_FIFO_REQUIRES_GROUP_AND_CONTENT_DEDUPLICATION",
            f"{queue.queue_arn} is FIFO: the target needs a MessageGroupId and the queue content-based deduplication",
            False,
        )
    sqs_backends[account][region].send_message(name, body, group_id=group if name.endswith(".fifo") else None)


def _queue_eventbridge_may_send_to(queue_arn: str, rule: Any) -> Any:
    """The queue, when its policy lets events.amazonaws.com send from the rule and its key's policy lets it
    encrypt; else NO_PERMISSIONS (RESOURCE_NOT_FOUND for a queue that is gone)."""
    _, _, _, region, account, name = queue_arn.split(":", 5)
    queue = sqs_backends[account][region].queues.get(name)
    if queue is None:
        raise DeliveryError("RESOURCE_NOT_FOUND", f"queue {queue_arn} does not exist", False)
    refused = service_send_refusal(queue, "events.amazonaws.com", rule.arn, rule.account_id)
    if refused is not None:
        raise DeliveryError("NO_PERMISSIONS", refused, False)
    return queue
