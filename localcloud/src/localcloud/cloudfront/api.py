"""CloudFront's API where moto lacks it or loses what it was given.

- The three policy APIs (`policies.py`) get routes on moto's CloudFront responses.
- A distribution reads back what it was created with: Lambda@Edge and CloudFront Functions associations,
  an origin's `OriginAccessControlId`, `ForwardedValues` only where given, `SSLSupportMethod` only where
  given (moto invents each, and the provider plans a change on every run).
- A distribution is checked as CloudFront checks it: every policy, origin access control and origin it names
  exists, a behaviour has either a cache policy or `ForwardedValues`, Lambda@Edge names a published version
  in us-east-1 without environment variables. Its ETag changes with each update, `If-Match` must carry it,
  and only a disabled distribution may be deleted (the provider disables, waits, then deletes).
- An invalidation empties the edge's cache (`cache.py`).
"""

from __future__ import annotations

import uuid
from typing import Any

from moto.cloudfront import models as cf_models
from moto.cloudfront import urls
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.responses import ActionResult, EmptyResult

from localcloud.cloudfront import cache, policies, shapes
from localcloud.cloudfront.policies import PolicyError

VERSION = "2020-05-31"


def behaviours(config: Any) -> list[Any]:
    """A distribution config's cache behaviours, ordered ones first, the default last."""
    return [*shapes.items(getattr(config, "CacheBehaviors", None)), config.DefaultCacheBehavior]


def all_distributions() -> list[Any]:
    return [
        dist
        for partitions in list(cf_models.cloudfront_backends.values())
        for backend in list(partitions.values())
        for dist in list(backend.distributions.values())
    ]


def _in_use(kind: policies.Kind, account: str, policy_id: str) -> bool:
    backend = cf_models.cloudfront_backends[account]["aws"]
    attribute = f"{kind.snake}_id"
    return any(
        getattr(behaviour, attribute, None) == policy_id
        for dist in list(backend.distributions.values())
        for behaviour in behaviours(dist.distribution_config)
    )


# -- distribution read-back and checks ---------------------------------------------------------------


def _associations(config: dict[str, Any], name: str) -> dict[str, Any]:
    given = config.get(name) or {}
    items = shapes.items(given)
    return {"Quantity": len(items), "Items": items} if items else {"Quantity": 0}


# Lambda@Edge's quotas per event type: the longest timeout (s) and the most memory (MB) a function may have.
EDGE_LIMITS = {"viewer-request": (5, 128), "viewer-response": (5, 128), "origin-request": (30, 10240),
               "origin-response": (30, 10240)}  # fmt: skip
EDGE_SERVICES = ("lambda.amazonaws.com", "edgelambda.amazonaws.com")


def _invalid(message: str) -> PolicyError:
    return PolicyError("InvalidLambdaFunctionAssociation", message)


def _check_edge_function(function: Any, arn: str, event_type: str) -> None:
    """What CloudFront refuses at association beyond the ARN: the runtime, the CPU, the quotas of the event
    type, and a role that Lambda@Edge may assume (edgelambda.amazonaws.com as well as lambda.amazonaws.com)."""
    from localcloud.core import iam

    runtime = str(getattr(function, "run_time", "") or "")
    if not runtime.startswith(("python", "nodejs")):
        raise _invalid(f"The function runtime {runtime} is not supported by Lambda@Edge. Function: {arn}")
    if "arm64" in (getattr(function, "architectures", None) or []):
        raise _invalid(f"The function architecture arm64 is not supported by Lambda@Edge. Function: {arn}")
    if event_type not in EDGE_LIMITS:
        raise _invalid(f"The event type {event_type} is not one of {', '.join(EDGE_LIMITS)}.")
    timeout, memory = EDGE_LIMITS[event_type]
    if int(getattr(function, "timeout", 3)) > timeout:
        raise _invalid(f"The function timeout is larger than the maximum allowed ({timeout} s) for {event_type}. Function: {arn}")  # fmt: skip
    if int(getattr(function, "memory_size", 128)) > memory:
        raise _invalid(f"The function memory size is larger than the maximum allowed ({memory} MB) for {event_type}. Function: {arn}")  # fmt: skip
    role = iam.role_by_arn(str(getattr(function, "role", "")))
    if role is None or not all(iam.trusts(role, service) for service in EDGE_SERVICES):
        raise _invalid(
            "The function execution role must be assumable with edgelambda.amazonaws.com as well as "
            f"lambda.amazonaws.com principals. Update the IAM role and try again. Role: {getattr(function, 'role', '')}"
        )


def _check_lambda_association(arn: str, event_type: str) -> None:
    parts = arn.split(":")
    if len(parts) != 8 or not parts[7].isdigit():
        raise PolicyError(
            "InvalidLambdaFunctionAssociation",
            f"The function ARN must reference a specific function version. (The ARN must end with the version "
            f"number.) ARN: {arn}",
        )
    if parts[3] != "us-east-1":
        raise PolicyError("InvalidLambdaFunctionAssociation", f"The function must be in region 'us-east-1'. ARN: {arn}")
    from moto.awslambda.models import lambda_backends

    try:
        function = lambda_backends[parts[4]]["us-east-1"].get_function(parts[6], parts[7])
    except Exception:
        function = None
    if function is None:
        raise PolicyError(
            "InvalidLambdaFunctionAssociation",
            f"The function ARN does not reference an existing function version: {arn}",
        )
    if getattr(function, "environment_vars", None):
        raise PolicyError(
            "InvalidLambdaFunctionAssociation",
            f"The function cannot have environment variables. Function: {arn}",
        )
    _check_edge_function(function, arn, event_type)


def _check_behaviour(behaviour: dict[str, Any], account: str, origin_ids: set[str]) -> None:
    if behaviour.get("TargetOriginId") not in origin_ids:
        raise PolicyError("NoSuchOrigin", "One or more of your origins or origin groups do not exist.", 404)
    cache_policy = behaviour.get("CachePolicyId")
    if cache_policy and behaviour.get("ForwardedValues"):
        raise PolicyError(
            "InvalidArgument",
            "The parameter ForwardedValues cannot be used when a cache policy is associated to the cache behavior.",
        )
    if not cache_policy and not behaviour.get("ForwardedValues"):
        raise PolicyError("InvalidArgument", "The parameter ForwardedValues is required.")
    for kind in policies.KINDS:
        named = behaviour.get(kind.behaviour_field)
        if named and policies.find(kind, account, named) is None:
            raise PolicyError(kind.missing, f"The {kind.noun} does not exist.", 404)
    for association in shapes.items(behaviour.get("LambdaFunctionAssociations")):
        _check_lambda_association(str(association.get("LambdaFunctionARN", "")), str(association.get("EventType")))


def check_config(config: dict[str, Any], account: str) -> None:
    origins = shapes.items(config.get("Origins"))
    groups = shapes.items(config.get("OriginGroups"))
    origin_ids = {o.get("Id") for o in origins} | {g.get("Id") for g in groups}
    backend = cf_models.cloudfront_backends[account]["aws"]
    for origin in origins:
        control = origin.get("OriginAccessControlId")
        if control and control not in backend.origin_access_controls:
            raise PolicyError("NoSuchOriginAccessControl", "The origin access control does not exist.", 404)
    ordered = shapes.items(config.get("CacheBehaviors"))
    for behaviour in [*ordered, config.get("DefaultCacheBehavior") or {}]:
        _check_behaviour(behaviour, account, origin_ids)
    root = config.get("DefaultRootObject") or ""
    if root.startswith("/"):
        raise PolicyError("InvalidDefaultRootObject", "The specified default root object is invalid.")


def _install_read_back() -> None:
    behaviour_init = cf_models.DefaultCacheBehaviour.__init__

    def behaviour(self: Any, config: dict[str, Any]) -> None:
        given_forwarded = "ForwardedValues" in config
        behaviour_init(self, config)
        self.lambda_function_associations = _associations(config, "LambdaFunctionAssociations")
        self.function_associations = _associations(config, "FunctionAssociations")
        if not given_forwarded:
            self.forwarded_values = None
        self.response_headers_policy_id = config.get("ResponseHeadersPolicyId") or None
        self.origin_request_policy_id = config.get("OriginRequestPolicyId") or None

    cf_models.DefaultCacheBehaviour.__init__ = behaviour  # type: ignore[method-assign]

    cache_behaviour_init = cf_models.CacheBehaviour.__init__

    def ordered_behaviour(self: Any, config: dict[str, Any]) -> None:
        cache_behaviour_init(self, config)
        self.origin_request_policy_id = config.get("OriginRequestPolicyId") or None

    cf_models.CacheBehaviour.__init__ = ordered_behaviour  # type: ignore[method-assign]

    origin_init = cf_models.Origin.__init__

    def origin(self: Any, config: dict[str, Any]) -> None:
        origin_init(self, config)
        self.origin_access_control_id = config.get("OriginAccessControlId") or ""
        self.s3_origin_config = config.get("S3OriginConfig")

    cf_models.Origin.__init__ = origin  # type: ignore[method-assign]

    config_init = cf_models.DistributionConfig.__init__

    def distribution_config(self: Any, config: dict[str, Any]) -> None:
        target = (config.get("DefaultCacheBehavior") or {}).get("TargetOriginId")
        groups = {g.get("Id") for g in shapes.items(config.get("OriginGroups"))}
        try:
            config_init(self, config)
        except cf_models.OriginDoesNotExist:
            if target not in groups:
                raise
            # moto looks for the default behaviour's target among origins only; an origin group is one too.
            self.__dict__.update(config)
            self.caller_reference = config["CallerReference"]

    cf_models.DistributionConfig.__init__ = distribution_config  # type: ignore[method-assign]

    certificate_init = cf_models.ViewerCertificate.__init__

    def certificate(self: Any, config: dict[str, Any]) -> None:
        certificate_init(self, config)
        self.ssl_support_method = config.get("SSLSupportMethod") or None

    cf_models.ViewerCertificate.__init__ = certificate  # type: ignore[method-assign]


def _install_distribution_rules() -> None:
    Backend = cf_models.CloudFrontBackend
    create = Backend.create_distribution_with_tags
    update = Backend.update_distribution
    delete = Backend.delete_distribution
    invalidate = Backend.create_invalidation

    def create_distribution_with_tags(self: Any, distribution_config: dict[str, Any], tags: Any) -> Any:
        check_config(distribution_config, self.account_id)
        dist, location, etag = create(self, distribution_config, tags)
        return dist, location, etag

    def update_distribution(self: Any, dist_config: dict[str, Any], _id: str, if_match: Any) -> Any:
        current = self.distributions.get(_id)
        if current is not None and if_match and if_match != current.etag:
            raise policies.precondition_failed()
        if dist_config:
            check_config(dist_config, self.account_id)
        dist, location, _ = update(self, dist_config, _id, if_match)
        dist.etag = "E" + uuid.uuid4().hex[:13].upper()
        dist.status = "InProgress"  # a change deploys again before it is Deployed
        return dist, location, dist.etag

    def delete_distribution(self: Any, distribution_id: str, if_match: Any) -> None:
        current = self.distributions.get(distribution_id)
        if current is not None:
            if if_match and if_match != current.etag:
                raise policies.precondition_failed()
            if current.distribution_config.Enabled in (True, "true"):
                raise PolicyError(
                    "DistributionNotDisabled", "The distribution you are trying to delete has not been disabled.", 409
                )
        delete(self, distribution_id, if_match)
        cache.forget(distribution_id)

    def create_invalidation(self: Any, dist_id: str, paths: list[str], caller_ref: str) -> Any:
        for path in paths:
            if not str(path).startswith("/"):
                raise PolicyError("InvalidArgument", f"Your request contains one or more invalid invalidation paths: {path}")  # fmt: skip
        for earlier in self.invalidations.get(dist_id, []):
            if earlier.caller_ref == caller_ref:
                # A repeated reference is the same request: CloudFront answers with what it made.
                if sorted(earlier.paths) != sorted(paths):
                    raise PolicyError("InvalidationBatchAlreadyExists", "The caller reference has already been used with a different invalidation batch.", 409)  # fmt: skip
                return earlier
        invalidation = invalidate(self, dist_id, paths, caller_ref)
        # The edge is emptied now, so the invalidation is done; AWS spells it "Completed" (its waiter waits for
        # that), moto "COMPLETED".
        invalidation.status = "Completed"
        cache.invalidate(dist_id, [str(p) for p in paths])
        return invalidation

    Backend.create_distribution_with_tags = create_distribution_with_tags  # type: ignore[method-assign]
    Backend.update_distribution = update_distribution  # type: ignore[method-assign]
    Backend.delete_distribution = delete_distribution  # type: ignore[method-assign]
    Backend.create_invalidation = create_invalidation  # type: ignore[method-assign]


# -- the policy operations -----------------------------------------------------------------------------


def _policy_operations(kind: policies.Kind) -> dict[str, Any]:
    def location(policy_id: str) -> str:
        return f"https://cloudfront.amazonaws.com/{VERSION}/{kind.segment}/{policy_id}"

    def create_(self: Any) -> ActionResult:
        made = policies.create(kind, self.current_account, self._get_param(kind.config))
        return ActionResult({kind.shape: made.as_api(kind), "Location": location(made.id), "ETag": made.etag})

    def get_(self: Any) -> ActionResult:
        found = policies.get(kind, self.current_account, self._get_param("Id"))
        return ActionResult({kind.shape: found.as_api(kind), "ETag": found.etag})

    def get_config(self: Any) -> ActionResult:
        found = policies.get(kind, self.current_account, self._get_param("Id"))
        return ActionResult({kind.config: found.config, "ETag": found.etag})

    def update_(self: Any) -> ActionResult:
        changed = policies.update(
            kind, self.current_account, self._get_param("Id"), self._get_param(kind.config), self._get_param("IfMatch")
        )
        return ActionResult({kind.shape: changed.as_api(kind), "ETag": changed.etag})

    def delete_(self: Any) -> EmptyResult:
        policy_id = self._get_param("Id")
        used = _in_use(kind, self.current_account, policy_id)
        policies.delete(kind, self.current_account, policy_id, self._get_param("IfMatch"), used)
        return EmptyResult()

    def list_(self: Any) -> ActionResult:
        found = policies.listed(kind, self.current_account, self._get_param("Type"))
        items = [{"Type": policy_type, kind.shape: p.as_api(kind)} for policy_type, p in found]
        return ActionResult({f"{kind.shape}List": {"MaxItems": 100, "Quantity": len(items), "Items": items or None}})

    snake = kind.snake
    return {
        f"create_{snake}": create_,
        f"get_{snake}": get_,
        f"get_{snake}_config": get_config,
        f"update_{snake}": update_,
        f"delete_{snake}": delete_,
        f"list_{snake.replace('_policy', '_policies')}": list_,
    }


def install() -> None:
    _install_read_back()
    _install_distribution_rules()
    for kind in policies.KINDS:
        for name, operation in _policy_operations(kind).items():
            setattr(CloudFrontResponse, name, operation)
        urls.url_paths[f"{{0}}/{VERSION}/{kind.segment}$"] = CloudFrontResponse.dispatch
        urls.url_paths[f"{{0}}/{VERSION}/{kind.segment}/(?P<Id>[^/]+)$"] = CloudFrontResponse.dispatch
        urls.url_paths[f"{{0}}/{VERSION}/{kind.segment}/(?P<Id>[^/]+)/config$"] = CloudFrontResponse.dispatch
