"""SNS as AWS runs it: topic policies enforced, deliveries checked, counted and dead-lettered.

moto publishes to every subscription unchecked: anyone may publish, a topic in
another account cannot be reached at all, an SQS queue receives without a
queue policy letting SNS in, a delivery to a missing queue fails the Publish
call, `RawMessageDelivery=false` is read as true, and nothing is counted.
Here:
- `Publish`, `PublishBatch` and `Subscribe` evaluate the topic policy for the
  caller (the IAM identity of the request's access key; an assumed role is its
  role). An explicit Deny refuses; a caller from another account needs an
  Allow (and then reaches the topic in its owner's account). A caller the
  local cloud issued credentials for is also held to its own IAM policies
  (`core/authorization.py`).
  Subscribe conditions see `sns:Protocol` and `sns:Endpoint`.
- A delivery to SQS needs the queue policy to allow `sns.amazonaws.com`
  `sqs:SendMessage` (with `aws:SourceArn` = the topic), and one to Lambda the
  function's resource policy (AddPermission) to allow `sns.amazonaws.com`
  from the topic, as in AWS.
- A delivery to a queue encrypted with a KMS key needs the key policy to let
  `sns.amazonaws.com` `kms:GenerateDataKey` and `kms:Decrypt` (an AWS managed
  key never does), as in AWS (`kms.py`).
- A delivery that fails (queue or function gone, a policy refusing) goes to
  the subscription's dead-letter queue (`RedrivePolicy`), else it is dropped.
  Publish itself succeeds either way.
- The topic's CloudWatch metrics (`AWS/SNS`, dimension `TopicName`):
  `NumberOfMessagesPublished` per message, and per subscription
  `NumberOfNotificationsDelivered`, `NumberOfNotificationsFilteredOut`,
  `NumberOfNotificationsFailed`, `NumberOfNotificationsRedrivenToDlq`.
- X-Ray: the publisher's trace header is passed to every subscriber (SQS keeps it as `AWSTraceHeader`,
  Lambda continues it). A topic with `TracingConfig` `Active` records its own segment for a sampled
  message where X-Ray's resource policy admits SNS, and its subscribers continue the trace under it. `GetTopicAttributes` answers `TracingConfig`.
"""

from __future__ import annotations

import json
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends
from moto.sns import models as sns_models
from moto.sns import responses as sns_responses
from moto.sns.exceptions import SNSException, SNSInvalidParameter
from moto.sqs import sqs_backends
from moto.sts.models import sts_backends

from localcloud.core import event_patterns, iam, kms, policy
from localcloud.s3.buckets import REQUEST_CONTEXT
from localcloud.sqs.service_delivery import service_send_refusal
from localcloud.xray import topic_segments
from localcloud.xray.traces import INCOMING

NAMESPACE = "AWS/SNS"


class AuthorizationError(SNSException):
    code = "AuthorizationError"


def _is_true(value: Any) -> bool:
    return str(value).lower() == "true"


def caller_of(response: Any) -> policy.Caller:
    access_key = response.get_access_key()
    identity = iam.identity_of(access_key)
    if identity is not None:
        arn, account = identity.arn, identity.account
    else:  # the local cloud's root credentials
        _, arn, account = sts_backends[response.current_account]["aws"].get_caller_identity(access_key, response.region)
    caller = policy.Caller(arn=arn)
    caller.context.update(
        {
            "aws:PrincipalArn": caller.principal_arn,
            "aws:PrincipalAccount": account,
            "aws:SourceOwner": account,
            "aws:SourceAccount": account,
            **REQUEST_CONTEXT,
        }
    )
    return caller


def find_topic(topic_arn: str, region: str) -> Any | None:
    parts = topic_arn.split(":")
    if len(parts) < 6:
        return None
    return sns_models.sns_backends[parts[4]][parts[3] or region].topics.get(topic_arn)


def service_publish_refusal(topic: Any, service: str, source_arn: str, source_account: str) -> str | None:
    """Why an AWS service delivering on its own (events.amazonaws.com from a rule, cloudwatch.amazonaws.com
    from an alarm) may not publish into the topic: its policy, or its key's policy; None when it may."""
    caller = policy.Caller(service=service, context={"aws:SourceArn": source_arn, "aws:SourceAccount": source_account})
    if policy.evaluate(topic._policy_json, "SNS:Publish", topic.arn, caller) != "Allow":
        return f"the policy of {topic.arn} does not let {service} publish from {source_arn}"
    key = kms.topic_key(topic, topic.arn.split(":")[4], topic.arn.split(":")[3])
    if key is not None and not kms.service_may_use(service, key, kms.DELIVERY_ACTIONS, source_arn, source_account):
        return f"{topic.arn} is encrypted with {key.arn}, whose policy does not let {service} use it"
    return None


def authorize(response: Any, action: str, topic_arn: str | None) -> None:
    """Refuse the request, or point the response at the topic owner's account."""
    if not topic_arn:
        return
    topic = find_topic(topic_arn, response.region)
    if topic is None:
        return  # moto answers NotFound itself
    caller = caller_of(response)
    if action == "SNS:Subscribe":  # the keys subscription conditions use
        caller.context.update(
            {"sns:Protocol": response._get_param("Protocol"), "sns:Endpoint": response._get_param("Endpoint")}
        )
    effect = policy.evaluate(topic._policy_json, action, topic_arn, caller)
    owner = topic_arn.split(":")[4]
    if effect == "Deny":
        raise AuthorizationError(
            f"User: {caller.arn} is not authorized to perform: {action} on resource: "
            f"{topic_arn} with an explicit deny in a resource-based policy"
        )
    if caller.account != owner:
        if effect != "Allow":
            raise AuthorizationError(
                f"User: {caller.arn} is not authorized to perform: {action} on resource: "
                f"{topic_arn} because no resource-based policy allows the {action} action"
            )
        response.current_account = owner


def count(topic_arn: str, metric: str, value: float = 1.0) -> None:
    _, _, _, region, account, name = topic_arn.split(":", 5)
    cloudwatch_backends[account][region].put_metric_data(
        NAMESPACE,
        [{"MetricName": metric, "Value": value, "Unit": "Count", "Dimensions": [{"Name": "TopicName", "Value": name}]}],
    )


class DeliveryFailed(Exception):
    pass


def _sqs_queue(queue_arn: str) -> Any:
    _, _, _, region, account, name = queue_arn.split(":", 5)
    backend = sqs_backends[account][region]
    try:
        return backend, backend.get_queue(name)
    except Exception:
        raise DeliveryFailed(f"queue {queue_arn} does not exist") from None


def send_to_sqs(
    subscription: Any,
    queue_arn: str,
    message: str,
    message_id: str,
    subject: str | None,
    message_attributes: dict[str, Any] | None,
    group_id: str | None,
    deduplication_id: str | None,
) -> None:
    backend, queue = _sqs_queue(queue_arn)
    topic_arn = subscription.topic.arn
    refused = service_send_refusal(queue, "sns.amazonaws.com", topic_arn, topic_arn.split(":")[4])
    if refused is not None:
        raise DeliveryFailed(refused)
    attributes: dict[str, Any] = {}
    if _is_true(subscription.attributes.get("RawMessageDelivery")):
        for key, value in (message_attributes or {}).items():
            kind = "BinaryValue" if value["Type"].startswith("Binary") else "StringValue"
            attributes[key] = {"DataType": value["Type"], kind: str(value["Value"])}
        body = message
    else:
        body = json.dumps(
            subscription.get_post_data(message, message_id, subject, message_attributes=message_attributes)
        )
    backend.send_message(
        queue.name,
        body,
        message_attributes=attributes,
        deduplication_id=deduplication_id,
        group_id=group_id,
        validate_group_id=False,
    )


def attribute_view(message_attributes: dict[str, Any] | None) -> dict[str, Any]:
    """What a filter policy in MessageAttributes scope sees: each attribute as its type reads (a Number as a
    number, a String.Array as its elements); Binary attributes are not matched."""
    view: dict[str, Any] = {}
    for name, attribute in (message_attributes or {}).items():
        kind, value = attribute.get("Type") or attribute.get("DataType"), attribute.get("Value")
        if kind is None or value is None:
            continue
        if kind.startswith("Number"):
            try:
                view[name] = float(value)  # the matcher compares numbers by value
            except ValueError:
                continue
        elif kind.startswith("String.Array"):
            try:
                view[name] = json.loads(value)
            except ValueError:
                continue
        elif kind.startswith("String"):
            view[name] = value
    return view


def filter_policy_matches(policy_document: dict[str, Any], scope: str, attributes: Any, message: str) -> bool:
    """A subscription's filter policy, with the event pattern matcher EventBridge uses."""
    if scope == "MessageBody":
        try:
            body = json.loads(message)
        except ValueError:
            return False
        return isinstance(body, dict) and event_patterns.matches(policy_document, body)
    return event_patterns.matches(policy_document, attribute_view(attributes))


def _install_filter_policy_parsing() -> None:
    """A filter policy that is not a JSON object is refused as a parameter error (moto answered 500)."""
    backend = sns_models.SNSBackend
    set_attributes = backend.set_subscription_attributes

    def set_subscription_attributes(self: Any, arn: str, name: str, value: Any) -> None:
        if name == "FilterPolicy" and value:
            try:
                parsed = json.loads(value)
            except ValueError:
                raise SNSInvalidParameter("Invalid parameter: FilterPolicy: failed to parse JSON.") from None
            if not isinstance(parsed, dict):
                raise SNSInvalidParameter("Invalid parameter: FilterPolicy: Filter is not an object")
        set_attributes(self, arn, name, value)

    backend.set_subscription_attributes = set_subscription_attributes


def install() -> None:
    Subscription = sns_models.Subscription
    from moto.sns.utils import FilterPolicyMatcher

    FilterPolicyMatcher.matches = lambda self, attributes, message: filter_policy_matches(  # type: ignore[method-assign]
        self.filter_policy, self.filter_policy_scope, attributes, message
    )
    _install_filter_policy_parsing()
    deliver_other = Subscription.publish  # moto's, or the Lambda runner's for lambda subscriptions

    def publish(
        self: Any,
        message: str,
        message_id: str,
        subject: str | None = None,
        message_attributes: dict | None = None,
        group_id: str | None = None,
        deduplication_id: str | None = None,
        message_structure: str | None = None,
    ) -> None:
        topic_arn = self.topic.arn
        if self._filter_policy_matcher is not None and not self._filter_policy_matcher.matches(
            message_attributes, message
        ):
            count(topic_arn, "NumberOfNotificationsFilteredOut")
            return
        delivered = topic_segments.delivery(self.protocol, self.endpoint)
        token = INCOMING.set(delivered) if delivered is not None else None
        try:
            if self.protocol == "sqs":
                body = self._parse_message_structure(message, "sqs") if message_structure == "json" else message
                send_to_sqs(
                    self, self.endpoint, body, message_id, subject, message_attributes, group_id, deduplication_id
                )
            else:  # Lambda (lambda_/invoke.py checks the function and its permission) or moto's own
                deliver_other(
                    self,
                    message,
                    message_id,
                    subject=subject,
                    message_attributes=message_attributes,
                    group_id=group_id,
                    deduplication_id=deduplication_id,
                    message_structure=message_structure,
                )
        except Exception as exc:
            count(topic_arn, "NumberOfNotificationsFailed")
            redrive(self, message, message_id, subject, message_attributes, group_id, deduplication_id, exc)
            return
        finally:
            if token is not None:
                INCOMING.reset(token)
        count(topic_arn, "NumberOfNotificationsDelivered")

    def redrive(
        self: Any,
        message: str,
        message_id: str,
        subject: str | None,
        message_attributes: dict | None,
        group_id: str | None,
        deduplication_id: str | None,
        error: Exception,
    ) -> None:
        print(f"sns: delivery to {self.endpoint} failed: {error}", flush=True)
        redrive_policy = self.attributes.get("RedrivePolicy")
        if not redrive_policy:
            return
        try:
            dlq_arn = json.loads(redrive_policy)["deadLetterTargetArn"]
            send_to_sqs(self, dlq_arn, message, message_id, subject, message_attributes, group_id, deduplication_id)
        except Exception as exc:
            print(f"sns: dead-lettering for {self.arn} failed: {exc}", flush=True)
            return
        count(self.topic.arn, "NumberOfNotificationsRedrivenToDlq")

    Subscription.publish = publish

    topic_publish = sns_models.Topic.publish

    def counted_publish(self: Any, *args: Any, **kwargs: Any) -> str:
        incoming = INCOMING.get()
        traced = topic_segments.begin(self, incoming)
        if traced is not None:
            INCOMING.set(traced.header)  # the deliveries continue under the topic's segment
        try:
            message_id = topic_publish(self, *args, **kwargs)
        finally:
            if traced is not None:
                INCOMING.set(incoming)
                topic_segments.finished(traced)
        count(self.arn, "NumberOfMessagesPublished")
        return message_id

    sns_models.Topic.publish = counted_publish
    get_attributes = sns_responses.SNSResponse.get_topic_attributes

    def get_topic_attributes(self: Any) -> Any:
        answer = get_attributes(self)
        tracing = getattr(self.backend.get_topic(self._get_param("TopicArn")), "tracing_config", None)
        if tracing:
            answer.result["Attributes"]["TracingConfig"] = tracing
        return answer

    sns_responses.SNSResponse.get_topic_attributes = get_topic_attributes

    Response = sns_responses.SNSResponse
    for name, action in (("publish", "SNS:Publish"), ("publish_batch", "SNS:Publish"), ("subscribe", "SNS:Subscribe")):
        setattr(Response, name, _authorized(getattr(Response, name), action))


def _authorized(handler: Any, action: str) -> Any:
    def guarded(self: Any) -> Any:
        authorize(self, action, self._get_param("TopicArn") or self._get_param("TargetArn"))
        return handler(self)

    guarded.__name__ = handler.__name__
    return guarded
