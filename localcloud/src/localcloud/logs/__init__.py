"""CloudWatch Logs: groups encrypted with a key the key policy lets Logs use."""

from __future__ import annotations

from localcloud.extension import Context, Extension, Feature


def install(context: Context) -> None:
    from localcloud.logs import groups

    groups.install()


EXTENSION = Extension(
    service="logs",
    summary="a log group's KMS key checked",
    install=install,
    features=(
        Feature(
            title="Log groups on a customer managed key:",
            does=(
                "`CreateLogGroup` with a key whose policy does not admit `logs.REGION.amazonaws.com` for that group "
                "(`kms:EncryptionContext:aws:logs:arn`) is refused (`AccessDeniedException`, AWS's message)."
            ),
            moto_without="any key accepted: the group was created, and in AWS the apply failed",
            code=("logs/groups.py", "core/kms.py"),
            tests=("localcloud/core/test_kms_use.py",),
        ),
    ),
)
