"""EventBridge Pipes: SQS, Kinesis and DynamoDB stream sources polled, filtered, enriched, transformed and
delivered as the pipe's role."""

from __future__ import annotations

from typing import Any

from localcloud.extension import Context, Extension, Feature

SOURCE_ACTIONS = ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes")


def install(context: Context) -> None:
    from localcloud.pipes.runner import PipeManager

    manager = PipeManager(context.endpoint)
    _install_create_check()
    _wake_on_changes(manager.poke)
    context.on_stop(manager.stop)


def _wake_on_changes(poke: Any) -> None:
    from moto.pipes.models import EventBridgePipesBackend

    for name in ("create_pipe", "update_pipe", "delete_pipe", "start_pipe", "stop_pipe"):
        original = getattr(EventBridgePipesBackend, name)

        def poked(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            answer = _original(self, *args, **kwargs)
            poke()
            return answer

        setattr(EventBridgePipesBackend, name, poked)


def source_refusal(pipe: Any) -> str | None:
    """Why Pipes would fail to create this pipe: its role cannot be assumed by Pipes or may not read its SQS
    source (AWS answers CREATE_FAILED with the reason); None when it can."""
    from localcloud.core import iam

    role = iam.role_by_arn(pipe.role_arn)
    if role is None or not iam.trusts(role, "pipes.amazonaws.com", pipe.arn, pipe.account_id):
        return f"Input parameter is invalid from the request due to : Pipes cannot assume the role {pipe.role_arn}"
    if ":sqs:" not in str(pipe.source):
        return _stream_refusal(pipe)
    from moto.sqs.models import sqs_backends

    _, _, _, region, account, name = str(pipe.source).split(":", 5)
    queue = sqs_backends[account][region].queues.get(name)
    identity = iam.poller_identity(str(pipe.role_arn), f"localcloud-pipe-{pipe.name}"[:64])
    for action in SOURCE_ACTIONS:
        decision = iam.decide(
            identity,
            f"sqs:{action}",
            str(pipe.source),
            resource_account=account,
            resource_policy=iam.as_document(queue._policy_json) if queue is not None else None,
        )
        if not decision.allowed:
            return (
                "Input parameter is invalid from the request due to : The provided customer role does not have "
                f"permissions to call {action} on SQS"
            )
    return None


def _stream_refusal(pipe: Any) -> str | None:
    from localcloud.core import iam
    from localcloud.pipes.streams import source_actions

    identity = iam.poller_identity(str(pipe.role_arn), f"localcloud-pipe-{pipe.name}"[:64])
    for action in source_actions(str(pipe.source)):
        if not iam.decide(identity, action, str(pipe.source)).allowed:
            service, name = action.split(":")
            return (
                "Input parameter is invalid from the request due to : The provided customer role does not have "
                f"permissions to call {name} on {'Kinesis' if service == 'kinesis' else 'DynamoDB Streams'}"
            )
    return None


def _validate_filters(source_parameters: dict[str, Any] | None) -> None:
    """A filter pattern Pipes cannot read is refused at CreatePipe/UpdatePipe, as Pipes refuses it."""
    from moto.pipes.exceptions import ValidationException

    from localcloud.lambda_ import event_filter

    try:
        event_filter.parse((source_parameters or {}).get("FilterCriteria"))
    except event_filter.InvalidFilter as exc:
        raise ValidationException(str(exc)) from None


def dead_letter_refusal(pipe: Any) -> str | None:
    """A stream source's dead-letter queue or topic the role may not send to fails the pipe at creation."""
    from localcloud.core import iam
    from localcloud.pipes.streams import parameters_of

    arn = (parameters_of(pipe).get("DeadLetterConfig") or {}).get("Arn")
    if not arn:
        return None
    action = "sqs:SendMessage" if ":sqs:" in str(arn) else "sns:Publish"
    identity = iam.poller_identity(str(pipe.role_arn), f"localcloud-pipe-{pipe.name}"[:64])
    if iam.decide(identity, action, str(arn)).allowed:
        return None
    return (
        "Input parameter is invalid from the request due to : The provided customer role does not have "
        f"permissions to call {action.split(':')[1]} on the dead-letter target {arn}"
    )


def _install_create_check() -> None:
    from moto.pipes.models import EventBridgePipesBackend

    create, update = EventBridgePipesBackend.create_pipe, EventBridgePipesBackend.update_pipe

    def checked(pipe: Any, state: str) -> Any:
        refusal = source_refusal(pipe) or dead_letter_refusal(pipe)
        if refusal is not None:
            pipe.status, pipe.state_reason = state, refusal
        return pipe

    def create_pipe(self: Any, **kwargs: Any) -> Any:
        _validate_filters(kwargs.get("source_parameters"))
        from localcloud.pipes.streams import starting_positions

        pipe = create(self, **kwargs)
        pipe.localcloud_starts = starting_positions(pipe)  # LATEST is when the pipe is created
        return checked(pipe, "CREATE_FAILED")

    def update_pipe(self: Any, **kwargs: Any) -> Any:
        _validate_filters(kwargs.get("source_parameters"))
        pipe = update(self, **kwargs)
        if pipe.status in ("CREATE_FAILED", "UPDATE_FAILED"):
            pipe.status, pipe.state_reason = "RUNNING" if pipe.desired_state == "RUNNING" else "STOPPED", None
        return checked(pipe, "UPDATE_FAILED")

    EventBridgePipesBackend.create_pipe = create_pipe
    EventBridgePipesBackend.update_pipe = update_pipe
    _install_current_state()


def _install_current_state() -> None:
    """A pipe created, updated or stopped with DesiredState STOPPED is STOPPED (moto walked every pipe on to
    RUNNING); a failed one keeps its failure."""
    from moto.pipes.models import Pipe

    walked = Pipe.current_state

    def current_state(self: Any) -> str | None:
        state = walked.fget(self)  # type: ignore[attr-defined]
        if state is not None and state.endswith("_FAILED"):
            return state  # type: ignore[no-any-return]
        return "STOPPED" if self.desired_state == "STOPPED" else state  # type: ignore[no-any-return]

    Pipe.current_state = property(current_state)  # type: ignore[method-assign,assignment]


EXTENSION = Extension(
    service="pipes",
    summary="pipes from SQS, Kinesis and DynamoDB streams filter, enrich, transform and deliver as the pipe's role",
    install=install,
    features=(
        Feature(
            title="Pipes deliver.",
            does=(
                "A pipe whose desired state is `RUNNING` and whose source is an SQS queue polls it as the pipe's role "
                "(assumed as `pipes.amazonaws.com`, the pipe's ARN as `aws:SourceArn`) in batches of `BatchSize` "
                "within `MaximumBatchingWindowInSeconds` (gathering until the batch is full or the window has passed), as "
                "Lambda's SQS records (binary attributes in base64); `FilterCriteria` (an SQS body "
                "that is JSON addressed as `body.field`) deletes what no filter matches. A Lambda or Express state "
                "machine enrichment gets the batch as one JSON array, synchronously, and its answer is what the "
                'target gets (`""`, `{}` or `[]` skip the target). Input templates apply per event (`<$.path>`, '
                "`<aws.pipes.*>`, quotes as Pipes adds and removes them). Lambda and Step Functions targets "
                "(`REQUEST_RESPONSE` or `FIRE_AND_FORGET`) get the batch as one array and may report "
                "`batchItemFailures`; SQS, SNS, EventBridge (`Source`, `DetailType`), Kinesis (`PartitionKey`, "
                "static or a path) and Firehose targets get their batch APIs. Every call is made as the role. A "
                "failed enrichment or target leaves the batch on the queue for its visibility timeout and redrive "
                "policy. Kinesis and DynamoDB stream sources are read per shard, in order, from the starting "
                "position fixed at creation (Kinesis records passed on flat, their JSON `data` addressed as "
                "`data.field`); a failing batch is retried until `MaximumRetryAttempts` or "
                "`MaximumRecordAgeInSeconds`, bisected with `AUTOMATIC_BISECT`, checkpointed before the lowest "
                "record reported in `batchItemFailures` (by its `eventID`), then described to the pipe's `DeadLetterConfig` "
                "(SQS or SNS) and passed. Target parameters written as `$.path` (partition keys, message group and "
                "deduplication ids, an event's source and detail type) are read from each event. A role Pipes "
                "cannot assume or that may not read the source (receive, delete and read a queue's attributes; "
                "describe, list and read a stream) or send to its dead-letter target makes CreatePipe end "
                "`CREATE_FAILED` with AWS's reason (UpdatePipe `UPDATE_FAILED`); a filter that cannot be read is "
                "refused; `DesiredState: STOPPED` keeps a pipe `STOPPED` until StartPipe. `AWS/EventBridge/Pipes` "
                "metrics per pipe (`EventCount` the events of each batch)."
            ),
            moto_without="pipes were stored and never ran",
            code=("pipes/runner.py", "pipes/streams.py", "pipes/stages.py"),
            tests=("localcloud/pipes/test_pipes.py",),
        ),
    ),
)
