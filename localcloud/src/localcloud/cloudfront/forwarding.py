"""What of a viewer's request reaches the origin, and what makes up the cache key.

A behaviour with a cache policy: the policy's headers, cookies and query strings are the cache key and are
forwarded; its origin request policy forwards more without keying on them. A behaviour with legacy
`ForwardedValues`: those values are both. Anything else is not sent to the origin: CloudFront sends its own
`User-Agent`, `Via`, `X-Amz-Cf-Id` and `X-Forwarded-For`, and the origin's domain as `Host` unless the viewer's
`Host` is forwarded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from localcloud.cloudfront import policies, shapes

# Headers CloudFront adds about the viewer, for an origin request policy's allViewerAndWhitelistCloudFront.
CLOUDFRONT_HEADERS = (
    "cloudfront-viewer-address", "cloudfront-viewer-country", "cloudfront-is-desktop-viewer",
    "cloudfront-is-mobile-viewer", "cloudfront-forwarded-proto", "cloudfront-viewer-http-version",
)  # fmt: skip
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "content-length", "expect"}  # fmt: skip


@dataclass
class Selection:
    """A behaviour (none, all, some, all but some) over names; header names compare case-insensitively."""

    behaviour: str = "none"
    names: tuple[str, ...] = ()

    def admits(self, name: str, *, fold: bool) -> bool:
        wanted = [n.lower() for n in self.names] if fold else list(self.names)
        key = name.lower() if fold else name
        if self.behaviour in ("all", "allViewer", "allViewerAndWhitelistCloudFront"):
            return True
        if self.behaviour == "allExcept":
            return key not in wanted
        if self.behaviour == "whitelist":
            return key in wanted
        return False


@dataclass
class Rules:
    key_headers: Selection = field(default_factory=Selection)
    key_cookies: Selection = field(default_factory=Selection)
    key_queries: Selection = field(default_factory=Selection)
    origin_headers: Selection = field(default_factory=Selection)
    origin_cookies: Selection = field(default_factory=Selection)
    origin_queries: Selection = field(default_factory=Selection)
    gzip: bool = False
    brotli: bool = False
    ttls: tuple[int, int, int] = (0, 86400, 31536000)  # min, default, max


def _items(container: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in shapes.items(container))


def _selection(block: Any, behaviour_key: str, items_key: str) -> Selection:
    block = block or {}
    return Selection(str(block.get(behaviour_key) or "none"), _items(block.get(items_key)))


def rules_for(behaviour: Any, account: str) -> Rules:
    rules = Rules()
    cache_policy_id = getattr(behaviour, "cache_policy_id", "") or ""
    if cache_policy_id:
        found = policies.find(policies.CACHE, account, cache_policy_id)
        config = found.config if found else {}
        keys = config.get("ParametersInCacheKeyAndForwardedToOrigin") or {}
        rules.key_headers = _selection(keys.get("HeadersConfig"), "HeaderBehavior", "Headers")
        rules.key_cookies = _selection(keys.get("CookiesConfig"), "CookieBehavior", "Cookies")
        rules.key_queries = _selection(keys.get("QueryStringsConfig"), "QueryStringBehavior", "QueryStrings")
        rules.gzip = bool(keys.get("EnableAcceptEncodingGzip"))
        rules.brotli = bool(keys.get("EnableAcceptEncodingBrotli"))
        rules.ttls = (
            int(config.get("MinTTL", 0)),
            int(config.get("DefaultTTL", 86400)),
            int(config.get("MaxTTL", 31536000)),
        )
    else:
        forwarded = getattr(behaviour, "forwarded_values", None)
        values = forwarded.__dict__ if forwarded is not None else {}
        headers = _items(values.get("Headers"))
        rules.key_headers = (
            Selection("all", ()) if "*" in headers else Selection("whitelist" if headers else "none", headers)
        )
        cookies = values.get("Cookies") or {}
        forward = str(cookies.get("Forward") or "none")
        rules.key_cookies = Selection({"whitelist": "whitelist", "all": "all"}.get(forward, "none"),
                                      _items(cookies.get("WhitelistedNames")))  # fmt: skip
        query = str(values.get("QueryString")).lower() == "true"
        keys = _items(values.get("QueryStringCacheKeys"))
        rules.key_queries = Selection("whitelist", keys) if query and keys else Selection("all" if query else "none")
        rules.gzip = str(getattr(behaviour, "compress", False)).lower() == "true"
        minimum = int(getattr(behaviour, "min_ttl", 0) or 0)
        default = int(getattr(behaviour, "default_ttl", 0) or 86400)
        maximum = int(getattr(behaviour, "max_ttl", 0) or 31536000)
        rules.ttls = (minimum, default, maximum)
    rules.origin_headers, rules.origin_cookies, rules.origin_queries = (
        rules.key_headers,
        rules.key_cookies,
        rules.key_queries,
    )
    request_policy_id = getattr(behaviour, "origin_request_policy_id", "") or ""
    if request_policy_id:
        found = policies.find(policies.ORIGIN_REQUEST, account, request_policy_id)
        config = found.config if found else {}
        rules.origin_headers = _either(
            rules.key_headers, _selection(config.get("HeadersConfig"), "HeaderBehavior", "Headers")
        )
        rules.origin_cookies = _either(
            rules.key_cookies, _selection(config.get("CookiesConfig"), "CookieBehavior", "Cookies")
        )
        rules.origin_queries = _either(rules.key_queries, _selection(config.get("QueryStringsConfig"), "QueryStringBehavior", "QueryStrings"))  # fmt: skip
    return rules


@dataclass
class _Either(Selection):
    first: Selection = field(default_factory=Selection)
    second: Selection = field(default_factory=Selection)

    def admits(self, name: str, *, fold: bool) -> bool:
        return self.first.admits(name, fold=fold) or self.second.admits(name, fold=fold)


def _either(first: Selection, second: Selection) -> Selection:
    return _Either("either", (), first, second)


def cookies_of(header: str) -> list[tuple[str, str]]:
    found = []
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            found.append((name, value))
    return found


def cache_key(
    method: str, path: str, query: list[tuple[str, str]], headers: dict[str, str], rules: Rules
) -> tuple[str, ...]:
    """The cache key: the path, and the headers, cookies and query strings the cache policy names."""
    parts = ["OPTIONS" if method == "OPTIONS" else "GET", path]
    parts += sorted(f"q:{k}={v}" for k, v in query if rules.key_queries.admits(k, fold=False))
    parts += sorted(
        f"h:{k}={v}" for k, v in headers.items() if k != "cookie" and rules.key_headers.admits(k, fold=True)
    )
    parts += sorted(
        f"c:{k}={v}" for k, v in cookies_of(headers.get("cookie", "")) if rules.key_cookies.admits(k, fold=False)
    )
    encoding = headers.get("accept-encoding", "").lower()
    if rules.brotli and "br" in encoding:
        parts.append("e:br")
    elif (rules.gzip or rules.brotli) and "gzip" in encoding:
        parts.append("e:gzip")
    return tuple(parts)


def origin_query(query: list[tuple[str, str]], rules: Rules) -> list[tuple[str, str]]:
    return [(k, v) for k, v in query if rules.origin_queries.admits(k, fold=False)]


def origin_headers(headers: dict[str, str], rules: Rules, viewer: dict[str, str]) -> dict[str, str]:
    """The headers sent to the origin: what the policies forward, CloudFront's own, and the viewer's facts."""
    sent: dict[str, str] = {}
    for name, value in headers.items():
        if name in HOP_BY_HOP or name == "cookie":
            continue
        if name in ("if-none-match", "if-modified-since", "range", "content-type", "content-encoding"):
            sent[name] = value  # conditional and body headers always travel
        elif name == "authorization":
            # Only the cache key carries it, or an all-viewer origin request policy when caching is disabled.
            caching_disabled = rules.ttls[2] == 0
            if rules.key_headers.admits(name, fold=True) or (
                caching_disabled and rules.origin_headers.admits(name, fold=True)
            ):
                sent[name] = value
        elif rules.origin_headers.admits(name, fold=True):
            sent[name] = value
    kept = [f"{k}={v}" for k, v in cookies_of(headers.get("cookie", "")) if rules.origin_cookies.admits(k, fold=False)]
    if kept:
        sent["cookie"] = "; ".join(kept)
    if rules.origin_headers.behaviour == "allViewerAndWhitelistCloudFront" or any(
        rules.origin_headers.admits(h, fold=True) and h in rules.origin_headers.names for h in CLOUDFRONT_HEADERS
    ):
        for name in CLOUDFRONT_HEADERS:
            if name in viewer and (rules.origin_headers.behaviour == "allViewerAndWhitelistCloudFront"
                                   or name in [n.lower() for n in rules.origin_headers.names]):  # fmt: skip
                sent[name] = viewer[name]
    sent.setdefault("user-agent", "Amazon CloudFront")
    return sent
