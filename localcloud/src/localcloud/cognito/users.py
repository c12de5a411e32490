"""Cognito user pools deciding who may sign up and which attributes a client may write.

- `SignUp` on a pool whose `AdminCreateUserConfig.AllowAdminCreateUserOnly` is true is refused:
  ``NotAuthorizedException: SignUp is not permitted for this user pool`` (moto signed anyone up).
- `SignUp` and `UpdateUserAttributes` (through the access token's app client) refuse an attribute the app
  client's `WriteAttributes` leaves out: ``NotAuthorizedException: A client attempted to write unauthorized
  attribute`` (moto wrote any), so a user can never give themselves, say, another tenant. A client without
  `WriteAttributes` may write every attribute, as in AWS.
"""

from __future__ import annotations

from typing import Any

from moto.cognitoidp import models as cognito_models
from moto.cognitoidp.exceptions import NotAuthorizedError


def _pool_of_client(backend: Any, client_id: str) -> Any:
    return next((pool for pool in backend.user_pools.values() if client_id in pool.clients), None)


def check_writable(client: Any, attributes: list[dict[str, str]] | None) -> None:
    writable = client.extended_config.get("WriteAttributes")
    if writable is None:
        return
    if any(attribute["Name"] not in writable for attribute in attributes or []):
        raise NotAuthorizedError("A client attempted to write unauthorized attribute")


def install() -> None:
    Backend = cognito_models.CognitoIdpBackend
    sign_up, update_user_attributes = Backend.sign_up, Backend.update_user_attributes

    def checked_sign_up(
        self: Any, client_id: str, username: str, password: str, attributes: list[dict[str, str]]
    ) -> Any:
        pool = _pool_of_client(self, client_id)
        if pool is not None:
            if pool.extended_config.get("AdminCreateUserConfig", {}).get("AllowAdminCreateUserOnly"):
                raise NotAuthorizedError("SignUp is not permitted for this user pool")
            check_writable(pool.clients[client_id], attributes)
        return sign_up(self, client_id, username, password, attributes)

    def checked_update_user_attributes(self: Any, access_token: str, attributes: list[dict[str, str]]) -> Any:
        for pool in self.user_pools.values():
            if access_token in pool.access_tokens:
                client_id, _ = pool.access_tokens[access_token]
                if client_id in pool.clients:
                    check_writable(pool.clients[client_id], attributes)
        return update_user_attributes(self, access_token, attributes)

    Backend.sign_up = checked_sign_up
    Backend.update_user_attributes = checked_update_user_attributes
