"""Every extension the local cloud makes to moto, installed before it serves: the one registry.

Each entry names what it replaces in moto and the tests that cover it; the
module docstrings say how, and tooling/README.md lists them for users. The
patches reach into moto's internals, so they are written against one moto
release: the server refuses to start on another.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import moto

from ..lambda_runner import LambdaRunner
from ..tls import CertificateAuthority
from . import (
    apigateway,
    authorization,
    dynamodb,
    elasticache,
    events,
    lambda_config,
    lambda_invoke,
    rds,
    retries,
    s3,
    sns,
    sqs,
    sqs_poller,
    stepfunctions,
    stream_poller,
    validation,
)

MOTO_VERSION = "5.2.5"


class UnsupportedMoto(RuntimeError):
    """The installed moto is not the release the patches were written against."""


@dataclass(frozen=True)
class Extension:
    name: str
    replaces: str  # what moto does without it
    tests: tuple[str, ...]  # paths under tests/


def _settings() -> None:
    """Settings moto reads. MOTO_IAM_LOAD_MANAGED_POLICIES is read when moto is imported, so server.py sets
    it before any import (this checks it did); the Step Functions one is read at call time."""
    from moto.core.config import default_user_config

    if os.environ.get("MOTO_IAM_LOAD_MANAGED_POLICIES") != "true":
        raise RuntimeError("MOTO_IAM_LOAD_MANAGED_POLICIES must be true before moto is imported (server.py sets it)")
    default_user_config.setdefault("stepfunctions", {})["execute_state_machine"] = True
    # The account's Lambda concurrency (AWS's default quota 1000): a reservation leaving fewer than 100
    # unreserved is refused, as Lambda refuses it (moto checks it when this is set; read at call time).
    os.environ["MOTO_LAMBDA_CONCURRENCY_QUOTA"] = os.environ.get("LOCALCLOUD_ACCOUNT_CONCURRENCY", "1000")


EXTENSIONS: tuple[Extension, ...] = (
    Extension(
        "settings: AWS managed IAM policies, Step Functions executions, the account's concurrency",
        "no AWS managed policies to attach; executions never run; any reservation accepted",
        ("localcloud/test_provider_compat.py", "localcloud/test_triggers.py", "localcloud/test_validation.py"),
    ),
    Extension(
        "apigateway", "CreateAuthorizer drops identityValidationExpression", ("localcloud/test_provider_compat.py",)
    ),
    Extension(
        "apigateway deployments",
        "nothing served; once served by the front door, edits went live without a deployment",
        ("localcloud/test_apigateway_deployments.py",),
    ),
    Extension(
        "lambda_config",
        "DeadLetterConfig, LoggingConfig dropped; TracingConfig, KMSKeyArn not updated; "
        "no provisioned concurrency routes; an SDK retry of CreateFunction gets 409; AddPermission keeps "
        "an account id or ARN principal as a bare string",
        ("localcloud/test_provider_compat.py", "localcloud/test_authorization.py"),
    ),
    Extension(
        "sqs",
        "spaced RedrivePolicy, no RedriveAllowPolicy, Policy cleared, counts quadratic in depth",
        ("localcloud/test_provider_compat.py", "localcloud/test_sqs_poller.py"),
    ),
    Extension(
        "s3", "any notification destination accepted; bucket policy conditions ignored", ("localcloud/test_s3.py",)
    ),
    Extension(
        "stepfunctions",
        "no ValidateStateMachineDefinition, ListStateMachineVersions or StartSyncExecution; "
        "optimised integrations not normalised (states:startExecution failed); JSONata unevaluated; every "
        "machine run as STANDARD; no execution logs; SendTaskFailure's cause dropped",
        (
            "localcloud/test_provider_compat.py",
            "localcloud/test_step_functions.py",
            "unit/localcloud/test_states_time_scale.py",
        ),
    ),
    Extension(
        "lambda_invoke",
        "Lambda runs in Docker; no async retries, destinations or DLQs; no metrics",
        (
            "localcloud/test_lambda_runtime.py",
            "localcloud/test_event_shapes.py",
            "localcloud/test_cloudwatch_metrics.py",
        ),
    ),
    Extension(
        "sns",
        "topic policies not enforced, deliveries not checked, counted or dead-lettered",
        ("localcloud/test_sns.py",),
    ),
    Extension(
        "events",
        "Lambda, SNS and Step Functions targets raise NotImplementedError; no retries or DLQs",
        ("localcloud/test_triggers.py", "localcloud/test_eventbridge_delivery.py"),
    ),
    Extension(
        "sqs_poller",
        "SendMessage invokes the function inline; FIFO ids forgotten once consumed",
        ("localcloud/test_sqs_poller.py",),
    ),
    Extension(
        "stream_poller",
        "DynamoDB stream records pushed inside the write, once, unfiltered, then the shard "
        "emptied (and after the mapping is deleted); Kinesis records one per invocation to the stream's last "
        "mapping; no retries, bisecting, partial failures, destinations, windows or starting positions",
        ("localcloud/test_stream_poller.py",),
    ),
    Extension(
        "rds",
        "PostgreSQL DB instances, clusters and proxies are metadata with hostnames nothing can reach",
        ("localcloud/test_rds_postgres.py", "localcloud/test_rds_proxy.py"),
    ),
    Extension(
        "elasticache",
        "no serverless caches (CreateServerlessCache NotImplementedError, retried by the "
        "provider until killed); replication groups without members; deletes hung; no cache to connect to",
        (
            "localcloud/test_elasticache_serverless.py",
            "localcloud/test_elasticache_replication_groups.py",
            "integration/test_provider_compat_apply.py",
        ),
    ),
    Extension(
        "dynamodb",
        "a write's condition checked and applied without a lock: two concurrent writers could both pass one condition",
        ("localcloud/test_dynamodb_conditions.py",),
    ),
    Extension(
        "retries",
        "an SDK retry of a create or delete call whose answer was lost got 'already exists' or "
        "'not found' (make up failed on CreateRole, a CI destroy on DeleteTable, under load)",
        ("localcloud/test_create_retries.py",),
    ),
    Extension(
        "authorization",
        "IAM and KMS key policies stored, never evaluated: every function may call "
        "anything, every service deliver anywhere",
        ("localcloud/test_authorization.py", "localcloud/test_kms_use.py", "unit/localcloud/test_policy.py"),
    ),
    Extension(
        "validation",
        "an SQS mapping accepted with a visibility timeout below the function timeout, or a "
        "batch over 10 without a batching window; a function attached to any VPC, by any role",
        ("localcloud/test_validation.py",),
    ),
)


def check_moto_version(installed: str = moto.__version__) -> None:
    if installed != MOTO_VERSION:
        raise UnsupportedMoto(
            f"the local cloud's patches are written for moto {MOTO_VERSION}, but moto {installed} is installed: "
            f"install requirements/dev.txt (`make install`), or port tooling/localcloud/patches/ to {installed}"
        )


def install_all(
    runner: LambdaRunner, endpoint_url: str, async_retry_delay_s: float, state_dir: Path | None = None
) -> lambda_invoke.LambdaService:
    from ..apigateway import deployments

    check_moto_version()
    _settings()
    deployments.install()
    plain: list[Callable[[], None]] = [
        retries.install,
        dynamodb.install,
        authorization.install,
        apigateway.install,
        lambda_config.install,
        lambda_config.install_provisioned_concurrency,
        lambda_config.install_create_function_retry_answer,
        lambda_config.install_permission_principals,
        sqs.install,
        s3.install,
        stepfunctions.install,
        validation.install,
    ]
    for install in plain:
        install()
    service = lambda_invoke.LambdaService(runner, endpoint_url, async_retry_delay_s)
    lambda_invoke.install(service)
    sns.install()  # after lambda_invoke: wraps its SNS -> Lambda delivery
    events.install(service)
    service.sqs_pollers = sqs_poller.install(service)
    service.stream_pollers = stream_poller.install(service)
    state_dir = state_dir or runner.state_dir.parent
    authority = CertificateAuthority(state_dir / "tls")
    # Functions trust the local authority next to the system's CAs, as they trust AWS's public CAs.
    runner.machine_environment["SSL_CERT_FILE"] = str(authority.ensure())
    service.databases = rds.install(state_dir, authority)
    service.caches = elasticache.install(state_dir, authority)
    return service
