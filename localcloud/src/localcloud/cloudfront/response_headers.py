"""A response headers policy applied to what the edge answers: security headers, CORS, custom and removed
headers, and `Server-Timing`. A header the policy sets replaces the origin's only where it says `Override`."""

from __future__ import annotations

import random
from typing import Any

from localcloud.cloudfront import shapes


class Headers:
    """Response headers with case-insensitive names, in order."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = list(pairs)

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.pairs if k.lower() == name.lower()), None)

    def has(self, name: str) -> bool:
        return self.get(name) is not None

    def set(self, name: str, value: str, *, override: bool = True) -> None:
        if self.has(name):
            if not override:
                return
            self.remove(name)
        self.pairs.append((name, value))

    def remove(self, name: str) -> None:
        self.pairs = [(k, v) for k, v in self.pairs if k.lower() != name.lower()]


def _security(headers: Headers, config: dict[str, Any]) -> None:
    hsts = config.get("StrictTransportSecurity")
    if isinstance(hsts, dict):
        value = f"max-age={int(hsts.get('AccessControlMaxAgeSec', 0))}"
        value += "; includeSubDomains" if shapes.truthy(hsts.get("IncludeSubdomains")) else ""
        value += "; preload" if shapes.truthy(hsts.get("Preload")) else ""
        headers.set("Strict-Transport-Security", value, override=shapes.truthy(hsts.get("Override")))
    if isinstance(config.get("ContentTypeOptions"), dict):
        headers.set(
            "X-Content-Type-Options", "nosniff", override=shapes.truthy(config["ContentTypeOptions"].get("Override"))
        )
    frame = config.get("FrameOptions")
    if isinstance(frame, dict):
        headers.set("X-Frame-Options", str(frame.get("FrameOption")), override=shapes.truthy(frame.get("Override")))
    referrer = config.get("ReferrerPolicy")
    if isinstance(referrer, dict):
        headers.set(
            "Referrer-Policy", str(referrer.get("ReferrerPolicy")), override=shapes.truthy(referrer.get("Override"))
        )
    xss = config.get("XSSProtection")
    if isinstance(xss, dict):
        if not shapes.truthy(xss.get("Protection")):
            value = "0"
        elif shapes.truthy(xss.get("ModeBlock")):
            value = "1; mode=block"
        elif xss.get("ReportUri"):
            value = f"1; report={xss['ReportUri']}"
        else:
            value = "1"
        headers.set("X-XSS-Protection", value, override=shapes.truthy(xss.get("Override")))
    csp = config.get("ContentSecurityPolicy")
    if isinstance(csp, dict):
        headers.set(
            "Content-Security-Policy",
            str(csp.get("ContentSecurityPolicy")),
            override=shapes.truthy(csp.get("Override")),
        )


def _cors(headers: Headers, config: dict[str, Any], request_headers: dict[str, str], method: str) -> None:
    origin = request_headers.get("origin")
    if not origin:
        return
    allowed = [str(o) for o in shapes.items(config.get("AccessControlAllowOrigins"))]
    if "*" not in allowed and origin not in allowed:
        return
    override = shapes.truthy(config.get("OriginOverride"))
    credentials = shapes.truthy(config.get("AccessControlAllowCredentials"))
    headers.set("Access-Control-Allow-Origin", origin if credentials or "*" not in allowed else "*", override=override)
    if credentials:
        headers.set("Access-Control-Allow-Credentials", "true", override=override)
    exposed = [str(h) for h in shapes.items(config.get("AccessControlExposeHeaders"))]
    if exposed:
        headers.set("Access-Control-Expose-Headers", ",".join(exposed), override=override)
    if method == "OPTIONS" and "access-control-request-method" in request_headers:
        methods = [str(m) for m in shapes.items(config.get("AccessControlAllowMethods"))]
        if methods:
            headers.set("Access-Control-Allow-Methods", ",".join(methods), override=override)
        allowed_headers = [str(h) for h in shapes.items(config.get("AccessControlAllowHeaders"))]
        if allowed_headers:
            headers.set("Access-Control-Allow-Headers", ",".join(allowed_headers), override=override)
        if config.get("AccessControlMaxAgeSec") is not None:
            headers.set("Access-Control-Max-Age", str(int(config["AccessControlMaxAgeSec"])), override=override)


def apply(
    policy_config: dict[str, Any],
    pairs: list[tuple[str, str]],
    request_headers: dict[str, str],
    method: str,
    timing: dict[str, Any],
) -> list[tuple[str, str]]:
    headers = Headers(pairs)
    if isinstance(policy_config.get("SecurityHeadersConfig"), dict):
        _security(headers, policy_config["SecurityHeadersConfig"])
    if isinstance(policy_config.get("CorsConfig"), dict):
        _cors(headers, policy_config["CorsConfig"], request_headers, method)
    for item in shapes.items(policy_config.get("CustomHeadersConfig")):
        headers.set(str(item.get("Header")), str(item.get("Value")), override=shapes.truthy(item.get("Override")))
    for item in shapes.items(policy_config.get("RemoveHeadersConfig")):
        headers.remove(str(item.get("Header")))
    server_timing = policy_config.get("ServerTimingHeadersConfig")
    if isinstance(server_timing, dict) and shapes.truthy(server_timing.get("Enabled")):
        if random.uniform(0, 100) < float(server_timing.get("SamplingRate") or 0):
            parts = [
                'cdn-upstream-layer;desc="EDGE"',
                f"cdn-upstream-fbl;dur={int(timing.get('origin_ms', 0))}",
                "cdn-cache-hit" if timing.get("hit") else "cdn-cache-miss",
                f'cdn-pop;desc="{timing.get("pop", "")}"',
                f'cdn-rid;desc="{timing.get("request_id", "")}"',
            ]
            headers.set("Server-Timing", ",".join(parts))
    return headers.pairs
