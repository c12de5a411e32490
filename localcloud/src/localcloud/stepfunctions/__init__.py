"""Step Functions: executions run for real, as their machine's type and role."""

from __future__ import annotations

from localcloud.extension import Context, Extension, Feature


def install(context: Context) -> None:
    from moto.core.config import default_user_config

    from localcloud.stepfunctions import executions

    default_user_config.setdefault("stepfunctions", {})["execute_state_machine"] = True
    executions.install()


EXTENSION = Extension(
    service="stepfunctions",
    summary="executions run, as the machine's role and type, logged",
    install=install,
    features=(
        Feature(
            title="Step Functions:",
            does=(
                "`ValidateStateMachineDefinition` (checked with moto's own ASL parser) and `ListStateMachineVersions`; "
                "executions run for real (`execute_state_machine`), as their machine's type (STANDARD or EXPRESS), "
                "calling services as the machine's role. Optimised integrations are normalised through botocore's models "
                "(`states:startExecution`, `.sync`, `.sync:2` work; answers PascalCase, timestamps in epoch ms). "
                "`StartSyncExecution` runs an EXPRESS workflow within the request (STANDARD refused with "
                "`StateMachineTypeNotSupported`; boto3 clients need `Config(inject_host_prefix=False)` or "
                "`AWS_DISABLE_HOST_PREFIX_INJECTION=true`, as the SDK sends it to a `sync-` host). JSONata states are "
                "evaluated by jsonata-python. Executions log to the configured log group at its level (stream "
                "`states/<machine ARN>`), and logging needs a role allowed the log-delivery actions "
                "(`InvalidLoggingConfiguration`). `waitForTaskToken` callbacks (`SendTaskSuccess`/`Failure` with its "
                "cause, heartbeats), `Map` `MaxConcurrency`, Retry `IntervalSeconds`/`BackoffRate` and Wait states "
                "honoured; retry intervals and waits run on the local time scale `LOCALCLOUD_STATES_TIME_SCALE` (default "
                "1 = real seconds)."
            ),
            moto_without=(
                "the provider retries NotImplemented: apply, plan and destroy hang; `states:startExecution` failed with "
                "KeyError; no StartSyncExecution; JSONata raised; every machine ran as STANDARD; no execution logs"
            ),
            code=("stepfunctions/executions.py",),
            tests=(
                "localcloud/test_provider_compat.py",
                "localcloud/stepfunctions/test_step_functions.py",
                "localcloud/stepfunctions/test_states_time_scale.py",
            ),
        ),
    ),
)
