"""Faults injected into AWS API calls, for proving what a pattern promises when a service misbehaves.

A fault names a service and, optionally, an operation, a caller and a resource; a call it matches is,
with the fault's probability, answered with one of the service's own throttling or service errors (its
code, message and HTTP status, shaped as the service's protocol shapes errors), or held for an added
latency first. Nothing of the operation runs when an error is injected, as when AWS throttles a call.
Faults are off until a test or `make chaos` adds one through `POST /_localcloud/faults`, end after a
count or a duration, and are counted and logged: every injection is a line in the local cloud's log.

The same code answers whoever calls: Terraform, a test, or a function through its SDK (whose own
retries then run as they would against AWS).
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field, fields
from typing import Any

# Each service's errors a fault may answer with: code -> (HTTP status, AWS's message). From each
# service's API reference (common errors included); a service not listed takes COMMON.
COMMON = {
    "ThrottlingException": (400, "Rate exceeded"),
    "InternalFailure": (500, "The request processing has failed because of an unknown error, exception or failure."),
    "ServiceUnavailable": (503, "The request has failed due to a temporary failure of the server."),
}
ERRORS: dict[str, dict[str, tuple[int, str]]] = {
    "dynamodb": {
        "ProvisionedThroughputExceededException": (
            400,
            "The level of configured provisioned throughput for the table was exceeded. Consider increasing your "
            "provisioning level with the UpdateTable API.",
        ),
        "ThrottlingException": (400, "Rate of requests exceeds the allowed throughput."),
        "RequestLimitExceeded": (
            400,
            "Throughput exceeds the current throughput limit for your account. Please contact AWS Support at "
            "https://aws.amazon.com/support request a limit increase",
        ),
        "InternalServerError": (500, "Internal server error"),
    },
    "sqs": {
        "RequestThrottled": (403, "Request is throttled."),  # SQS's own throttle, as the SDKs' retry rules expect it
        "InternalFailure": COMMON["InternalFailure"],
        "ServiceUnavailable": COMMON["ServiceUnavailable"],
        "ThrottlingException": COMMON["ThrottlingException"],
    },
    "sns": {
        "InternalError": (500, "Internal Error"),
        "Throttled": (429, "Rate exceeded"),
    },
    "lambda": {
        "TooManyRequestsException": (429, "Rate Exceeded."),
        "ServiceException": (500, "The AWS Lambda service encountered an internal error."),
    },
    "s3": {
        "SlowDown": (503, "Please reduce your request rate."),
        "InternalError": (500, "We encountered an internal error. Please try again."),
        "ServiceUnavailable": (503, "Service is unable to handle request."),
    },
    "kms": {
        "ThrottlingException": (
            400,
            "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.",
        ),
        "KMSInternalException": (500, "An internal error occurred."),
    },
    "states": {
        "ThrottlingException": (400, "Rate exceeded"),
        "InternalFailure": COMMON["InternalFailure"],
    },
    "events": {
        "ThrottlingException": (400, "Rate exceeded"),
        "InternalException": (500, "Internal Server Error"),
    },
    "secretsmanager": {
        "ThrottlingException": (400, "Rate exceeded"),
        "InternalServiceError": (500, "An error occurred on the server side."),
    },
}
# moto's service names that AWS signs as another.
_SERVICES = {"stepfunctions": "states", "awslambda": "lambda", "lambda": "lambda"}


class FaultError(ValueError):
    """A fault that cannot be injected as asked; the message says what to send instead."""


def errors_of(service: str) -> dict[str, tuple[int, str]]:
    return ERRORS.get(service, COMMON)


@dataclass
class Fault:
    service: str
    operation: str | None = None  # e.g. PutItem; None: every operation of the service
    error: str | None = None  # one of errors_of(service); None: latency only
    rate: float = 1.0  # the share of matching calls that get it
    latency_ms: int = 0  # added before the answer (or the error)
    count: int | None = None  # at most this many injections, then the fault ends
    duration_s: float | None = None  # ends this long after it was added
    caller: str | None = None  # a part of the caller's ARN (a role or a function's session name); None: any caller
    resource: str | None = None  # a resource the call names: its ARN or name (table, queue, topic, bucket); None: any
    seed: int | None = None  # for a reproducible sequence of draws
    # What the fault did, not what was asked of it:
    id: str = field(init=False, default_factory=lambda: f"fault-{uuid.uuid4().hex[:8]}")
    matched: int = field(init=False, default=0)
    injected: int = field(init=False, default=0)
    added_at: float = field(init=False, default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.service = _SERVICES.get(self.service, self.service)
        if not self.service:
            raise FaultError("service is required: the AWS service's signing name (dynamodb, sqs, lambda, s3, ...)")
        if self.error is None and not self.latency_ms:
            raise FaultError("a fault needs an error, a latency_ms, or both")
        known = errors_of(self.service)
        if self.error is not None and self.error not in known:
            raise FaultError(f"{self.service} answers none of its calls with {self.error}; one of: {', '.join(known)}")
        if not 0 < self.rate <= 1:
            raise FaultError("rate must be above 0 and at most 1 (the share of matching calls)")
        if self.latency_ms < 0 or self.latency_ms > 60_000:
            raise FaultError("latency_ms must be 0-60000")
        if self.count is not None and self.count < 1:
            raise FaultError("count must be at least 1 (or left out: no limit)")
        if self.duration_s is not None and self.duration_s <= 0:
            raise FaultError("duration_s must be above 0 (or left out: until removed)")
        self._draw = random.Random(self.seed)

    @property
    def active(self) -> bool:
        if self.count is not None and self.injected >= self.count:
            return False
        return self.duration_s is None or time.monotonic() - self.added_at < self.duration_s

    def describe(self) -> dict[str, Any]:
        shown = {k: v for k, v in asdict(self).items() if k != "added_at"}
        return {**shown, "active": self.active}


@dataclass(frozen=True)
class Call:
    service: str
    operation: str
    caller: str  # the caller's ARN; "root" for the local cloud's own credentials
    resources: tuple[str, ...]  # ARNs or names the call touches


@dataclass(frozen=True)
class Injection:
    fault_id: str
    latency_s: float
    error: tuple[str, int, str] | None  # code, status, message


class Faults:
    """The faults in force; thread-safe, as the server answers calls in parallel."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, spec: dict[str, Any]) -> Fault:
        allowed = {f.name for f in fields(Fault) if f.init}
        unknown = set(spec) - allowed
        if unknown:
            raise FaultError(f"unknown fields {sorted(unknown)}; a fault takes {sorted(allowed)}")
        try:
            fault = Fault(**spec)
        except TypeError as exc:
            raise FaultError(str(exc)) from None
        with self._lock:
            self._faults.append(fault)
        return fault

    def listing(self) -> list[dict[str, Any]]:
        with self._lock:
            return [f.describe() for f in self._faults]

    def clear(self) -> list[dict[str, Any]]:
        with self._lock:
            removed, self._faults = [f.describe() for f in self._faults], []
        return removed

    def __bool__(self) -> bool:
        """Any fault added: checked before a call is read, so calls cost nothing while there are none."""
        return bool(self._faults)

    def decide(self, call: Call) -> Injection | None:
        """The injection for this call from the first active fault that matches it, if its draw says so."""
        with self._lock:
            for fault in self._faults:
                if not fault.active or not _matches(fault, call):
                    continue
                fault.matched += 1
                if fault._draw.random() >= fault.rate:
                    continue
                fault.injected += 1
                error = None
                if fault.error is not None:
                    status, message = errors_of(fault.service)[fault.error]
                    error = (fault.error, status, message)
                print(
                    f"fault {fault.id}: {call.service}:{call.operation} by {call.caller} -> "
                    f"{fault.error or 'ok'}{f' after {fault.latency_ms} ms' if fault.latency_ms else ''}",
                    flush=True,
                )
                return Injection(fault.id, fault.latency_ms / 1000, error)
        return None


def _matches(fault: Fault, call: Call) -> bool:
    if fault.service != call.service:
        return False
    if fault.operation is not None and fault.operation != call.operation:
        return False
    if fault.caller is not None and fault.caller not in call.caller:
        return False
    return fault.resource is None or any(_names(fault.resource, r) for r in call.resources)


def _names(wanted: str, resource: str) -> bool:
    """A fault's resource is a whole ARN, or a name the ARN ends with (a table, queue, topic, function, bucket);
    a function's name also matches its versions and aliases (`function:name:qualifier`)."""
    if resource == wanted or resource.endswith((f":{wanted}", f"/{wanted}")):
        return True
    parts = resource.split(":")
    return len(parts) == 8 and parts[5] == "function" and parts[6] == wanted


FAULTS = Faults()


def _call_of(response: Any) -> Call:
    from localcloud.core import authorization, iam

    service = authorization.PREFIXES.get(response.service_name or "", response.service_name or "")
    operation = response._get_action() or ""
    identity = iam.identity_of(response.get_access_key())
    caller = identity.arn if identity is not None else "root"
    try:
        as_whom = identity or iam.Identity(arn="root", account=response.current_account)
        resources = tuple(check.resource for check in authorization.checks_for(response, as_whom)[1])
    except Exception:  # a request the resolvers cannot read still matches by service and operation
        resources = ()
    return Call(service, operation, caller, resources)


def install() -> None:
    from moto.core import serialize
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.core.exceptions import ServiceException
    from moto.core.responses import BaseResponse
    from moto.s3.exceptions import S3ClientError

    from localcloud.core import iam
    from localcloud.core.authorization import error_answer

    class Injected(ServiceException):  # defined outside moto: its code is not looked up in moto's models
        pass

    original_call_action = BaseResponse.call_action

    def call_action(self: BaseResponse) -> Any:
        injection = FAULTS.decide(_call_of(self)) if FAULTS else None
        if injection is not None:
            time.sleep(injection.latency_s)
            if injection.error is not None:
                code, status, message = injection.error
                return error_answer(self, Injected(code, message), status)
        return original_call_action(self)

    BaseResponse.call_action = call_action  # type: ignore[method-assign]

    # S3 answers outside call_action: its calls pass the S3 authorization hook first, and an error raised
    # there is serialized from S3's model, which holds none of these errors (so their status is given here).
    class InjectedS3(S3ClientError):
        status = 503

    model_of = serialize.get_error_model

    def error_model(exception: Exception, default: Any) -> Any:
        if isinstance(exception, InjectedS3):
            error = {"code": exception.code, "httpStatusCode": exception.status}
            return serialize.ErrorShape(
                exception.code, {"exception": True, "type": "structure", "members": {}, "error": error}
            )
        return model_of(exception, default)

    serialize.get_error_model = error_model
    original_s3_action = ActionAuthenticatorMixin._authenticate_and_authorize_s3_action

    def s3_action(self: Any, bucket_name: str | None = None, key_name: str | None = None) -> None:
        if FAULTS:
            identity = iam.identity_of(self.get_access_key())
            resources = tuple(r for r in (bucket_name, f"{bucket_name}/{key_name}" if key_name else None) if r)
            call = Call("s3", str(self.data.get("Action") or ""), identity.arn if identity else "root", resources)
            injection = FAULTS.decide(call)
            if injection is not None:
                time.sleep(injection.latency_s)
                if injection.error is not None:
                    code, status, message = injection.error
                    error = InjectedS3(code, message)
                    error.status = status
                    raise error
        original_s3_action(self, bucket_name, key_name)

    ActionAuthenticatorMixin._authenticate_and_authorize_s3_action = s3_action  # type: ignore[method-assign]
