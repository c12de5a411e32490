"""EventBridge Scheduler invokes a schedule's target as the schedule's role, retries, then dead-letters.

Each invocation assumes the target's `RoleArn` as `scheduler.amazonaws.com` (its trust policy is checked,
with the schedule group's ARN as `aws:SourceArn`) and calls the target's API with the role's credentials,
so the role's policy, resource policies and key policies decide as in AWS: Lambda `Invoke` (asynchronous),
SQS `SendMessage`, SNS `Publish`, Step Functions `StartExecution`, EventBridge `PutEvents`, Kinesis and
Firehose `PutRecord`, and universal targets (`arn:aws:scheduler:::aws-sdk:<service>:<apiAction>`, the Input
as the request). A retryable failure (throttling, a 5xx, a timeout) is tried again under the target's
`RetryPolicy`; then, or at once for a permanent failure, the payload goes to the dead-letter queue (sent
as the role) with Scheduler's attributes, or is dropped.
"""

from __future__ import annotations

import json
import random
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from localcloud.core import iam, metrics
from localcloud.core.scheduler import Scheduler
from localcloud.scheduler import expressions
from localcloud.scheduler.clock import Occurrence, as_utc
from localcloud.sqs.service_delivery import queue_url

SERVICE = "scheduler.amazonaws.com"
DEFAULT_RETRY_ATTEMPTS, DEFAULT_EVENT_AGE_S = 185, 86400
RETRYABLE_CODES = {
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "Throttled",
    "RequestThrottled",
    "SlowDown",
    "ProvisionedThroughputExceededException",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "InternalFailure",
    "InternalError",
    "InternalServerError",
    "RequestTimeout",
    "KMS.ThrottlingException",
}
THROTTLING_CODES = {"Throttling", "ThrottlingException", "TooManyRequestsException", "Throttled", "RequestThrottled"}
# botocore names the universal targets' services as the SDKs do; these are the ones that differ.
SDK_SERVICE_NAMES = {"sfn": "stepfunctions", "cloudwatchlogs": "logs", "eventbridge": "events"}
# The actions a universal target may not name (Scheduler refuses read-only APIs).
READ_ONLY_PREFIXES = (
    "get", "describe", "list", "poll", "receive", "search", "scan", "query", "select", "read", "lookup",
    "discover", "validate", "batchGet", "batchDescribe", "batchRead", "transactGet", "adminGet", "adminList",
    "testMigration", "retrieve", "testConnection", "translateDocument", "isAuthorized", "invokeModel",
)  # fmt: skip
MAX_DEAD_LETTER_BYTES = 256 * 1024


class TargetError(Exception):
    def __init__(self, code: str, message: str, retryable: bool, throttled: bool = False) -> None:
        super().__init__(message)
        self.code, self.retryable, self.throttled = code, retryable, throttled


@dataclass
class Invocation:
    """One scheduled time's delivery to a target, across its attempts."""

    schedule: Any
    target: dict[str, Any]
    scheduled_time: datetime
    account: str
    region: str
    first_try: float = field(default_factory=time.monotonic)
    attempt: int = 1
    version: Any = None  # the schedule's last modification when it fired

    def __post_init__(self) -> None:
        self.version = self.schedule.last_modified_date

    @property
    def group_arn(self) -> str:
        partition = self.schedule.arn.split(":")[1]
        return f"arn:{partition}:scheduler:{self.region}:{self.account}:schedule-group/{self.schedule.group_name}"

    def payload(self, execution_id: str) -> str:
        """The target's Input with Scheduler's context attributes filled in; `{}` when there is none (AWS sends a
        notification it does not document)."""
        text = self.target.get("Input") or "{}"
        for name, value in (
            ("schedule-arn", self.schedule.arn),
            ("scheduled-time", self.scheduled_time.strftime("%Y-%m-%dT%H:%M:%SZ")),
            ("execution-id", execution_id),
            ("attempt-number", str(self.attempt)),
        ):
            text = text.replace(f"<aws.scheduler.{name}>", value)
        return text


def read_only_action(target_arn: str) -> bool:
    if ":aws-sdk:" not in target_arn:
        return False
    action = target_arn.rsplit(":", 1)[1]
    return any(action.startswith(prefix) for prefix in READ_ONLY_PREFIXES)


class Deliverer:
    def __init__(self, endpoint_url: str, retry_delay_s: float) -> None:
        self.endpoint_url = endpoint_url
        self.retry_delay_s = retry_delay_s
        self.pool = Scheduler(workers=4, name="schedule-targets")

    def stop(self) -> None:
        self.pool.shutdown()

    def fire(self, occurrence: Occurrence) -> None:
        schedule = occurrence.source
        _, _, _, region, account, _ = schedule.arn.split(":", 5)
        invocation = Invocation(
            schedule, json.loads(json.dumps(schedule.target)), occurrence.scheduled_time, account, region
        )
        window = schedule.flexible_time_window or {}
        delay_s = 0.0
        if window.get("Mode") == "FLEXIBLE" and not occurrence.advanced:  # some time within the window
            delay_s = random.uniform(0, 60 * int(window.get("MaximumWindowInMinutes", 1)))
        self.pool.submit(lambda: self._attempt(invocation), delay_s)

    def _metric(self, invocation: Invocation, *names: str) -> None:
        metrics.scheduler(invocation.account, invocation.region, invocation.schedule.group_name, names)

    def _attempt(self, invocation: Invocation) -> None:
        execution_id = secrets.token_hex(8)
        payload = invocation.payload(execution_id)
        self._metric(invocation, "InvocationAttemptCount")
        credentials = iam.service_session(
            invocation.target.get("RoleArn"),
            SERVICE,
            "localcloud-scheduler",
            invocation.region,
            source_arn=invocation.group_arn,
            source_account=invocation.account,
        )
        if credentials is None:
            # Without the role Scheduler can neither call the target nor send to the dead-letter queue.
            self._metric(invocation, "InvocationDroppedCount")
            print(
                f"scheduler: dropped {invocation.schedule.arn} at {invocation.scheduled_time:%Y-%m-%dT%H:%M:%SZ}: "
                f"{SERVICE} cannot assume {invocation.target.get('RoleArn')}",
                flush=True,
            )
            self._completed(invocation)
            return
        try:
            self._call(invocation, payload, credentials)
            self._completed(invocation)
            return
        except TargetError as exc:
            error = exc
        self._metric(invocation, "TargetErrorCount", *(("TargetErrorThrottledCount",) if error.throttled else ()))
        policy = invocation.target.get("RetryPolicy") or {}
        max_retries = int(policy.get("MaximumRetryAttempts", DEFAULT_RETRY_ATTEMPTS))
        max_age_s = int(policy.get("MaximumEventAgeInSeconds", DEFAULT_EVENT_AGE_S))
        delay_s = self.retry_delay_s * invocation.attempt
        retries = invocation.attempt - 1
        if error.retryable and retries < max_retries and time.monotonic() - invocation.first_try + delay_s < max_age_s:
            invocation.attempt += 1
            self.pool.submit(lambda: self._attempt(invocation), delay_s)
            return
        exhausted = None
        if error.retryable:
            exhausted = "MaximumRetryAttempts" if retries >= max_retries else "MaximumEventAgeInSeconds"
        self._dead_letter(invocation, payload, execution_id, error, exhausted, credentials)
        self._completed(invocation)

    def _client(self, service: str, region: str, credentials: dict[str, str]) -> Any:
        return iam.session_client(
            service, region, self.endpoint_url, credentials, Config(retries={"max_attempts": 1}, read_timeout=30)
        )

    def _call(self, invocation: Invocation, payload: str, credentials: dict[str, str]) -> None:
        target = invocation.target
        arn = target["Arn"]
        service = arn.split(":")[2]
        region = arn.split(":")[3] or invocation.region
        client = None
        try:
            if service == "scheduler":  # arn:aws:scheduler:::aws-sdk:<service>:<apiAction>
                sdk_service, action = arn.split(":")[6], arn.split(":")[7]
                client = self._client(SDK_SERVICE_NAMES.get(sdk_service, sdk_service), invocation.region, credentials)
                operation = action[0].upper() + action[1:]
                client._make_api_call(operation, json.loads(payload))
                return
            client = self._client(service, region, credentials)
            if service == "lambda":
                client.invoke(FunctionName=arn, InvocationType="Event", Payload=payload.encode())
            elif service == "sqs":
                group = (target.get("SqsParameters") or {}).get("MessageGroupId")
                client.send_message(
                    QueueUrl=queue_url(self.endpoint_url, arn),
                    MessageBody=payload,
                    **({"MessageGroupId": group} if group else {}),
                )
            elif service == "sns":
                client.publish(TopicArn=arn, Message=payload)
            elif service == "states":
                client.start_execution(stateMachineArn=arn, input=payload)
            elif service == "events":
                parameters = target.get("EventBridgeParameters") or {}
                answer = client.put_events(
                    Entries=[
                        {
                            "EventBusName": arn,
                            "Source": parameters.get("Source", ""),
                            "DetailType": parameters.get("DetailType", ""),
                            "Detail": payload,
                        }
                    ]
                )
                if answer.get("FailedEntryCount"):
                    code = answer["Entries"][0].get("ErrorCode", "PutEventsFailed")
                    raise TargetError(
                        f"AWS.EventBridge.{code}",
                        answer["Entries"][0].get("ErrorMessage", ""),
                        code in RETRYABLE_CODES,
                        code in THROTTLING_CODES,
                    )
            elif service == "kinesis":
                key = (target.get("KinesisParameters") or {}).get("PartitionKey", "")
                client.put_record(StreamARN=arn, Data=payload.encode(), PartitionKey=key)
            elif service == "firehose":
                client.put_record(DeliveryStreamName=arn.rsplit("/", 1)[1], Record={"Data": payload.encode()})
            else:
                raise TargetError("AWS.Scheduler.UnsupportedTarget", f"{service} targets are not emulated", False)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "") or "ClientError"
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            raise TargetError(
                f"AWS.{_service_label(client)}.{code}",
                exc.response.get("Error", {}).get("Message", str(exc)),
                code in RETRYABLE_CODES or status >= 500,
                code in THROTTLING_CODES,
            ) from None
        except (BotoCoreError, OSError) as exc:
            raise TargetError("AWS.Scheduler.InternalServerError", str(exc), True) from None
        except (ValueError, AttributeError) as exc:  # an Input that is not the request the action takes
            raise TargetError("AWS.Scheduler.InvalidInput", str(exc), False) from None

    def _dead_letter(
        self,
        invocation: Invocation,
        payload: str,
        execution_id: str,
        error: TargetError,
        exhausted: str | None,
        credentials: dict[str, str],
    ) -> None:
        dlq = (invocation.target.get("DeadLetterConfig") or {}).get("Arn")
        if not dlq:
            self._metric(invocation, "InvocationDroppedCount")
            print(f"scheduler: dropped {invocation.schedule.arn}: {error.code} {error}", flush=True)
            return
        truncated = len(payload.encode()) > MAX_DEAD_LETTER_BYTES
        attributes = {
            "ERROR_CODE": error.code,
            "ERROR_MESSAGE": str(error)[:1000],
            "EXECUTION_ID": execution_id,
            "IS_PAYLOAD_TRUNCATED": "true" if truncated else "false",
            "RETRY_ATTEMPTS": str(invocation.attempt - 1),
            "SCHEDULED_TIME": invocation.scheduled_time.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "SCHEDULE_ARN": invocation.schedule.arn,
            "TARGET_ARN": invocation.target["Arn"],
        }
        if exhausted:
            attributes["EXHAUSTED_RETRY_CONDITION"] = exhausted
        region = dlq.split(":")[3]
        try:  # as the schedule's role: it needs sqs:SendMessage (and the queue's key)
            self._client("sqs", region, credentials).send_message(
                QueueUrl=queue_url(self.endpoint_url, dlq),
                MessageBody=payload.encode()[:MAX_DEAD_LETTER_BYTES].decode(errors="ignore"),
                MessageAttributes={k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()},
            )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            self._metric(
                invocation,
                "InvocationsFailedToBeSentToDeadLetterCount",
                f"InvocationsFailedToBeSentToDeadLetterCount_AWS.SimpleQueueService.{code}",
            )
            print(f"scheduler: could not dead-letter {invocation.schedule.arn} to {dlq}: {code}", flush=True)
            return
        self._metric(
            invocation,
            "InvocationsSentToDeadLetterCount",
            *(("InvocationsSentToDeadLetterCount_Truncated_MessageSizeExceeded",) if truncated else ()),
        )

    def _completed(self, invocation: Invocation) -> None:
        """`ActionAfterCompletion: DELETE` deletes the schedule after its last invocation (a one-time schedule's
        only one; a recurring schedule's last before its end date)."""
        schedule = invocation.schedule
        if schedule.action_after_completion != "DELETE":
            return
        expression = expressions.parse(schedule.schedule_expression)
        if not isinstance(expression, expressions.At):
            end = as_utc(schedule.end_date)
            if end is None:
                return
            anchor = as_utc(schedule.start_date) or as_utc(schedule.last_modified_date)
            zone = _zone(schedule)
            if expressions.next_time(expression, invocation.scheduled_time, zone, anchor, end) is not None:  # type: ignore[arg-type]
                return
        from moto.scheduler.models import scheduler_backends

        group = scheduler_backends[invocation.account][invocation.region].schedule_groups.get(schedule.group_name)
        # Not a schedule updated since it fired: its new times are still to come.
        if (
            group is not None
            and group.schedules.get(schedule.name) is schedule
            and schedule.last_modified_date == invocation.version
        ):
            del group.schedules[schedule.name]


def _zone(schedule: Any) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(schedule.schedule_expression_timezone or "UTC")


def _service_label(client: Any) -> str:
    """AWS.<service>.<code>: the service's full name without its brand (AWS.SimpleQueueService.NonExistentQueue)."""
    if client is None:
        return "Scheduler"
    full = client.meta.service_model.metadata.get("serviceFullName", "Scheduler")
    return "".join(part for part in full.split() if part not in ("Amazon", "AWS"))
