"""Cognito user pools: who may sign up, and which attributes an app client may write."""

from __future__ import annotations

from localcloud.extension import Context, Extension, Feature


def install(context: Context) -> None:
    from localcloud.cognito import users

    users.install()


EXTENSION = Extension(
    service="cognito",
    summary="self sign-up and attribute writes refused as the pool and its app client decide",
    install=install,
    features=(
        Feature(
            title="Sign-up and attribute writes:",
            does=(
                "`SignUp` on a pool that allows only administrators to create users is refused "
                "(`NotAuthorizedException: SignUp is not permitted for this user pool`); `SignUp` and "
                "`UpdateUserAttributes` refuse an attribute outside the app client's `WriteAttributes` "
                "(`NotAuthorizedException: A client attempted to write unauthorized attribute`)."
            ),
            moto_without="anyone signed up, with any attribute (a tenant of their choosing included)",
            code=("cognito/users.py",),
            tests=("localcloud/cognito/test_cognito_users.py",),
        ),
    ),
)
