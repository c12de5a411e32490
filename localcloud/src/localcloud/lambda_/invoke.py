"""Lambda invocation: run the deployed code, synchronously or as AWS's async path.

Replaces moto's Docker-based ``LambdaFunction.invoke`` (every caller goes
through it: the Invoke API, SQS event source mappings, SNS, S3, streams, Step
Functions tasks) with :class:`~localcloud.lambda_.runner.LambdaRunner`,
and gives the producers that AWS runs asynchronously (SNS, S3) the async path:
answer at once, retry, then the on-failure destination or dead-letter queue.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.awslambda import models as lambda_models
from moto.core.exceptions import JsonRESTError

from localcloud.core import metrics
from localcloud.core.scheduler import Scheduler
from localcloud.lambda_.runner import FunctionSpec, Invocation, LambdaRunner, Layer, Throttled
from localcloud.sqs.service_delivery import queue_url
from localcloud.xray import lambda_segments
from localcloud.xray.traces import INCOMING, TraceHeader

MAX_LOG_TAIL = 4096


class TooManyRequestsException(JsonRESTError):
    code = 429

    def __init__(self, message: str) -> None:
        super().__init__("TooManyRequestsException", message)
        self.description = json.dumps(
            {"Reason": "ReservedFunctionConcurrentInvocationLimitExceeded", "Type": "User", "message": message}
        )


class EnvironmentKeyException(JsonRESTError):
    """Lambda could not decrypt the function's environment variables with its KMSKeyArn."""

    code = 502


# KMS key state -> Lambda's error and its words (AWS's, at invoke).
KEY_STATE_ERRORS = {
    "Disabled": (
        "KMSDisabledException",
        "Lambda was unable to decrypt the environment variables because the KMS key used is disabled. "
        "Please check the function's KMS key settings.",
    ),
    "PendingDeletion": (
        "KMSInvalidStateException",
        "Lambda was unable to decrypt the environment variables because the KMS key used is in an invalid state "
        "for Decrypt. Please check the function's KMS key settings.",
    ),
}
KEY_NOT_FOUND = (
    "KMSNotFoundException",
    "Lambda was unable to decrypt the environment variables because the KMS key was not found. "
    "Please check the function's KMS key settings.",
)


def check_environment_key(fn: lambda_models.LambdaFunction) -> None:
    """A function whose environment is encrypted with a customer managed key runs only while that key can
    decrypt: deleted, disabled or pending deletion, each invoke fails as Lambda fails it."""
    key_arn = getattr(fn, "kms_key_arn", None)
    if not key_arn or not getattr(fn, "environment_vars", None):
        return
    from moto.kms.models import kms_backends

    parts = str(key_arn).split(":")
    account, region = (parts[4], parts[3]) if len(parts) >= 6 else (fn.account_id, fn.region)
    try:
        key = kms_backends[account][region].describe_key(str(key_arn))
    except Exception:
        raise EnvironmentKeyException(*KEY_NOT_FOUND) from None
    problem = KEY_STATE_ERRORS.get(str(getattr(key, "key_state", "Enabled")))
    if problem is not None:
        raise EnvironmentKeyException(*problem)


def _header(headers: Any, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _layers(fn: lambda_models.LambdaFunction) -> tuple[Layer, ...]:
    backend = lambda_models.lambda_backends[fn.account_id][fn.region]
    layers = []
    for layer in fn.layers or []:
        version = backend.layers_versions_by_arn(layer["Arn"])
        layers.append(Layer(version.code_sha_256.replace("/", "_").replace("+", "-"), version.code_bytes))
    return tuple(layers)


def function_spec(fn: lambda_models.LambdaFunction) -> FunctionSpec:
    logging_config = getattr(fn, "logging_config", None) or {}
    reserved = fn.reserved_concurrency
    return FunctionSpec(
        arn=fn.function_arn,
        name=fn.function_name,
        version=str(fn.version),
        region=fn.region,
        handler=fn.handler,
        runtime=fn.run_time or "python3.11",
        timeout_s=int(fn.timeout),
        memory_mb=int(fn.memory_size),
        environment={k: str(v) for k, v in (fn.environment_vars or {}).items()},
        code_sha256=fn.code_sha_256.replace("/", "_").replace("+", "-"),
        code_zip=fn.code_bytes,
        layers=_layers(fn),
        log_group=logging_config.get("LogGroup") or fn.logs_group_name,
        reserved_concurrency=int(reserved) if reserved not in (None, "", -1, "-1") else None,
        role_arn=fn.role or "",
        vpc=_vpc(fn),
        tracing=str((fn.tracing_config or {}).get("Mode") or "PassThrough"),
    )


def _vpc(fn: lambda_models.LambdaFunction) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    config = fn.vpc_config or {}
    return (
        str(config.get("VpcId") or ""),
        tuple(config.get("SubnetIds") or ()),
        tuple(config.get("SecurityGroupIds") or ()),
    )


@dataclass
class AsyncEvent:
    """An event on Lambda's asynchronous path, between its attempts."""

    function: lambda_models.LambdaFunction
    event: str
    request_id: str
    queued_at: float
    attempts: int = 0
    throttles: int = 0
    invocation: Invocation | None = None
    trace: TraceHeader | None = None  # the trace header the event arrived with


class LambdaService:
    """Runs invocations for moto's Lambda model and writes their logs."""

    def __init__(self, runner: LambdaRunner, endpoint_url: str, retry_delay_s: float) -> None:
        self.runner = runner
        self.endpoint_url = endpoint_url
        self.retry_delay_s = retry_delay_s
        self._scheduler = Scheduler(workers=32, name="lambda-async")
        self._streams: set[tuple[str, str]] = set()
        self._streams_lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}
        self._role_clients: dict[tuple[str, str, str, str], Any] = {}

    # -- synchronous ---------------------------------------------------------
    def run(self, fn: lambda_models.LambdaFunction, event: str, trace: TraceHeader | None = None) -> Invocation:
        """One invocation; `trace`: the header it arrived with (by default the request's being served)."""
        spec = function_spec(fn)
        traced = lambda_segments.begin(
            lambda_segments.Function(spec.arn, spec.name, fn.account_id, fn.region, spec.role_arn, spec.tracing),
            trace if trace is not None else INCOMING.get(),
        )
        try:
            invocation = self.runner.invoke(spec, event, str(traced.header))
        except Throttled:
            metrics.lambda_throttled(fn.account_id, fn.region, fn.function_name)
            lambda_segments.throttled(traced)
            raise
        lambda_segments.finished(traced, invocation)
        self._write_logs(fn, spec, invocation)
        metrics.lambda_invoked(fn.account_id, fn.region, fn.function_name, invocation)
        metrics.publish_emf(fn.account_id, fn.region, invocation.log_text.splitlines())
        return invocation

    def _write_logs(self, fn: lambda_models.LambdaFunction, spec: FunctionSpec, inv: Invocation) -> None:
        logs = fn.logs_backend
        group = spec.log_group
        logs.ensure_log_group(group)
        with self._streams_lock:
            if (group, inv.log_stream) not in self._streams:
                try:
                    logs.create_log_stream(group, inv.log_stream)
                except Exception:  # already there, from an earlier server-side write
                    pass
                self._streams.add((group, inv.log_stream))
        init = f"\tInit Duration: {inv.init_duration_ms:.2f} ms" if inv.init_duration_ms is not None else ""
        lines = [f"START RequestId: {inv.request_id} Version: {spec.version}"]
        # One event per line the function wrote; a \r inside a line (the Node.js runtime's record framing) stays.
        lines += inv.log_text.rstrip("\n").split("\n") if inv.log_text else []
        lines += [
            f"END RequestId: {inv.request_id}",
            f"REPORT RequestId: {inv.request_id}\tDuration: {inv.duration_ms:.2f} ms\t"
            f"Billed Duration: {max(1, int(inv.duration_ms + 0.999))} ms\tMemory Size: {spec.memory_mb} MB{init}",
        ]
        now = int(time.time() * 1000)
        logs.put_log_events(group, inv.log_stream, [{"timestamp": now, "message": line} for line in lines])

    def invoke_sync(self, fn: lambda_models.LambdaFunction, event: str, response_headers: dict) -> bytes:
        try:
            invocation = self.run(fn, event)
        except Throttled as exc:
            raise TooManyRequestsException(str(exc)) from exc
        if invocation.error_type is not None:
            response_headers["x-amz-function-error"] = "Unhandled"
        response_headers["x-amz-executed-version"] = str(fn.version)
        tail = invocation.log_text.encode()[-MAX_LOG_TAIL:]
        response_headers["x-amz-log-result"] = base64.b64encode(tail).decode()
        return invocation.payload

    # -- asynchronous (InvocationType=Event, SNS, S3) --------------------------
    def invoke_async(self, fn: lambda_models.LambdaFunction, event: str) -> str:
        item = AsyncEvent(fn, event, str(uuid.uuid4()), time.time(), trace=INCOMING.get())
        self._scheduler.submit(lambda: self._attempt_async(item))
        return item.request_id

    def _event_invoke_config(self, fn: lambda_models.LambdaFunction) -> dict:
        configs = [c.config for c in getattr(fn, "event_invoke_config", [])]
        return configs[-1] if configs else {}

    def _attempt_async(self, item: AsyncEvent) -> None:
        """One attempt of an asynchronous event; a retry or a throttled event waits on the scheduler, not a thread."""
        fn = item.function
        config = self._event_invoke_config(fn)
        max_retries = int(config.get("MaximumRetryAttempts", 2))
        max_age = int(config.get("MaximumEventAgeInSeconds", 21600))
        if time.time() - item.queued_at > max_age:
            self._async_failed(item, config, "EventAgeExceeded")
            return
        try:
            item.invocation = self.run(fn, item.event, item.trace)
        except Throttled:
            # Throttled events are retried without counting as attempts, backing off as AWS does.
            item.throttles += 1
            self._scheduler.submit(
                lambda: self._attempt_async(item), self.retry_delay_s * min(2 ** (item.throttles - 1), 64)
            )
            return
        item.attempts += 1
        if item.invocation.error_type is None:
            destination = (config.get("DestinationConfig") or {}).get("OnSuccess", {}).get("Destination")
            if destination:
                self._deliver(
                    fn,
                    destination,
                    self._record(fn, item.event, item.request_id, "Success", item.attempts, item.invocation),
                )
            return
        if item.attempts > max_retries:
            self._async_failed(item, config, "RetriesExhausted")
            return
        self._scheduler.submit(lambda: self._attempt_async(item), self.retry_delay_s * item.attempts)

    def _async_failed(self, item: AsyncEvent, config: dict, condition: str) -> None:
        fn = item.function
        record = self._record(fn, item.event, item.request_id, condition, item.attempts, item.invocation)
        destination = (config.get("DestinationConfig") or {}).get("OnFailure", {}).get("Destination")
        if destination:
            self._deliver(fn, destination, record)
        dlq = (getattr(fn, "dead_letter_config", None) or {}).get("TargetArn")
        if dlq and not destination:
            self._dead_letter(fn, dlq, item.event, item.request_id, item.invocation)
        if not destination and not dlq:
            print(
                f"lambda: async event {item.request_id} for {fn.function_name} dropped after {condition} "
                f"(no on-failure destination or DLQ)",
                flush=True,
            )

    @staticmethod
    def _record(
        fn: lambda_models.LambdaFunction,
        event: str,
        request_id: str,
        condition: str,
        attempts: int,
        invocation: Invocation | None,
    ) -> dict:
        """The destination record shape of AWS's asynchronous invocation."""
        response_context: dict[str, Any] = {"statusCode": 200, "executedVersion": str(fn.version)}
        payload: Any = None
        if invocation is not None:
            payload = json.loads(invocation.payload) if invocation.payload else None
            if invocation.error_type is not None:
                response_context["functionError"] = "Unhandled"
        return {
            "version": "1.0",
            "timestamp": _iso_now(),
            "requestContext": {
                "requestId": request_id,
                "functionArn": f"{fn.function_arn}:{fn.version}" if str(fn.version) == "$LATEST" else fn.function_arn,
                "condition": condition,
                "approximateInvokeCount": attempts,
            },
            "requestPayload": json.loads(event),
            "responseContext": response_context,
            "responsePayload": payload,
        }

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self._clients:
            self._clients[key] = boto3.client(
                service,
                region_name=region,
                endpoint_url=self.endpoint_url,
                aws_access_key_id="localcloud",
                aws_secret_access_key="localcloud",
                config=Config(retries={"max_attempts": 2}),
            )
        return self._clients[key]

    def send_to_queue(self, queue_arn: str, body: str, attributes: dict[str, Any] | None = None) -> None:
        """SendMessage to the queue an ARN names, as the AWS service delivering there would."""
        sqs = self.client("sqs", queue_arn.split(":")[3])
        queue_url = sqs.get_queue_url(QueueName=queue_arn.split(":")[5])["QueueUrl"]
        sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageAttributes=attributes or {})

    def as_role(self, fn: lambda_models.LambdaFunction, service: str, region: str) -> Any:
        """A client signing as the function's execution role: Lambda hands records to destinations and
        dead-letter targets with the role's permissions (and the target's key policy), as in AWS."""
        from localcloud.core import iam

        key = (str(fn.role), fn.function_name, service, region)
        if key not in self._role_clients:
            credentials = iam.cached_session(str(fn.role), fn.function_name, region)
            self._role_clients[key] = iam.session_client(
                service, region, self.endpoint_url, credentials, Config(retries={"max_attempts": 2})
            )
        return self._role_clients[key]

    def _queue_url(self, queue_arn: str) -> str:
        return queue_url(self.endpoint_url, queue_arn)

    def _deliver(self, fn: lambda_models.LambdaFunction, target_arn: str, record: dict) -> None:
        service, region = target_arn.split(":")[2], target_arn.split(":")[3]
        body = json.dumps(record)
        try:
            if service == "sqs":
                sqs = self.as_role(fn, "sqs", region)
                sqs.send_message(QueueUrl=self._queue_url(target_arn), MessageBody=body)
            elif service == "sns":
                self.as_role(fn, "sns", region).publish(TopicArn=target_arn, Message=body)
            elif service == "lambda":
                self.as_role(fn, "lambda", region).invoke(FunctionName=target_arn, InvocationType="Event", Payload=body)
            elif service == "events":
                self.as_role(fn, "events", region).put_events(
                    Entries=[
                        {
                            "Source": "lambda",
                            "DetailType": "Lambda Function Invocation Result - "
                            + ("Success" if record["requestContext"]["condition"] == "Success" else "Failure"),
                            "Detail": body,
                            "EventBusName": target_arn,
                            "Resources": [fn.function_arn],
                        }
                    ]
                )
        except ClientError as error:
            # AWS drops the record and counts it; the function's log and metrics are where it shows.
            metrics.lambda_delivery_failed(fn.account_id, fn.region, fn.function_name, "DestinationDeliveryFailures")
            print(
                f"lambda: {fn.function_name} could not deliver record {record['requestContext']['requestId']} "
                f"to {target_arn}: {error}",
                flush=True,
            )

    def _dead_letter(
        self,
        fn: lambda_models.LambdaFunction,
        target_arn: str,
        event: str,
        request_id: str,
        invocation: Invocation | None,
    ) -> None:
        """A dead-letter message carries the event itself, with the error in its attributes."""
        error = json.loads(invocation.payload) if invocation is not None else {}
        attributes = {
            "RequestID": {"DataType": "String", "StringValue": request_id},
            "ErrorCode": {"DataType": "Number", "StringValue": "200"},
            "ErrorMessage": {"DataType": "String", "StringValue": str(error.get("errorMessage", "unknown"))[:1024]},
        }
        region = target_arn.split(":")[3]
        try:
            if target_arn.split(":")[2] == "sqs":
                self.as_role(fn, "sqs", region).send_message(
                    QueueUrl=self._queue_url(target_arn), MessageBody=event, MessageAttributes=attributes
                )
            else:
                self.as_role(fn, "sns", region).publish(
                    TopicArn=target_arn, Message=event, MessageAttributes=attributes
                )
        except ClientError as failure:
            metrics.lambda_delivery_failed(fn.account_id, fn.region, fn.function_name, "DeadLetterErrors")
            print(
                f"lambda: {fn.function_name} could not dead-letter event {request_id} to {target_arn}: {failure}",
                flush=True,
            )

    def shutdown(self) -> None:
        self._scheduler.shutdown()


def find_function(arn: str) -> lambda_models.LambdaFunction:
    """The function (or version/alias) a Lambda ARN names; raises moto's not-found error."""
    parts = arn.split(":")
    backend = lambda_models.lambda_backends[parts[4]][parts[3]]
    return backend.get_function(parts[6], parts[7] if len(parts) > 7 else None)


def service_may_invoke(
    function: lambda_models.LambdaFunction, service: str, source_arn: str, source_account: str
) -> bool:
    """Whether the function's resource policy (AddPermission) lets an AWS service invoke it for this source."""
    from localcloud.core import policy

    statements = getattr(getattr(function, "policy", None), "statements", None) or []
    caller = policy.Caller(service=service, context={"aws:SourceArn": source_arn, "aws:SourceAccount": source_account})
    arn = function.function_arn
    for resource in {arn, arn.split(":$LATEST")[0]}:
        if policy.evaluate({"Statement": statements}, "lambda:InvokeFunction", resource, caller) == "Allow":
            return True
    return False


def _iso_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def execution_role_session(spec: FunctionSpec) -> dict[str, str]:
    """Lambda gives each execution environment a session of the function's role, named after the function."""
    from localcloud.core import iam

    return iam.issue_session(spec.role_arn, spec.name, spec.region)


def install(service: LambdaService) -> None:
    service.runner.credentials = execution_role_session

    def invoke(self: lambda_models.LambdaFunction, body: Any, request_headers: Any, response_headers: Any) -> bytes:
        event = body.decode() if isinstance(body, bytes) else (body or "{}")
        if not isinstance(event, str):
            event = json.dumps(event)
        invocation_type = _header(request_headers, "x-amz-invocation-type") or "RequestResponse"
        if invocation_type == "DryRun":
            return b""
        check_environment_key(self)
        # The caller's trace header (the SDKs send it when they are traced) is the one the invocation continues.
        INCOMING.set(TraceHeader.parse(_header(request_headers, "x-amzn-trace-id")))
        if invocation_type == "Event":
            service.invoke_async(self, event)
            return b""
        return service.invoke_sync(self, event, response_headers)

    lambda_models.LambdaFunction.invoke = invoke

    def no_docker(self: Any) -> Any:
        raise AttributeError("the local cloud runs functions without Docker")

    # moto's /moto-api/data.json reads every public attribute and answered 500 (DockerException) once a
    # function existed; an AttributeError is what it skips.
    lambda_models.LambdaFunction.docker_client = property(no_docker)
    _install_sns_records(service)
    _install_s3_async(service)
    _install_worker_retirement(service)


def _install_worker_retirement(service: LambdaService) -> None:
    """A deleted function's, or replaced code's, warm workers end at once instead of idling until reaped."""
    Backend = lambda_models.LambdaBackend
    delete_function, update_function_code = Backend.delete_function, Backend.update_function_code

    def arn_of(backend: Any, function_name: str) -> str | None:
        try:
            return backend.get_function(function_name).function_arn
        except Exception:  # unknown function: moto's own call answers with the right error
            return None

    def deleting(self: Any, function_name: str, qualifier: str | None = None) -> None:
        arn = arn_of(self, function_name)
        delete_function(self, function_name, qualifier)
        if arn:
            service.runner.retire(arn)

    def updating_code(self: Any, function_name: str, qualifier: str, body: dict[str, Any]) -> Any:
        answer = update_function_code(self, function_name, qualifier, body)
        arn = arn_of(self, function_name)
        if arn:
            service.runner.retire(arn)
        return answer

    Backend.delete_function = deleting
    Backend.update_function_code = updating_code


def _install_sns_records(service: LambdaService) -> None:
    """SNS invokes Lambda asynchronously, with the real topic, message id and attributes."""
    from moto.sns import models as sns_models

    original = sns_models.Subscription.publish

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
        """Called by sns/topics.py once the subscription's filter accepted the message; raises when the
        delivery fails (function gone, no permission), which SNS then dead-letters."""
        if self.protocol != "lambda":
            return original(
                self,
                message,
                message_id,
                subject=subject,
                message_attributes=message_attributes,
                group_id=group_id,
                deduplication_id=deduplication_id,
                message_structure=message_structure,
            )
        function = find_function(self.endpoint)
        topic_arn = self.topic.arn
        if not service_may_invoke(function, "sns.amazonaws.com", topic_arn, topic_arn.split(":")[4]):
            raise PermissionError(f"{self.endpoint} has no permission for sns.amazonaws.com from {topic_arn}")
        if message_structure == "json":
            message = self._parse_message_structure(message, self.protocol)
        event = {
            "Records": [
                {
                    "EventSource": "aws:sns",
                    "EventVersion": "1.0",
                    "EventSubscriptionArn": self.arn,
                    "Sns": {
                        "Type": "Notification",
                        "MessageId": message_id,
                        "TopicArn": self.topic.arn,
                        "Subject": subject,
                        "Message": message,
                        "Timestamp": _iso_now(),
                        "SignatureVersion": "1",
                        "Signature": "localcloud",
                        "SigningCertUrl": "https://sns.localcloud/SimpleNotificationService.pem",
                        "UnsubscribeUrl": f"https://sns.localcloud/?Action=Unsubscribe&SubscriptionArn={self.arn}",
                        "MessageAttributes": {
                            k: {"Type": v["Type"], "Value": v["Value"]} for k, v in (message_attributes or {}).items()
                        },
                    },
                }
            ]
        }
        service.invoke_async(function, json.dumps(event))
        return None

    sns_models.Subscription.publish = publish


def _install_s3_async(service: LambdaService) -> None:
    """S3 invokes Lambda asynchronously; keys in records stay URL-encoded as in AWS."""
    from moto.s3 import notifications

    def _invoke_awslambda(account_id: str, event_body: Any, fn_arn: str, region_name: str) -> None:
        backend = lambda_models.lambda_backends[account_id][region_name]
        try:
            fn = backend.get_function(fn_arn)
        except Exception:  # AWS drops events for a deleted function; so do we
            return
        service.invoke_async(fn, json.dumps(event_body))

    notifications._invoke_awslambda = _invoke_awslambda
    # S3 URL-encodes keys in event records but leaves "/" alone ("in/red flower.jpg" -> "in/red+flower.jpg");
    # moto encodes "/" too. Every notification target (Lambda, SQS, SNS) reads the name from here.
    notifications.quote_plus = lambda name: quote_plus(name, safe="/")
