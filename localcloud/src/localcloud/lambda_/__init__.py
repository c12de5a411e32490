"""Lambda: functions run on loopback without Docker, synchronously and as AWS's async path, and event source
mappings poll as Lambda's pollers do."""

from __future__ import annotations

import json
import os
from typing import Any

from localcloud.extension import Context, Endpoint, Extension, Feature


def install(context: Context) -> None:
    from localcloud.lambda_ import code, config, invoke, validation
    from localcloud.lambda_.mappings import sqs, streams

    # The account's Lambda concurrency (AWS's default quota 1000): a reservation leaving fewer than 100
    # unreserved is refused, as Lambda refuses it (moto checks it when this is set; read at call time).
    os.environ["MOTO_LAMBDA_CONCURRENCY_QUOTA"] = os.environ.get("LOCALCLOUD_ACCOUNT_CONCURRENCY", "1000")
    config.install()
    config.install_provisioned_concurrency()
    config.install_create_function_retry_answer()
    config.install_permission_principals()
    config.install_serialized_permissions()
    validation.install()
    code.install()
    service = invoke.LambdaService(context.runner, context.endpoint, context.async_retry_delay_s)
    invoke.install(service)
    context.services["lambda"] = service
    context.on_stop(service.shutdown)
    context.on_stop(sqs.install(service).stop)
    context.on_stop(streams.install(service).stop)


def age_stream_records(request: Any, context: Context) -> Any:
    """Make a stream's records older, for tests of MaximumRecordAgeInSeconds (at least 60 s in AWS)."""
    from werkzeug.wrappers import Response

    from localcloud.lambda_.mappings.stream_sources import age_records

    try:
        body = json.loads(request.get_data() or b"{}")
        answer, status = {"aged": age_records(body["StreamArn"], float(body["Seconds"]))}, 200
    except (KeyError, ValueError) as exc:
        answer, status = {"message": f'expected {{"StreamArn": <a stream>, "Seconds": <n>}}: {exc}'}, 400
    return Response(json.dumps(answer), status=status, content_type="application/json")


EXTENSION = Extension(
    service="lambda",
    summary="functions run for real; async retries, destinations and dead letters; mappings poll",
    install=install,
    endpoints=(
        Endpoint(
            "POST",
            "/_localcloud/streams/age-records",
            '`{"StreamArn", "Seconds"}` ages a stream\'s records, for tests of `MaximumRecordAgeInSeconds`',
            age_stream_records,
        ),
    ),
    features=(
        Feature(
            title="Lambda runs your code without Docker.",
            does=(
                "Warm worker per function version, code, configuration and environment; a busy worker is never shared; "
                "workers of an outdated configuration are retired. The zip (and layers, on the path as `/opt/python`) is "
                "unpacked once by hash. The handler gets its environment, `AWS_ENDPOINT_URL` pointing back at the local "
                "cloud, a context with `get_remaining_time_in_millis()`, and only boto3 (the Lambda runtime's packages)."
            ),
            moto_without="Invoke needs a Docker engine",
            code=("lambda_/runner.py", "lambda_/worker.py", "lambda_/invoke.py"),
            tests=("localcloud/lambda_/test_lambda_runtime.py", "integration/test_localcloud_lambda.py"),
        ),
        Feature(
            title="Invoke contract.",
            does=(
                "Handler exceptions come back as `x-amz-function-error: Unhandled` with `errorMessage`, `errorType`, "
                "`requestId`, `stackTrace`; import errors as `Runtime.ImportModuleError`; a Python result marshalled as "
                "the Python runtime does (bytes as they are, a `Decimal` as its own digits, NaN allowed, anything else "
                "JSON cannot hold `Runtime.MarshalError` `Unable to marshal response: ...`), a Node.js one JSON cannot "
                "hold as the runtime client fails it (`Unable to stringify response body`); past the timeout the worker is killed and `Sandbox.Timedout` returned; "
                "`LogType=Tail` returns the last 4 KB of output; reserved concurrency answers 429 "
                "`TooManyRequestsException`."
            ),
            moto_without="`Handled` for every error",
            code=("lambda_/invoke.py",),
            tests=("localcloud/lambda_/test_lambda_runtime.py",),
        ),
        Feature(
            title="Logs.",
            does=(
                "Each worker writes to its own log stream in the function's log group (`LoggingConfig.LogGroup` or "
                "`/aws/lambda/<name>`): `START`, the handler's output, `END`, `REPORT` with duration (and init duration "
                "on a cold start)."
            ),
            moto_without="logs only from Docker",
            code=("lambda_/invoke.py",),
            tests=("integration/test_simple_web_service.py",),
        ),
        Feature(
            title="Asynchronous invocation.",
            does=(
                "`InvocationType=Event` answers 202 at once; the event runs in the background with `MaximumRetryAttempts`"
                " (default 2) and `MaximumEventAgeInSeconds` from the event invoke config; throttled events wait without "
                "using an attempt; then the `OnSuccess`/`OnFailure` destination (SQS, SNS, Lambda, EventBridge; AWS's "
                "record shape) or, without an on-failure destination, the function's dead-letter queue or topic (the "
                "event as body, `RequestID`/`ErrorCode`/`ErrorMessage` attributes). Records and dead letters are "
                "delivered as the function's execution role: a role that may not write there (or a key policy refusing "
                "it) drops the record and counts `DestinationDeliveryFailures`/`DeadLetterErrors`; a dead-letter target "
                "or destination the role may not write to is refused when configured (`InvalidParameterValueException`, "
                "AWS's message). `PutFunctionEventInvokeConfig` replaces the config, `Update…` changes only what it "
                "names. An init longer than the 10 s init phase goes on inside the first invocation."
            ),
            moto_without="runs synchronously, no retry, no DLQ, no destinations",
            code=("lambda_/invoke.py", "lambda_/validation.py", "core/scheduler.py"),
            tests=(
                "localcloud/lambda_/test_lambda_runtime.py",
                "localcloud/lambda_/test_lambda_destinations.py",
                "integration/test_localcloud_lambda.py",
            ),
        ),
        Feature(
            title="Each runtime on its own interpreter, and the account's concurrency:",
            does=(
                "`python3.11` runs on the local cloud's Python (`LOCALCLOUD_LAMBDA_PYTHON`, the runtime virtualenv), "
                "`python3.13` and `python3.14` on CPython from Debian's packages, `nodejs20.x` and `nodejs22.x` on Node.js's own "
                "builds, each with the SDK its Lambda runtime bundles (boto3; the AWS SDK for JavaScript v3 clients "
                "listed in `requirements/lambda-runtime-nodejs`), as `make install` prepares them "
                "(`LOCALCLOUD_LAMBDA_RUNTIMES`, see tooling/README.md). A Node.js handler string is resolved as the "
                'Node.js runtime resolves it (extensionless, `.js` as CommonJS unless `"type": "module"`, `.mjs`, '
                "`.cjs`, folders and nested exports; async or callback handlers, `context.succeed`/`fail`/`done`, the "
                "`awslambda` global), its console lines carry time, request id and level (line breaks as `\\r`, one "
                "record), and its failures the runtime's shapes (`errorType`, `errorMessage`, `trace`; "
                "`Runtime.ImportModuleError`, `Runtime.HandlerNotFound`, `Runtime.UserCodeSyntaxError`); an uncaught "
                "exception or unhandled rejection fails the invocation at once and ends the environment "
                "(`Runtime.UnhandledPromiseRejection`). A Python handler that cannot start fails as awslambdaric "
                "words it (`Runtime.MalformedHandlerName`, `Runtime.UserCodeSyntaxError`, `Runtime.ImportModuleError`"
                " `Unable to import module 'fn': ...`, `Runtime.HandlerNotFound`, or the import's own exception). "
                "A failed init ends the environment: the next invocation runs init again. A function "
                "whose runtime has no interpreter here is created, and each invocation fails with "
                "`LocalCloud.UnsupportedRuntime` naming the runtimes this machine runs and how to add one; a "
                "function never runs on a neighbouring version. The account's Lambda concurrency is "
                "`LOCALCLOUD_ACCOUNT_CONCURRENCY` (default 1000): a reservation leaving fewer than 100 unreserved is "
                "refused with Lambda's message."
            ),
            moto_without=(
                "a Node.js handler failed with `ModuleNotFoundError`; a python3.12 function ran on 3.11; any reservation "
                "accepted"
            ),
            code=("lambda_/runtimes.py", "lambda_/worker.cjs", "lambda_/runner.py", "lambda_/__init__.py"),
            tests=(
                "localcloud/lambda_/test_runtimes.py",
                "localcloud/lambda_/test_lambda_runtime.py",
                "localcloud/lambda_/test_validation.py",
            ),
        ),
        Feature(
            title="Code from S3, read as the caller:",
            does=(
                "`CreateFunction`, `UpdateFunctionCode` and `PublishLayerVersion` with `S3Bucket`/`S3Key` read the named "
                "`S3ObjectVersion` (else the latest) once, as the caller: its policies and the bucket's must allow "
                "`s3:GetObject` (`s3:GetObjectVersion` for a version) and the object's key `kms:Decrypt`, otherwise "
                "`AccessDeniedException` `Your access has been denied by S3, ...`; a bucket in another region, a missing "
                "bucket, key or version are `InvalidParameterValueException` with S3's code, as Lambda words them."
            ),
            moto_without="the latest object whatever the version, a 500 for a missing key, no caller or region check",
            code=("lambda_/code.py",),
            tests=("localcloud/lambda_/test_code_from_s3.py",),
        ),
        Feature(
            title="Lambda configuration read-back:",
            does=(
                "`DeadLetterConfig` and `LoggingConfig` stored and returned; `UpdateFunctionConfiguration` applies "
                "`TracingConfig`, `KMSKeyArn`, `DeadLetterConfig`, `LoggingConfig`. `AddPermission` stores an account id "
                "principal as its root ARN, as Lambda does."
            ),
            moto_without="permanent diff on `dead_letter_config`, `logging_config`",
            code=("lambda_/config.py",),
            tests=("localcloud/test_provider_compat.py",),
        ),
        Feature(
            title="Provisioned concurrency:",
            does="`Put`/`Get`/`DeleteProvisionedConcurrencyConfig` per function and qualifier, `READY` at once.",
            moto_without="no route: HTML 404 the SDK cannot parse",
            code=("lambda_/config.py",),
            tests=("localcloud/test_provider_compat.py", "integration/test_provider_compat_apply.py"),
        ),
        Feature(
            title="Validation Lambda does at apply time:",
            does=(
                "`CreateEventSourceMapping` on an SQS queue refuses a queue whose visibility timeout is below the "
                "function timeout (`Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds`) and "
                "a batch over 10 without a batching window, with `InvalidParameterValueException`, as Lambda does; "
                "function names over 64 characters are refused with AWS's validation message; a function attached to a "
                "VPC (`VpcConfig`, on create and update) needs a role allowed `ec2:CreateNetworkInterface`, "
                "`DescribeNetworkInterfaces` and `DeleteNetworkInterface` (`The provided execution role does not have "
                "permissions to call CreateNetworkInterface on EC2`), subnets and security groups that exist (EC2's "
                "`InvalidSubnetID.NotFound` / `InvalidGroup.NotFound`, relayed as Lambda relays them) in one VPC, which "
                "its configuration then names (moto answered `vpc-123abc`); the function still runs on loopback."
            ),
            moto_without="all accepted: a module passed locally and failed at apply in AWS",
            code=("lambda_/validation.py", "core/network.py", "core/names.py"),
            tests=("localcloud/lambda_/test_validation.py",),
        ),
        Feature(
            title="SQS event source mappings poll like Lambda.",
            does=(
                "`SendMessage` only enqueues; a poller per enabled mapping receives batches (`BatchSize`, "
                "`MaximumBatchingWindowInSeconds`, capped below the visibility timeout), keeps at most "
                "`ScalingConfig.MaximumConcurrency` batches in flight (default 5), deletes what succeeded (all but the "
                "reported items with `ReportBatchItemFailures`; nothing after an error or a throttle), and leaves the "
                "rest to the visibility timeout and the queue's redrive to its DLQ after `maxReceiveCount`; messages "
                "queued before the mapping are consumed; FIFO groups stay in order; a FIFO deduplication id (or content "
                "hash) is remembered for five minutes after the send, per queue or per message group "
                "(`DeduplicationScope`), even once the first message is consumed; disabling or updating a mapping is "
                "followed. Records carry the real `ApproximateReceiveCount`, `SentTimestamp`, `SenderId`, `md5OfBody`, "
                "message attributes and, for FIFO, `MessageGroupId`, `MessageDeduplicationId` and a growing "
                "`SequenceNumber`."
            ),
            moto_without=(
                "delivery inside `SendMessage`, one invocation per message, reported failures deleted, no retry until "
                "another send, fixed attributes; a FIFO duplicate accepted again once the first is deleted"
            ),
            code=("lambda_/mappings/manager.py", "lambda_/mappings/sqs.py", "sqs/messages.py"),
            tests=("localcloud/lambda_/test_sqs_poller.py", "integration/test_localcloud_lambda.py"),
        ),
        Feature(
            title="DynamoDB Streams and Kinesis mappings poll like Lambda.",
            does=(
                "Writes only append to the shard (DynamoDB's `GetRecords` keeps its records); a poller per enabled "
                "mapping reads each shard in order from the starting position fixed at creation (`LATEST`, "
                "`TRIM_HORIZON`, `AT_TIMESTAMP`) in `ParallelizationFactor` lanes (one key stays in one lane), drops what"
                " `FilterCriteria` does not match (also for SQS, whose dropped messages are deleted), batches up to "
                "`BatchSize` within `MaximumBatchingWindowInSeconds`, retries a failing batch until "
                "`MaximumRetryAttempts` or `MaximumRecordAgeInSeconds` (bisecting first with "
                "`BisectBatchOnFunctionError`; `ReportBatchItemFailures` checkpoints before the lowest reported record), "
                "then sends AWS's `DDBStreamBatchInfo`/`KinesisBatchInfo` record to the on-failure destination as the "
                "function's role and moves on; tumbling windows carry `state` and close with `isFinalInvokeForWindow` "
                "(a state past 1 MB ends the window early, `isWindowTerminatedEarly`, and it goes on with a fresh "
                "state); "
                "disabling or deleting stops delivery, enabling resumes at the checkpoint; a role that may not read the "
                "stream gets nothing (`LastProcessingResult`). Records have AWS's shapes (Kinesis: 56-digit sequence "
                "numbers, `invokeIdentityArn`). Invalid filters and destinations the role may not write are refused at "
                'create and update. `POST /_localcloud/streams/age-records` `{"StreamArn", "Seconds"}` ages a stream\'s '
                "records for tests of the maximum age (at least 60 s in AWS)."
            ),
            moto_without=(
                "DynamoDB records pushed inside the write, once, unfiltered, then the shard emptied, and after the "
                "mapping is deleted; Kinesis records one per invocation to the stream's last mapping; no retries, "
                "bisecting, destinations or windows"
            ),
            code=(
                "lambda_/mappings/manager.py",
                "lambda_/mappings/streams.py",
                "lambda_/mappings/stream_lanes.py",
                "lambda_/mappings/stream_sources.py",
                "lambda_/event_filter.py",
            ),
            tests=("localcloud/lambda_/test_stream_poller.py", "localcloud/lambda_/test_event_filter.py"),
        ),
    ),
)
