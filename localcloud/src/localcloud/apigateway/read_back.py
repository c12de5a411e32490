"""API Gateway state moto loses.

moto's CreateAuthorizer passes ``identiy_validation_expression`` (sic) to an
Authorizer that reads ``identity_validation_expression``, so the expression is
never stored: the provider sees a permanent diff and the front door could not
check tokens against it.
"""

from __future__ import annotations

from typing import Any

from moto.apigateway import models as apigateway_models


def install() -> None:
    Authorizer = apigateway_models.Authorizer
    original_init = Authorizer.__init__

    def __init__(
        self: Any, authorizer_id: str | None, name: str | None, authorizer_type: str | None, **kwargs: Any
    ) -> None:
        misspelt = kwargs.pop("identiy_validation_expression", None)
        if misspelt is not None and kwargs.get("identity_validation_expression") is None:
            kwargs["identity_validation_expression"] = misspelt
        original_init(self, authorizer_id, name, authorizer_type, **kwargs)

    Authorizer.__init__ = __init__
