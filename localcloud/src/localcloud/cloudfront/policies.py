"""CloudFront's cache, origin request and response headers policies: the API moto has no route for.

The provider's `aws_cloudfront_cache_policy`, `aws_cloudfront_origin_request_policy` and
`aws_cloudfront_response_headers_policy` (and the data sources that look up AWS's managed policies by name)
call `/2020-05-31/cache-policy` and its siblings; moto answers them with an HTML 404. Here they are kept per
account, validated as CloudFront validates them, listed with the managed policies (`Type=managed`), and
refused deletion while a distribution uses them. The edge (`edge.py`) reads them to build cache keys, decide
what reaches the origin and add response headers.
"""

from __future__ import annotations

import copy
import datetime
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from moto.core.exceptions import ServiceException

from localcloud.cloudfront import managed, shapes


class PolicyError(ServiceException):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(code, message)
        self.code = code
        self.status = status


def precondition_failed() -> PolicyError:
    """An If-Match that is not the resource's current ETag."""
    message = "The precondition given in one or more of the request fields evaluated to false."
    return PolicyError("PreconditionFailed", message, 412)


@dataclass(frozen=True)
class Kind:
    """One of the three policy APIs: its URL segment, its shapes' names and its errors."""

    segment: str  # cache-policy
    shape: str  # CachePolicy
    noun: str  # cache policy

    @property
    def behaviour_field(self) -> str:
        """Where a cache behaviour names it: CachePolicyId."""
        return f"{self.shape}Id"

    @property
    def snake(self) -> str:
        """Its name in moto's methods and models: cache_policy (create_cache_policy, cache_policy_id)."""
        return self.segment.replace("-", "_")

    @property
    def config(self) -> str:
        return f"{self.shape}Config"

    @property
    def missing(self) -> str:
        return f"NoSuch{self.shape}"


CACHE = Kind("cache-policy", "CachePolicy", "cache policy")
ORIGIN_REQUEST = Kind("origin-request-policy", "OriginRequestPolicy", "origin request policy")
RESPONSE_HEADERS = Kind("response-headers-policy", "ResponseHeadersPolicy", "response headers policy")
KINDS = (CACHE, ORIGIN_REQUEST, RESPONSE_HEADERS)


@dataclass
class Policy:
    id: str
    config: dict[str, Any]
    etag: str
    last_modified: datetime.datetime
    managed: bool = False

    def as_api(self, kind: Kind) -> dict[str, Any]:
        return {"Id": self.id, "LastModifiedTime": self.last_modified, kind.config: self.config}


_lock = threading.Lock()
_custom: dict[tuple[str, str], dict[str, Policy]] = {}  # (account, segment) -> id -> policy
_MANAGED_TIME = datetime.datetime(2021, 9, 1, tzinfo=datetime.UTC)
_MANAGED: dict[str, dict[str, Policy]] = {
    CACHE.segment: {p["Id"]: Policy(p["Id"], managed.cache_config(p), "E23ZP02F085DFQ", _MANAGED_TIME, True)
                    for p in managed.CACHE_POLICIES},
    ORIGIN_REQUEST.segment: {
        p["Id"]: Policy(p["Id"], managed.origin_request_config(p), "E23ZP02F085DFQ", _MANAGED_TIME, True)
        for p in managed.ORIGIN_REQUEST_POLICIES
    },
    RESPONSE_HEADERS.segment: {
        p["Id"]: Policy(p["Id"], managed.response_headers_config(p), "E23ZP02F085DFQ", _MANAGED_TIME, True)
        for p in managed.RESPONSE_HEADERS_POLICIES
    },
}  # fmt: skip


def _etag() -> str:
    return "E" + uuid.uuid4().hex[:13].upper()


def find(kind: Kind, account: str, policy_id: str) -> Policy | None:
    with _lock:
        return _MANAGED[kind.segment].get(policy_id) or _custom.get((account, kind.segment), {}).get(policy_id)


def listed(kind: Kind, account: str, policy_type: str | None) -> list[tuple[str, Policy]]:
    with _lock:
        custom = list(_custom.get((account, kind.segment), {}).values())
    found: list[tuple[str, Policy]] = []
    if policy_type in (None, "managed"):
        found += [("managed", p) for p in _MANAGED[kind.segment].values()]
    if policy_type in (None, "custom"):
        found += [("custom", p) for p in custom]
    return found


# -- validation ------------------------------------------------------------------------------------


def _check_quantity(container: Any, what: str) -> None:
    if (
        isinstance(container, dict)
        and "Quantity" in container
        and int(container["Quantity"]) != len(shapes.items(container))
    ):
        raise PolicyError("InvalidArgument", f"The number of {what} items does not match the Quantity.")


def _check_name(name: Any, noun: str) -> None:
    if not name or not isinstance(name, str):
        raise PolicyError("InvalidArgument", f"The {noun} name is required.")
    if len(name) > 128 or not all(c.isalnum() or c in "-_" for c in name):
        raise PolicyError("InvalidArgument", f"The {noun} name must be 1-128 letters, digits, - or _.")


def _validate_cache(config: dict[str, Any]) -> None:
    minimum = int(config.get("MinTTL", 0))
    default = int(config.get("DefaultTTL", 86400))
    maximum = int(config.get("MaxTTL", 31536000))
    config.update(MinTTL=minimum, DefaultTTL=default, MaxTTL=maximum)
    if minimum < 0 or default < 0 or maximum < 0:
        raise PolicyError("InvalidArgument", "TTL values must not be negative.")
    if not minimum <= default <= maximum:
        raise PolicyError("InvalidArgument", "The cache policy's TTLs must satisfy MinTTL <= DefaultTTL <= MaxTTL.")
    keys = config.get("ParametersInCacheKeyAndForwardedToOrigin")
    if not isinstance(keys, dict):
        raise PolicyError("InvalidArgument", "ParametersInCacheKeyAndForwardedToOrigin is required.")
    for block, behaviour, items, allowed in (
        ("HeadersConfig", "HeaderBehavior", "Headers", ("none", "whitelist")),
        ("CookiesConfig", "CookieBehavior", "Cookies", ("none", "whitelist", "allExcept", "all")),
        ("QueryStringsConfig", "QueryStringBehavior", "QueryStrings", ("none", "whitelist", "allExcept", "all")),
    ):
        part = keys.get(block) or {}
        chosen = part.get(behaviour)
        if chosen not in allowed:
            raise PolicyError("InvalidArgument", f"{behaviour} must be one of {', '.join(allowed)}.")
        _check_quantity(part.get(items), items)
        if chosen in ("whitelist", "allExcept") and not shapes.items(part.get(items)):
            raise PolicyError("InvalidArgument", f"{behaviour} {chosen} needs at least one item in {items}.")
        if chosen == "none" and shapes.items(part.get(items)):
            raise PolicyError("InvalidArgument", f"{behaviour} none takes no {items}.")
        if maximum == 0 and chosen != "none":
            raise PolicyError(
                "InvalidArgument",
                "The cache policy disables caching (MaxTTL 0), so it may not add "
                f"{items.lower()} to the cache key: use an origin request policy to forward them.",
            )
    gzip = bool(keys.get("EnableAcceptEncodingGzip"))
    brotli = bool(keys.get("EnableAcceptEncodingBrotli"))
    if maximum == 0 and (gzip or brotli):
        raise PolicyError(
            "InvalidArgument", "The cache policy disables caching (MaxTTL 0), so it may not enable Accept-Encoding."
        )
    lowered = [str(h).lower() for h in shapes.items((keys.get("HeadersConfig") or {}).get("Headers"))]
    if "accept-encoding" in lowered:
        raise PolicyError(
            "InvalidArgument",
            "Accept-Encoding cannot be a cache key header: enable EnableAcceptEncodingGzip or Brotli instead.",
        )


_ORIGIN_HEADER_BEHAVIOURS = ("none", "whitelist", "allViewer", "allViewerAndWhitelistCloudFront", "allExcept")


def _validate_origin_request(config: dict[str, Any]) -> None:
    for block, behaviour, items, allowed in (
        ("HeadersConfig", "HeaderBehavior", "Headers", _ORIGIN_HEADER_BEHAVIOURS),
        ("CookiesConfig", "CookieBehavior", "Cookies", ("none", "whitelist", "all", "allExcept")),
        ("QueryStringsConfig", "QueryStringBehavior", "QueryStrings", ("none", "whitelist", "all", "allExcept")),
    ):
        part = config.get(block) or {}
        if part.get(behaviour) not in allowed:
            raise PolicyError("InvalidArgument", f"{behaviour} must be one of {', '.join(allowed)}.")
        _check_quantity(part.get(items), items)
    headers = [str(h).lower() for h in shapes.items((config.get("HeadersConfig") or {}).get("Headers"))]
    if "authorization" in headers:
        raise PolicyError(
            "InvalidArgument",
            "The Authorization header cannot be forwarded by an origin request policy: add it to the cache policy.",
        )


def _validate_response_headers(config: dict[str, Any]) -> None:
    custom = [str(item.get("Header", "")).lower() for item in shapes.items(config.get("CustomHeadersConfig"))]
    _check_quantity(config.get("CustomHeadersConfig"), "CustomHeaders")
    _check_quantity(config.get("RemoveHeadersConfig"), "RemoveHeaders")
    if len(set(custom)) != len(custom):
        raise PolicyError("InvalidArgument", "A custom header may appear only once in a response headers policy.")
    cors = config.get("CorsConfig")
    if isinstance(cors, dict):
        for required in ("AccessControlAllowOrigins", "AccessControlAllowHeaders", "AccessControlAllowMethods"):
            if not isinstance(cors.get(required), dict):
                raise PolicyError("InvalidArgument", f"CorsConfig.{required} is required.")
            _check_quantity(cors[required], required)
        if "AccessControlAllowCredentials" not in cors or "OriginOverride" not in cors:
            raise PolicyError("InvalidArgument", "CorsConfig needs AccessControlAllowCredentials and OriginOverride.")
        if bool(cors["AccessControlAllowCredentials"]) and "*" in shapes.items(cors["AccessControlAllowOrigins"]):
            raise PolicyError(
                "InvalidArgument",
                "AccessControlAllowCredentials cannot be true when AccessControlAllowOrigins is '*'.",
            )
    timing = config.get("ServerTimingHeadersConfig")
    if isinstance(timing, dict) and timing.get("SamplingRate") is not None:
        if not 0 <= float(timing["SamplingRate"]) <= 100:
            raise PolicyError("InvalidArgument", "ServerTimingHeadersConfig.SamplingRate must be 0-100.")


_VALIDATORS = {
    CACHE.segment: _validate_cache,
    ORIGIN_REQUEST.segment: _validate_origin_request,
    RESPONSE_HEADERS.segment: _validate_response_headers,
}


def _validated(kind: Kind, config: Any, account: str, own_id: str | None) -> dict[str, Any]:
    if not isinstance(config, dict):
        raise PolicyError("InvalidArgument", f"{kind.config} is required.")
    config = copy.deepcopy(config)
    _check_name(config.get("Name"), kind.noun)
    _VALIDATORS[kind.segment](config)
    with _lock:
        taken = [
            p for p in list(_custom.get((account, kind.segment), {}).values()) + list(_MANAGED[kind.segment].values())
            if p.config.get("Name") == config["Name"] and p.id != own_id
        ]  # fmt: skip
    if taken:
        raise PolicyError(f"{kind.shape}AlreadyExists", f"A {kind.noun} with this name already exists.", 409)
    return config


# -- the operations ----------------------------------------------------------------------------------


def create(kind: Kind, account: str, config: Any) -> Policy:
    config = _validated(kind, config, account, None)
    policy = Policy(str(uuid.uuid4()), config, _etag(), datetime.datetime.now(datetime.UTC))
    with _lock:
        _custom.setdefault((account, kind.segment), {})[policy.id] = policy
    return policy


def get(kind: Kind, account: str, policy_id: str) -> Policy:
    found = find(kind, account, policy_id)
    if found is None:
        raise PolicyError(kind.missing, f"The {kind.noun} does not exist.", 404)
    return found


def _owned(kind: Kind, account: str, policy_id: str, if_match: str | None, verb: str) -> Policy:
    found = get(kind, account, policy_id)
    if found.managed:
        raise PolicyError("AccessDenied", f"You cannot {verb} a managed {kind.noun}.", 403)
    if not if_match:
        raise PolicyError("InvalidIfMatchVersion", "The If-Match version is missing or not valid for the resource.")
    if if_match != found.etag:
        raise precondition_failed()
    return found


def update(kind: Kind, account: str, policy_id: str, config: Any, if_match: str | None) -> Policy:
    found = _owned(kind, account, policy_id, if_match, "update")
    found.config = _validated(kind, config, account, policy_id)
    found.etag = _etag()
    found.last_modified = datetime.datetime.now(datetime.UTC)
    return found


def delete(kind: Kind, account: str, policy_id: str, if_match: str | None, in_use: bool) -> None:
    _owned(kind, account, policy_id, if_match, "delete")
    if in_use:
        raise PolicyError(f"{kind.shape}InUse", f"Cannot delete the {kind.noun}: a cache behavior uses it.", 409)
    with _lock:
        _custom.get((account, kind.segment), {}).pop(policy_id, None)


def reset() -> None:
    with _lock:
        _custom.clear()
