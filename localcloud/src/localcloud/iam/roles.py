"""IAM role names AWS caps at 64 characters (moto takes any length).

CreateRole with a longer name is refused with IAM's ``ValidationError``: ``1 validation error detected:
Value '<name>' at 'roleName' failed to satisfy constraint: Member must have length less than or equal
to 64``.
"""

from __future__ import annotations

from typing import Any

from moto.iam import models as iam_models
from moto.iam.exceptions import ValidationError

from localcloud.core.names import too_long


def install() -> None:
    create_role = iam_models.IAMBackend.create_role

    def checked_create_role(self: Any, role_name: str, *args: Any, **kwargs: Any) -> Any:
        message = too_long(role_name, "roleName")
        if message:
            raise ValidationError(message)
        return create_role(self, role_name, *args, **kwargs)

    iam_models.IAMBackend.create_role = checked_create_role
