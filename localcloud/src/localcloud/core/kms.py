"""When a service uses a KMS key, the key's policy must admit that use, as in AWS.

- A caller's request through a service that encrypts with a customer managed
  key (SQS `SendMessage` to a queue encrypted with it, SNS `Publish` to such a
  topic, S3 `PutObject` into such a bucket; reading back) needs the key
  actions the service makes on its behalf (`kms:GenerateDataKey`,
  `kms:Decrypt`), decided like a call to KMS: the key policy must allow, and
  where it allows only the account (`:root`), the caller's IAM policies too.
  The request context carries `kms:ViaService` and `kms:CallerAccount`.
- A service delivering on its own (SNS into an encrypted queue, S3 or
  EventBridge notifications into an encrypted topic or queue) needs the key
  policy to name that service principal: the account's root statement does
  not admit a service.
- DynamoDB decrypts a table's key as the caller for every read and write
  (stream reads too): `kms:Decrypt` through `dynamodb.REGION.amazonaws.com`;
  Secrets Manager decrypts a secret as the caller of `GetSecretValue`.
- CloudWatch Logs encrypts a log group as `logs.REGION.amazonaws.com`, with
  the group's ARN as `kms:EncryptionContext:aws:logs:arn`: `CreateLogGroup`
  with a key whose policy does not admit it is refused.
- An AWS managed key (`alias/aws/sqs`, `alias/aws/sns`, `alias/aws/s3`)
  admits the account's callers through its own service only, and never
  another service delivering into the resource.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from localcloud.core import iam, policy


@dataclass(frozen=True)
class Key:
    arn: str
    aws_managed: bool
    policy: dict[str, Any]


def resolve(reference: str | None, account: str, region: str) -> Key | None:
    """The key a resource's `KmsMasterKeyId` (id, ARN, alias or alias ARN) names; None for no key."""
    if not reference:
        return None
    from moto.kms.models import kms_backends

    backend = kms_backends[account][region]
    alias = reference.split(":", 5)[-1] if reference.startswith("arn:") and ":alias/" in reference else reference
    try:
        key = backend.describe_key(reference)
    except Exception:
        if alias.startswith("alias/aws/"):
            return Key(f"arn:aws:kms:{region}:{account}:{alias}", True, {})
        return Key(f"arn:aws:kms:{region}:{account}:key/{reference}", False, {})  # no such key: nothing allows
    aws_managed = getattr(key, "key_manager", "CUSTOMER") == "AWS" or any(
        name.startswith("alias/aws/") for name in getattr(key, "aliases", {})
    )
    return Key(key.arn, aws_managed, iam.as_document(key.policy) or {})


def install() -> None:
    """The keys behind `alias/aws/<service>` are AWS managed keys, and describe themselves so (moto: CUSTOMER),
    however moto made them: on first use of the alias, or when a service (DynamoDB, EBS) encrypts by default."""
    from moto.kms.models import KmsBackend

    create_alias = KmsBackend.create_alias

    def create_alias_marking_aws_managed(self: Any, target_key_id: str, alias_name: str) -> Any:
        created = create_alias(self, target_key_id, alias_name)
        if alias_name.startswith("alias/aws/"):
            self.keys[self.get_key_id(target_key_id)].key_manager = "AWS"
        return created

    KmsBackend.create_alias = create_alias_marking_aws_managed


def caller_may_use(identity: iam.Identity, key: Key, action: str, service: str, region: str) -> iam.Decision:
    """A caller's request through `service` (e.g. "sqs") using `key` for `action` (e.g. kms:GenerateDataKey)."""
    if key.aws_managed:
        return iam.ALLOWED  # its policy admits the account's principals through its own service
    context = {"kms:ViaService": f"{service}.{region}.amazonaws.com", "kms:CallerAccount": identity.account}
    return iam.decide(
        identity,
        action,
        key.arn,
        resource_policy=key.policy,
        resource_account=key.arn.split(":")[4],
        strict_resource_policy=True,
        context=context,
    )


def service_may_use(
    service_principal: str,
    key: Key,
    actions: tuple[str, ...],
    source_arn: str | None = None,
    source_account: str | None = None,
    context: dict[str, Any] | None = None,
) -> bool:
    """A service (sns.amazonaws.com, s3.amazonaws.com, events.amazonaws.com, logs.REGION.amazonaws.com) using
    `key` on its own: the key policy must name it for every action."""
    if key.aws_managed:
        return False
    keys = {k: v for k, v in (("aws:SourceArn", source_arn), ("aws:SourceAccount", source_account)) if v}
    caller = policy.Caller(service=service_principal, context={**keys, **(context or {})})
    return all(policy.evaluate(key.policy, action, key.arn, caller) == "Allow" for action in actions)


DELIVERY_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")


def queue_key(queue: Any, account: str, region: str) -> Key | None:
    return resolve(getattr(queue, "kms_master_key_id", None), account, region)


def topic_key(topic: Any, account: str, region: str) -> Key | None:
    return resolve(getattr(topic, "kms_master_key_id", None), account, region)


def table_key(arn: str, account: str, region: str) -> Key | None:
    """The customer managed (or AWS managed) key of the DynamoDB table a table, index or stream ARN names."""
    from moto.dynamodb.models import dynamodb_backends

    name = arn.split(":table/", 1)[-1].split("/", 1)[0]
    table = dynamodb_backends[account][region].tables.get(name)
    sse = getattr(table, "sse_specification", None) or {}
    if not sse.get("Enabled"):
        return None
    return resolve(sse.get("KMSMasterKeyId"), account, region)


def secret_key(arn: str, account: str, region: str) -> Key | None:
    from moto.secretsmanager.models import secretsmanager_backends

    secret = secretsmanager_backends[account][region].secrets.get(arn)
    return resolve(getattr(secret, "kms_key_id", None), account, region) if secret is not None else None
