"""EventBridge: rules deliver to Lambda, SNS, Step Functions and API destinations, with retries and DLQs."""

from __future__ import annotations

from typing import Any

from localcloud.extension import Context, Extension, Feature


def install(context: Context) -> None:
    from localcloud.events import targets

    targets.install(context.services["lambda"])
    _install_patterns()
    _install_test_event_pattern()


def _install_patterns() -> None:
    """moto's EventPattern with the local cloud's matcher (for moto's own uses: archives, replays), and a
    pattern refused as EventBridge refuses it (event-ruler's reasons; moto accepted unknown match types and
    answered 500 for a pattern that is not an object)."""
    import json

    from moto.events.exceptions import InvalidEventPatternException
    from moto.events.models import EventPattern, EventPatternParser

    from localcloud.core import event_patterns

    def parse(self: Any) -> dict[str, Any]:
        if not self.pattern:
            return {}
        try:
            parsed = json.loads(self.pattern)
        except ValueError:
            raise InvalidEventPatternException(reason="Invalid JSON") from None
        problem = event_patterns.problem(parsed)
        if problem:
            raise InvalidEventPatternException(reason=problem)
        return parsed  # type: ignore[no-any-return]

    EventPatternParser.parse = parse
    EventPattern.matches_event = lambda self, event: event_patterns.matches(self.get_pattern(), event)


# TestEventPattern refuses an event without these ("resources", which AWS's reference lists too, is not needed).
MANDATORY_EVENT_FIELDS = ("id", "account", "source", "time", "region", "detail-type")


def _install_test_event_pattern() -> None:
    """TestEventPattern answers with the matcher rules use (moto answered nothing)."""
    import json

    from moto.core.exceptions import JsonRESTError
    from moto.events.models import EventPattern
    from moto.events.responses import EventsHandler

    from localcloud.core import event_patterns

    def test_event_pattern(self: Any) -> str:
        pattern = EventPattern.load(self._get_param("EventPattern"))  # InvalidEventPatternException, as rules
        try:
            event = json.loads(self._get_param("Event") or "")
        except ValueError:
            event = None
        if not isinstance(event, dict) or any(field not in event for field in MANDATORY_EVENT_FIELDS):
            raise JsonRESTError("ValidationException", "Parameter Event is not valid.")
        return json.dumps({"Result": event_patterns.matches(pattern.get_pattern(), event)})

    EventsHandler.test_event_pattern = test_event_pattern


EXTENSION = Extension(
    service="events",
    summary="targets delivered, retried and dead-lettered",
    install=install,
    features=(
        Feature(
            title="EventBridge targets",
            does=(
                "Lambda (asynchronous invocation), SNS, SQS, Step Functions and API destinations (the event as the JSON body, "
                "the connection's API key or basic authorization, the target's path, header and query parameters, 5 s "
                "timeout) receive matching events, in AWS's envelope (`account` included, `time` in ISO 8601) or as the "
                "target's input transformer, `Input` or `InputPath` shapes them. A retryable failure (throttling, 5xx, "
                "HTTP 429, timeout, refused connection) is retried in the background under the target's `RetryPolicy` "
                "(`MaximumRetryAttempts` 185 and `MaximumEventAgeInSeconds` 86400 by default; the local retry delay times"
                " the attempt instead of AWS's exponential backoff); other failures (the target gone, a Lambda target "
                "without a permission for `events.amazonaws.com` from the rule: `NO_PERMISSIONS`) are not retried. Then "
                "the event goes to the target's dead-letter queue with "
                "`ERROR_CODE`/`ERROR_MESSAGE`/`RULE_ARN`/`TARGET_ARN`/`RETRY_ATTEMPTS`/`EXHAUSTED_RETRY_CONDITION` "
                "attributes, and never fails `PutEvents`. Executions started by a rule get unique names. An SNS target is"
                " published as `events.amazonaws.com`: the topic policy must allow it and no statement deny it, else "
                '`NO_PERMISSIONS` (a policy\'s `{"AWS": "*"}` names services too, and each caller carries '
                "`aws:PrincipalIsAWSService`). An SQS target is sent to as `events.amazonaws.com` too: the queue policy "
                "must allow it for the rule (and the queue's key its use), else `NO_PERMISSIONS`; a FIFO queue needs "
                "the target's `MessageGroupId` and content-based deduplication. The dead-letter queue is sent to as "
                "`events.amazonaws.com` as well (its policy and key checked; a refusal keeps nothing). `AWS/Events` "
                "metrics per rule (`RuleName`, with `EventBusName` on other buses): `MatchedEvents`, `TriggeredRules`, "
                "`InvocationAttempts`, `Invocations`, `FailedInvocations`, `InvocationsSentToDlq`, "
                "`InvocationsFailedToBeSentToDlq`."
            ),
            moto_without=(
                "`PutEvents` answers HTTP 500 for these targets; API destinations get an empty request; no retries; SQS "
                "targets got moto's own shape (no `account`, an epoch `time`) without any policy"
            ),
            code=("events/targets.py", "sqs/service_delivery.py"),
            tests=("localcloud/events/test_triggers.py", "localcloud/events/test_eventbridge_delivery.py"),
        ),
    ),
)
