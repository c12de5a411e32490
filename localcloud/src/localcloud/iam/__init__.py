"""IAM: the AWS managed policies exist, and role names are checked as IAM checks them."""

from __future__ import annotations

import os

from localcloud.extension import Context, Extension, Feature


def install(context: Context) -> None:
    from localcloud.iam import roles

    # Read by moto when it is imported, so the server sets it first (server.py); this checks it did.
    if os.environ.get("MOTO_IAM_LOAD_MANAGED_POLICIES") != "true":
        raise RuntimeError("MOTO_IAM_LOAD_MANAGED_POLICIES must be true before moto is imported (server.py sets it)")
    roles.install()


EXTENSION = Extension(
    service="iam",
    summary="AWS managed policies to attach; role names checked",
    install=install,
    features=(
        Feature(
            title="AWS managed IAM policies",
            does="exist (`MOTO_IAM_LOAD_MANAGED_POLICIES`), so roles can attach `AWSLambdaBasicExecutionRole` and friends.",
            moto_without="`NoSuchEntity` on attach",
            code=("server.py", "iam/__init__.py"),
            tests=("localcloud/test_provider_compat.py",),
        ),
        Feature(
            title="Role names as IAM checks them:",
            does=(
                "`CreateRole` with a name over 64 characters is refused with IAM's `ValidationError` and AWS's "
                "message (`Member must have length less than or equal to 64`)."
            ),
            moto_without="any length accepted: a module passed locally and failed at apply in AWS",
            code=("iam/roles.py", "core/names.py"),
            tests=("localcloud/lambda_/test_validation.py",),
        ),
    ),
)
