"""What every service shares: identities and policies, KMS, metrics, timers, TLS, loopback, the network rules.

Installed first: the moto release check, the certificate authority every TLS server and function trusts,
SDK retries answered once, and the authorization of every request signed with credentials the local
cloud issued.
"""

from __future__ import annotations

from typing import Any

from localcloud.extension import Context, Endpoint, Extension, Feature


def install(context: Context) -> None:
    from localcloud.core import authorization, faults, kms, moto_view, not_emulated, retries
    from localcloud.core.tls import CertificateAuthority

    authority = CertificateAuthority(context.state_dir / "tls")
    # Functions trust the local authority next to the system's CAs, as they trust AWS's public CAs.
    context.runner.machine_environment["SSL_CERT_FILE"] = str(authority.ensure())
    context.services["authority"] = authority
    retries.install()
    authorization.install()
    kms.install()
    not_emulated.install()
    moto_view.install()
    faults.install()  # outermost: an injected error answers before anything of the call runs


def health(request: Any, context: Context) -> Any:
    """moto's own /moto-api/data.json answers 500 once a function exists: not a health check."""
    from werkzeug.wrappers import Response

    return Response(b'{"status": "running"}', status=200, content_type="application/json")


def certificate_authority(request: Any, context: Context) -> Any:
    from werkzeug.wrappers import Response

    pem = context.services["authority"].certificate.read_bytes()
    return Response(pem, status=200, content_type="application/x-pem-file")


def _json(body: Any, status: int) -> Any:
    import json

    from werkzeug.wrappers import Response

    return Response(json.dumps(body), status=status, content_type="application/json")


def add_fault(request: Any, context: Context) -> Any:
    import json

    from localcloud.core.faults import FAULTS, FaultError

    try:
        spec = json.loads(request.get_data() or b"{}")
        if not isinstance(spec, dict):
            raise FaultError("expected a JSON object: {service, operation?, error?, rate?, latency_ms?, ...}")
        return _json({"fault": FAULTS.add(spec).describe()}, 201)
    except (FaultError, ValueError) as exc:
        return _json({"message": str(exc)}, 400)


def list_faults(request: Any, context: Context) -> Any:
    from localcloud.core.faults import FAULTS

    return _json({"faults": FAULTS.listing()}, 200)


def clear_faults(request: Any, context: Context) -> Any:
    from localcloud.core.faults import FAULTS

    return _json({"removed": FAULTS.clear()}, 200)


EXTENSION = Extension(
    service="core",
    summary="identities and policies evaluated for every request, KMS key use, SDK retries, TLS",
    install=install,
    endpoints=(
        Endpoint("GET", "/_localcloud/health", "answers while the server serves", health),
        Endpoint(
            "GET",
            "/_localcloud/tls/ca.pem",
            "the local certificate authority: clients on the host trust it to verify the caches' and "
            "proxies' TLS, as functions do",
            certificate_authority,
        ),
        Endpoint(
            "POST",
            "/_localcloud/faults",
            "adds a fault: `{service, operation?, error?, rate?, latency_ms?, count?, duration_s?, caller?, "
            "resource?, seed?}` (errors per service in core/faults.py; 400 names the valid ones)",
            add_fault,
        ),
        Endpoint("GET", "/_localcloud/faults", "the faults, with how many calls each matched and got", list_faults),
        Endpoint("DELETE", "/_localcloud/faults", "removes every fault, answering what each injected", clear_faults),
    ),
    features=(
        Feature(
            title="IAM as AWS evaluates it.",
            does=(
                "Every function's code runs with credentials of a session of its execution role "
                "(`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, session named after the function, as "
                "Lambda does), and every request signed with keys the local cloud issued (those sessions, STS "
                "`AssumeRole` sessions, IAM users' keys) is authorized: the role's inline and attached policies (AWS "
                "managed ones included), its permissions boundary and session policy, and the resource's own policy "
                "(queue, topic, bucket, function, event bus, KMS key policy, role trust policy), with AWS's logic "
                "(explicit deny wins; one account: identity or resource policy; across accounts: both; KMS keys and "
                "`AssumeRole`: the key or trust policy must allow). A refusal is the service's own error and AWS's "
                "message (DynamoDB, Lambda, EventBridge, Step Functions, Logs, KMS `AccessDeniedException`; SQS, S3, STS,"
                " IAM, CloudWatch `AccessDenied`; SNS `AuthorizationError`): `User: "
                "arn:aws:sts::…:assumed-role/ROLE/FUNCTION is not authorized to perform: dynamodb:PutItem on resource: … "
                "because no identity-based policy allows the dynamodb:PutItem action`. `SendTaskSuccess`, `SendTaskFailure` "
                "and `SendTaskHeartbeat` are authorized on the state machine whose execution waits on the token. Lambda refuses a function whose "
                "role does not trust `lambda.amazonaws.com`, and an SQS or DynamoDB stream mapping whose role may not "
                "read the source, with AWS's messages. API Gateway invokes a function (integration or authorizer) only "
                "where its resource policy admits `apigateway.amazonaws.com` from that method's or authorizer's ARN (else"
                " 500, the function never runs), and calls AWS services (REST `AWS` integrations, HTTP API service "
                "integrations) as a session of the integration's `credentials` role, which must trust "
                "`apigateway.amazonaws.com` without source keys (API Gateway sends no `aws:SourceAccount` or "
                "`aws:SourceArn`, so a trust policy requiring them refuses it: 500). Step Functions refuses a state machine whose role does not trust "
                "`states.amazonaws.com` or its region's `states.<region>.amazonaws.com`, and an execution calls its tasks' services as a session of that role (or of a "
                "task's `Credentials.RoleArn`); EventBridge starts a Step Functions target as the target's `RoleArn`, "
                "which must trust `events.amazonaws.com` and may `states:StartExecution` (else `NO_PERMISSIONS`). SQS "
                "mappings poll as the function's role (`LastProcessingResult` says why nothing is received). Requests "
                "signed with the local cloud's root credentials (any other key: Terraform, tests) are the "
                "administrator's; they may also assume any role, so tests can probe a role. `x-moto-account-id: "
                "<account>` makes a request the root of another account (tests use it to create roles there)."
            ),
            moto_without="every function may call anything; policies are stored, never evaluated",
            code=(
                "core/iam.py",
                "core/policy.py",
                "core/authorization.py",
                "lambda_/validation.py",
                "apigateway/integrations.py",
            ),
            tests=(
                "localcloud/core/test_authorization.py",
                "localcloud/lambda_/test_validation.py",
                "localcloud/apigateway/test_apigateway_permissions.py",
                "localcloud/core/test_policy.py",
            ),
        ),
        Feature(
            title="KMS keys as services use them.",
            does=(
                "A caller's request through SQS, SNS or S3 into a resource encrypted with a customer managed key needs "
                "the key actions the service makes for it (`SendMessage`/`Publish`: `kms:GenerateDataKey` and "
                "`kms:Decrypt`; `ReceiveMessage`/`GetObject`: `kms:Decrypt`; `PutObject` into an SSE-KMS bucket, or "
                "naming a key in its `x-amz-server-side-encryption-aws-kms-key-id` header: `kms:GenerateDataKey` on "
                "that key), decided as a call to KMS (the key policy must allow; its account statement "
                "delegates to IAM), with `kms:ViaService` and `kms:CallerAccount` set; else SQS "
                "`KMS.AccessDeniedException`, SNS `KMSAccessDenied`, S3 `AccessDenied`. DynamoDB decrypts a table's key as"
                " the caller of every read and write (and a stream mapping's reads, as the function's role): "
                "`kms:Decrypt`, else `AccessDeniedException: KMS key access denied error: ...` (a mapping delivers nothing"
                " and says why in `LastProcessingResult`); Secrets Manager's `GetSecretValue` on a secret on such a key "
                "needs `kms:Decrypt`, else `AccessDeniedException: Access to KMS is not allowed`. A service delivering on its own "
                "(SNS into an encrypted queue, EventBridge into an encrypted topic, S3 notifications into an encrypted "
                "queue or topic) needs the key policy to name it (`sns.amazonaws.com`, ...), else the delivery fails (SNS"
                " counts `NumberOfNotificationsFailed` and redrives; EventBridge `NO_PERMISSIONS`; S3 refuses the "
                "notification configuration). AWS managed keys (`alias/aws/sqs`, ...) describe themselves as such (`KeyManager: AWS`) and "
                "admit the account's callers through their own service and no other service. A function whose environment variables are encrypted with a "
                "customer managed key (`KMSKeyArn`) runs only while Lambda can decrypt them: a disabled key fails each "
                "invoke with `KMSDisabledException`, one pending deletion `KMSInvalidStateException`, a deleted one "
                "`KMSNotFoundException` (502, Lambda's words)."
            ),
            moto_without="encrypted resources behaved as plain ones",
            code=(
                "core/kms.py",
                "core/authorization.py",
                "sns/topics.py",
                "events/targets.py",
                "s3/buckets.py",
                "lambda_/mappings/streams.py",
                "lambda_/invoke.py",
            ),
            tests=("localcloud/core/test_kms_use.py",),
        ),
        Feature(
            title="Faults on demand.",
            does=(
                "`POST /_localcloud/faults` makes a service answer calls (one operation or all, from one caller or "
                "any, on one resource or any) with its own throttling or service error (DynamoDB "
                "`ProvisionedThroughputExceededException`, `ThrottlingException`; SQS `InternalFailure`; SNS "
                "`InternalError`; Lambda `TooManyRequestsException` 429; S3 `SlowDown` 503; KMS `ThrottlingException`; "
                "...), with AWS's status and message in the service's error shape, at a rate, after an added latency, "
                "for a count or a duration; nothing of the call runs. Every injection is counted and logged; "
                "`DELETE` ends them all. Off until asked."
            ),
            moto_without="no way to make a service fail",
            code=("core/faults.py",),
            tests=("localcloud/core/test_faults.py",),
        ),
        Feature(
            title="CloudWatch metrics as AWS publishes them.",
            does=(
                "Every invocation adds `AWS/Lambda` `Invocations`, `Errors`, `Duration` and `ConcurrentExecutions` (the "
                "function's invocations in flight when it started: read it with `Maximum`), every throttle `Throttles`, "
                "dimension `FunctionName`; a function's log line in CloudWatch embedded metric format (Powertools "
                "Metrics) becomes metric data in its namespace and dimension sets, as CloudWatch Logs extracts it."
            ),
            moto_without="no metrics at all",
            code=("core/metrics.py", "lambda_/invoke.py"),
            tests=("localcloud/core/test_cloudwatch_metrics.py", "localcloud/core/test_emf.py"),
        ),
        Feature(
            title="An SDK's retry gets the first answer.",
            does=(
                "A retried call that AWS does not repeat idempotently (`Create*`, `Delete*`, `Authorize*`, `Revoke*`, "
                "`Add*`, `Remove*`, `Attach*`, `Detach*`, `Associate*`, `Register*` and their opposites; the same "
                "`amz-sdk-invocation-id`, as SDKs send when an answer was lost under load) gets the answer of the call "
                "it repeats, not `already exists` / `not found`; another call for a taken name, or removing what is "
                "gone, is still refused."
            ),
            moto_without=(
                "a retried CreateRole failed `make up` with `EntityAlreadyExists`; a retried DeleteTable failed a CI "
                "destroy with `ResourceNotFoundException`"
            ),
            code=("core/retries.py", "lambda_/config.py"),
            tests=("localcloud/core/test_create_retries.py",),
        ),
        Feature(
            title="One event pattern matcher.",
            does=(
                "EventBridge rules, `TestEventPattern`, SNS filter policies (`MessageAttributes` scope: a Number "
                "attribute as a number, a String.Array as its elements; `MessageBody` scope) and Lambda event source "
                "mapping filters match with one matcher of EventBridge's semantics (AWS's event-ruler): an object pattern "
                "matched by one element of an array of objects (fields of different elements never combined), values "
                "compared by JSON type, IP addresses however written, `prefix`, `suffix`, "
                "`equals-ignore-case`, `wildcard`, `anything-but` (values, prefixes, suffixes, wildcards), `numeric`, "
                "`exists`, `cidr` and `$or` at any depth. A rule's pattern sees the event as its targets receive it "
                "(`time` in ISO 8601); numbers compare by value, as AWS's event-ruler compares them. `TestEventPattern` "
                "refuses an event without `id`, `account`, `source`, `time`, `region` or `detail-type` "
                "(`ValidationException: Parameter Event is not valid.`). A rule's or filter's pattern is refused with "
                "event-ruler's reason (`Event pattern is not valid. Reason: Unrecognized match type prefix2`; AWS adds "
                "the parser's position), never a 500; a filter policy that is not a JSON object is SNS's "
                "`InvalidParameter`. Not modelled: the limits on a pattern's or policy's complexity; event-ruler's "
                "undocumented reading of a dotted key (`a.b`) as a nested path."
            ),
            moto_without=(
                "TestEventPattern answered nothing; arrays of objects never matched; a dotted key matched a nested "
                "pattern; SNS had a matcher of its own; unknown match types were accepted; a pattern that was not an "
                "object, or a filter policy that was not JSON, answered 500"
            ),
            code=("core/event_patterns.py", "events/__init__.py", "events/targets.py", "sns/topics.py"),
            tests=("localcloud/core/test_event_patterns.py", "localcloud/lambda_/test_event_filter.py"),
        ),
        Feature(
            title="What is not emulated says so at once.",
            does=(
                "An operation moto has not implemented answers 501 `NotImplemented` in the service's error shape, "
                "naming the service and operation "
                "(`The local cloud does not emulate dynamodb:DescribeContributorInsights ...`); SDKs and the AWS "
                "provider do not retry it. So do the operations moto answers with a fixed result whatever the input "
                "(Comprehend's `DetectSentiment`, `DetectKeyPhrases`, `DetectPiiEntities`; Rekognition; Textract's text "
                "detection)."
            ),
            moto_without=("an HTML 500 (retried by SDKs and the provider for minutes); a fixed sentiment for any text"),
            code=("core/not_emulated.py",),
            tests=("localcloud/core/test_not_emulated.py",),
        ),
        Feature(
            title="moto's own model view answers.",
            does=(
                "`/moto-api/data.json` (moto's dashboard data) leaves out an attribute it cannot read, whatever it "
                "raises, instead of answering 500 for every model once an RDS instance exists."
            ),
            moto_without="500 once a model had a property raising NotImplementedError (RDS's write-only password)",
            code=("core/moto_view.py",),
            tests=("localcloud/lambda_/test_lambda_runtime.py",),
        ),
    ),
)
