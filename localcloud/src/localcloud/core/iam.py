"""Who is calling, what their IAM policies say, and AWS's decision for one request.

A request signed with the local cloud's root credentials (any access key the
local cloud did not issue: Terraform, tests, `make up`) is the account's
administrator and is allowed, as in an account. A request signed with keys
the local cloud issued (a Lambda function's execution-role session, an STS
`AssumeRole` session, an IAM user's access key) is decided as AWS decides it:

1. an explicit Deny in any applicable policy (identity, permissions boundary,
   session policy, resource) refuses;
2. within one account, an Allow in the identity policies (inside the
   permissions boundary and session policy, where there are ones) or in the
   resource policy suffices; across accounts both must allow;
3. KMS keys and role trust policies are stricter: the key policy (trust
   policy) must allow; where it allows only the account (`:root`), the
   identity policies must allow as well.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from localcloud.core import policy


@dataclass(frozen=True)
class Identity:
    """An IAM principal the local cloud issued credentials for."""

    arn: str  # arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION or arn:aws:iam::ACCOUNT:user/NAME
    account: str
    partition: str = "aws"
    role_name: str | None = None
    user_name: str | None = None
    session_policy: str | None = None
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def caller(self) -> policy.Caller:
        context: dict[str, Any] = {f"aws:PrincipalTag/{k}": v for k, v in self.tags.items()}
        if self.user_name:
            context["aws:username"] = self.user_name
        return policy.Caller(arn=self.arn, context=context)


_identities: dict[str, Identity] = {}
_lock = threading.Lock()


def identity_of(access_key_id: str | None) -> Identity | None:
    """The principal whose key signed a request; None for the local cloud's root credentials."""
    if not access_key_id:
        return None
    known = _identities.get(access_key_id)
    if known is not None:
        return known
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends

    for account, partitions in list(iam_backends.items()):
        for partition, backend in list(partitions.items()):
            key = backend.access_keys.get(access_key_id)
            if key is None:
                continue
            if key.role_arn:
                session = sts_backends[account][partition].get_assumed_role_from_access_key(access_key_id)
                if session is None:
                    return None
                role_name = key.role_arn.split("/")[-1]
                role = _role(account, partition, role_name)
                identity = Identity(
                    arn=f"arn:{partition}:sts::{account}:assumed-role/{role_name}/{session.session_name}",
                    account=account,
                    partition=partition,
                    role_name=role_name,
                    session_policy=session.policy,
                    tags=_tags(role),
                )
            else:
                user = backend.get_user(key.user_name)
                identity = Identity(
                    arn=user.arn, account=account, partition=partition, user_name=user.name, tags=_tags(user)
                )
            with _lock:
                _identities[access_key_id] = identity
            return identity
    return None


def _tags(entity: Any) -> dict[str, str]:
    tags = getattr(entity, "tags", None) or {}
    if isinstance(tags, list):
        return {t["Key"]: t["Value"] for t in tags}
    return {k: (v["Value"] if isinstance(v, dict) else v) for k, v in tags.items()}


def _role(account: str, partition: str, name: str) -> Any | None:
    from moto.iam.models import iam_backends

    try:
        return iam_backends[account][partition].get_role(name)
    except Exception:
        return None


@lru_cache(maxsize=4096)
def parse_document(text: str) -> dict[str, Any]:
    """A policy document as IAM stores it (JSON, sometimes URL-encoded); an unreadable one grants nothing."""
    try:
        document = json.loads(text)
    except ValueError:
        try:
            document = json.loads(urllib.parse.unquote(text))
        except ValueError:
            return {}
    return document if isinstance(document, dict) else {}


def as_document(value: Any) -> dict[str, Any] | None:
    if value in (None, "", b""):
        return None
    if isinstance(value, dict):
        return value
    if isinstance(value, bytes):
        value = value.decode()
    return parse_document(str(value))


def _managed_document(managed: Any) -> dict[str, Any]:
    for version in getattr(managed, "versions", []):
        if version.is_default:
            return parse_document(version.document)
    return {}


def _principal(identity: Identity) -> Any | None:
    """The role or user the identity is (moto finds roles by a scan: a decision looks it up once)."""
    from moto.iam.models import iam_backends

    if identity.role_name:
        return _role(identity.account, identity.partition, identity.role_name)
    if identity.user_name:
        try:
            return iam_backends[identity.account][identity.partition].get_user(identity.user_name)
        except Exception:
            return None
    return None


def identity_policies(identity: Identity, principal: Any | None = None) -> list[dict[str, Any]]:
    """Inline and attached policies of the identity's role, or of its user and the user's groups."""
    from moto.iam.models import iam_backends

    principal = principal if principal is not None else _principal(identity)
    if principal is None:
        return []
    owners = [principal]
    if identity.user_name:
        backend = iam_backends[identity.account][identity.partition]
        owners += [g for g in backend.groups.values() if principal in g.users]
    documents: list[dict[str, Any]] = []
    for owner in owners:
        documents += [parse_document(text) for text in owner.policies.values()]
        documents += [_managed_document(m) for m in owner.managed_policies.values()]
    return documents


def permissions_boundary(identity: Identity, principal: Any | None = None) -> dict[str, Any] | None:
    from moto.iam.models import iam_backends

    principal = principal if principal is not None else _principal(identity)
    arn = getattr(principal, "permissions_boundary_arn", None) or getattr(principal, "permissions_boundary", None)
    if isinstance(arn, dict):
        arn = arn.get("PermissionsBoundaryArn")
    if not arn:
        return None
    try:
        managed = iam_backends[identity.account][identity.partition].get_policy(arn)
    except Exception:
        return {}  # a boundary that does not exist allows nothing
    return _managed_document(managed)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""  # AWS's wording after the resource: "because no identity-based policy allows ..."

    def message(self, identity: Identity, action: str, resource: str) -> str:
        return f"User: {identity.arn} is not authorized to perform: {action} on resource: {resource} {self.reason}"


ALLOWED = Decision(True)


def _combined(
    documents: list[dict[str, Any]], action: str, resource: str, caller: policy.Caller, context: dict[str, Any]
) -> str | None:
    decision = None
    for document in documents:
        effect = policy.evaluate(document, action, resource, caller, context)
        if effect == "Deny":
            return "Deny"
        decision = decision or effect
    return decision


def decide(
    identity: Identity,
    action: str,
    resource: str,
    *,
    resource_policy: dict[str, Any] | None = None,
    resource_account: str | None = None,
    strict_resource_policy: bool = False,
    context: dict[str, Any] | None = None,
    endpoint_policy: dict[str, Any] | None = None,
) -> Decision:
    """AWS's decision for `identity` calling `action` on `resource` (one evaluation per resource).

    `strict_resource_policy`: the resource policy must allow (KMS key policies, role trust policies).
    `endpoint_policy`: the policy of the VPC endpoint the request came through, which must allow it too.
    """
    caller = identity.caller
    context = context or {}
    denied_by_identity = Decision(False, "with an explicit deny in an identity-based policy")
    principal = _principal(identity)
    identity_effect = _combined(identity_policies(identity, principal), action, resource, caller, context)
    if identity_effect == "Deny":
        return denied_by_identity
    if endpoint_policy is not None:
        endpoint_effect = policy.evaluate(endpoint_policy, action, resource, caller, context)
        if endpoint_effect == "Deny":
            return Decision(False, "with an explicit deny in a VPC endpoint policy")
        if endpoint_effect != "Allow":
            return Decision(False, f"because no VPC endpoint policy allows the {action} action")
    resource_effect = None
    resource_names_caller = False
    if resource_policy is not None:
        applying = policy.matching(resource_policy, action, resource, caller, context)
        if any(s.get("Effect") == "Deny" for s in applying):
            return Decision(False, "with an explicit deny in a resource-based policy")
        allowing = [s for s in applying if s.get("Effect") == "Allow"]
        if allowing:
            resource_effect = "Allow"
            resource_names_caller = any(
                "Principal" in s and policy.names_principal_directly(s["Principal"], caller) for s in allowing
            )
    boundary = permissions_boundary(identity, principal)
    boundary_effect = "Allow" if boundary is None else policy.evaluate(boundary, action, resource, caller, context)
    if boundary_effect == "Deny":
        return Decision(False, "with an explicit deny in a permissions boundary")
    session = as_document(identity.session_policy)
    session_effect = "Allow" if session is None else policy.evaluate(session, action, resource, caller, context)
    if session_effect == "Deny":
        return Decision(False, "with an explicit deny in a session policy")

    identity_allows = identity_effect == "Allow" and boundary_effect == "Allow" and session_effect == "Allow"
    same_account = resource_account in (None, identity.account)
    if strict_resource_policy:
        if resource_effect != "Allow":
            return Decision(False, f"because no resource-based policy allows the {action} action")
        if resource_names_caller or identity_allows:
            return ALLOWED
        return _missing_identity_allow(identity_effect, boundary_effect, action)
    if same_account:
        # A resource policy naming the role (not the session) is still bounded by the boundary, as in AWS.
        if resource_effect == "Allow" and boundary_effect == "Allow" and session_effect == "Allow":
            return ALLOWED
        if identity_allows:
            return ALLOWED
        return _missing_identity_allow(identity_effect, boundary_effect, action)
    if not identity_allows:
        return _missing_identity_allow(identity_effect, boundary_effect, action)
    if resource_effect != "Allow":
        return Decision(False, f"because no resource-based policy allows the {action} action")
    return ALLOWED


def _missing_identity_allow(identity_effect: str | None, boundary_effect: str | None, action: str) -> Decision:
    if identity_effect == "Allow" and boundary_effect != "Allow":
        return Decision(False, f"because no permissions boundary allows the {action} action")
    if identity_effect == "Allow":
        return Decision(False, f"because no session policy allows the {action} action")
    return Decision(False, f"because no identity-based policy allows the {action} action")


def poller_identity(role_arn: str, session: str = "awslambda") -> Identity:
    """The session a service acting as a role uses: by default Lambda's pollers (event source mappings) as the
    function's execution role."""
    partition, account, role_name = role_arn.split(":")[1], role_arn.split(":")[4], role_arn.split("/")[-1]
    return Identity(
        arn=f"arn:{partition}:sts::{account}:assumed-role/{role_name}/{session}",
        account=account,
        partition=partition,
        role_name=role_name,
    )


def issue_session(role_arn: str, session_name: str, region: str, duration_s: int = 43200) -> dict[str, str]:
    """Temporary credentials for a role session, as Lambda and STS hand them out."""
    from moto.sts.models import sts_backends

    account = role_arn.split(":")[4]
    partition = role_arn.split(":")[1]
    session = sts_backends[account][partition].assume_role(
        region_name=region,
        role_session_name=session_name[:64],
        role_arn=role_arn,
        policy=None,  # type: ignore[arg-type]
        duration=duration_s,
        external_id=None,
    )  # type: ignore[arg-type]
    return {
        "AWS_ACCESS_KEY_ID": session.access_key_id,
        "AWS_SECRET_ACCESS_KEY": session.secret_access_key,
        "AWS_SESSION_TOKEN": session.session_token,
    }


def role_by_arn(arn: str | None) -> Any | None:
    """The role an ARN names, in its own account; None when there is none."""
    from moto.iam.models import iam_backends

    if not arn or ":role/" not in arn or arn.count(":") < 5:
        return None
    try:
        return iam_backends[arn.split(":")[4]][arn.split(":")[1]].get_role_by_arn(arn)
    except Exception:
        return None


_cached_sessions: dict[tuple[str, str], dict[str, str]] = {}


def cached_session(role_arn: str, session_name: str, region: str) -> dict[str, str]:
    """One session per role and session name, as a service keeps its assumed role's credentials (each
    new session would also lengthen the list moto scans to find a session's keys)."""
    with _lock:
        if (role_arn, session_name) not in _cached_sessions:
            _cached_sessions[(role_arn, session_name)] = issue_session(role_arn, session_name, region)
        return _cached_sessions[(role_arn, session_name)]


def service_session(
    role_arn: str | None,
    service: str,
    session_name: str,
    region: str,
    *,
    source_arn: str | None = None,
    source_account: str | None = None,
    external_id: str | None = None,
) -> dict[str, str] | None:
    """Credentials of an AWS service acting as a role it was given (an integration's credentials, a target's
    RoleArn); None when the role does not exist or its trust policy does not admit the service. Firehose
    passes the account as `sts:ExternalId`, which trust policies may require."""
    role = role_by_arn(role_arn)
    if role is None or not trusts(role, service, source_arn, source_account, external_id=external_id):
        return None
    return cached_session(str(role_arn), session_name, region)


def credentials_of(access_key_id: str | None) -> dict[str, str]:
    """The credentials behind a key that signed a request, for a service acting on the caller's behalf (Athena
    reads and writes S3 as the caller). Keys the local cloud did not issue (its root credentials) are passed as
    they came: the server checks no signature."""
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends

    key_id = access_key_id or "localcloud"
    for account, partitions in list(iam_backends.items()):
        for partition, backend in list(partitions.items()):
            key = backend.access_keys.get(key_id)
            if key is None:
                continue
            if key.role_arn:
                session = sts_backends[account][partition].get_assumed_role_from_access_key(key_id)
                if session is not None:
                    return {
                        "AWS_ACCESS_KEY_ID": key_id,
                        "AWS_SECRET_ACCESS_KEY": session.secret_access_key,
                        "AWS_SESSION_TOKEN": session.session_token,
                    }
            else:
                return {
                    "AWS_ACCESS_KEY_ID": key_id,
                    "AWS_SECRET_ACCESS_KEY": key.secret_access_key,
                    "AWS_SESSION_TOKEN": "",
                }
    return {"AWS_ACCESS_KEY_ID": key_id, "AWS_SECRET_ACCESS_KEY": "localcloud", "AWS_SESSION_TOKEN": ""}


def session_client(
    service_name: str, region: str, endpoint_url: str, credentials: dict[str, str], config: Any = None
) -> Any:
    """A boto3 client signing with a session's credentials."""
    import boto3

    return boto3.client(
        service_name,
        region_name=region,
        endpoint_url=endpoint_url,
        config=config,
        aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=credentials["AWS_SESSION_TOKEN"] or None,
    )


def trusts(
    role: Any,
    service: str,
    source_arn: str | None = None,
    source_account: str | None = None,
    region: str | None = None,
    external_id: str | None = None,
) -> bool:
    """Whether a role's trust policy lets an AWS service assume it (Lambda, API Gateway, Step Functions...).
    With `region`, the service also answers to its regional principal (states.us-east-1.amazonaws.com)."""
    document = as_document(getattr(role, "assume_role_policy_document", None)) or {}
    context = {
        k: v
        for k, v in (
            ("aws:SourceArn", source_arn),
            ("aws:SourceAccount", source_account),
            ("sts:ExternalId", external_id),
        )
        if v
    }
    principals = [service]
    if region and service.endswith(".amazonaws.com"):
        principals.append(f"{service.removesuffix('.amazonaws.com')}.{region}.amazonaws.com")
    return any(
        policy.evaluate(document, "sts:AssumeRole", role.arn, policy.Caller(service=principal, context=context))
        == "Allow"
        for principal in principals
    )
