"""CloudWatch Logs groups encrypted with a customer managed key, refused as AWS refuses them.

CreateLogGroup with a KMS key whose policy does not let CloudWatch Logs (`logs.REGION.amazonaws.com`) use
it for this group is refused: ``AccessDeniedException: The specified KMS key does not exist or is not
allowed to be used with Arn '<log group ARN>'`` (moto accepted any key).
"""

from __future__ import annotations

from typing import Any

from localcloud.core import kms

LOGS_KEY_ACTIONS = ("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey")


def check_log_group_key(backend: Any, name: str, key_id: str | None) -> None:
    if not key_id:
        return
    from moto.core.exceptions import JsonRESTError

    region, account = backend.region_name, backend.account_id
    arn = f"arn:aws:logs:{region}:{account}:log-group:{name}"
    key = kms.resolve(key_id, account, region)
    if key is None or not kms.service_may_use(
        f"logs.{region}.amazonaws.com", key, LOGS_KEY_ACTIONS, context={"kms:EncryptionContext:aws:logs:arn": arn}
    ):
        raise JsonRESTError(
            "AccessDeniedException",
            f"The specified KMS key does not exist or is not allowed to be used with Arn '{arn}'",
        )


def install() -> None:
    from moto.logs import models as logs_models

    create_log_group = logs_models.LogsBackend.create_log_group

    def checked_create_log_group(self: Any, log_group_name: str, tags: dict[str, str], **kwargs: Any) -> Any:
        check_log_group_key(self, log_group_name, kwargs.get("kmsKeyId"))
        return create_log_group(self, log_group_name, tags, **kwargs)

    logs_models.LogsBackend.create_log_group = checked_create_log_group
