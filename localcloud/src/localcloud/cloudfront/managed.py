"""AWS's managed CloudFront policies as the API returns them: their IDs, names and settings.

Read from the three "Use managed ... policies" pages of the CloudFront Developer Guide and from API exports of
real accounts (for comments and header-name casing). Names carry the `Managed-` prefix except the two
`UseOriginCacheControlHeaders` cache policies. Not confirmed from AWS's own pages: Managed-HostHeaderOnly's
settings, the response headers policies' comments, the CORS fields the docs' tables do not show (kept empty),
and the order of items. The four Amplify `-V2` cache policies are left out (no IDs found).
"""

from __future__ import annotations

from typing import Any

# Source: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html
# (Comments, casing and Amplify-hosting ids come from the API exports [X].)
CACHE_POLICIES = [
    {
        "Id": "2e54312d-136d-493c-8eb9-b001f22f67d2",
        "Name": "Managed-Amplify",
        "Comment": "Policy for Amplify Origin",
        "DefaultTTL": 2,
        "MaxTTL": 600,
        "MinTTL": 2,
        "EnableAcceptEncodingGzip": True,
        "EnableAcceptEncodingBrotli": True,
        "Headers": {"behavior": "whitelist", "items": ["Authorization", "CloudFront-Viewer-Country", "Host"]},
        "Cookies": {"behavior": "all", "items": []},
        "QueryStrings": {"behavior": "all", "items": []},
    },
    {
        "Id": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
        "Name": "Managed-CachingDisabled",
        "Comment": "Policy with caching disabled",
        "DefaultTTL": 0,
        "MaxTTL": 0,
        "MinTTL": 0,
        "EnableAcceptEncodingGzip": False,
        "EnableAcceptEncodingBrotli": False,
        "Headers": {"behavior": "none", "items": []},
        "Cookies": {"behavior": "none", "items": []},
        "QueryStrings": {"behavior": "none", "items": []},
    },
    {
        "Id": "658327ea-f89d-4fab-a63d-7e88639e58f6",
        "Name": "Managed-CachingOptimized",
        "Comment": "Policy with caching enabled. Supports Gzip and Brotli compression.",
        "DefaultTTL": 86400,
        "MaxTTL": 31536000,
        "MinTTL": 1,
        "EnableAcceptEncodingGzip": True,
        "EnableAcceptEncodingBrotli": True,
        "Headers": {"behavior": "none", "items": []},
        "Cookies": {"behavior": "none", "items": []},
        "QueryStrings": {"behavior": "none", "items": []},
    },
    {
        "Id": "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
        "Name": "Managed-CachingOptimizedForUncompressedObjects",
        "Comment": "Default policy when compression is disabled",
        "DefaultTTL": 86400,
        "MaxTTL": 31536000,
        "MinTTL": 1,
        "EnableAcceptEncodingGzip": False,
        "EnableAcceptEncodingBrotli": False,
        "Headers": {"behavior": "none", "items": []},
        "Cookies": {"behavior": "none", "items": []},
        "QueryStrings": {"behavior": "none", "items": []},
    },
    {
        # Docs: "cache compressed objects setting: Enabled for Gzip" -> Gzip only.
        "Id": "08627262-05a9-4f76-9ded-b50ca2e3a84f",
        "Name": "Managed-Elemental-MediaPackage",
        "Comment": "Policy for Elemental MediaPackage Origin",
        "DefaultTTL": 86400,
        "MaxTTL": 31536000,
        "MinTTL": 0,
        "EnableAcceptEncodingGzip": True,
        "EnableAcceptEncodingBrotli": False,
        "Headers": {"behavior": "whitelist", "items": ["origin"]},
        "Cookies": {"behavior": "none", "items": []},
        "QueryStrings": {"behavior": "whitelist", "items": ["aws.manifestfilter", "start", "end", "m"]},
    },
    {
        # NOTE: no "Managed-" prefix on this name.
        "Id": "83da9c7e-98b4-4e11-a168-04f0df8e2c65",
        "Name": "UseOriginCacheControlHeaders",
        "Comment": "Policy for origins that return Cache-Control headers. Query strings are not included in the cache key.",
        "DefaultTTL": 0,
        "MaxTTL": 31536000,
        "MinTTL": 0,
        "EnableAcceptEncodingGzip": True,
        "EnableAcceptEncodingBrotli": True,
        "Headers": {
            "behavior": "whitelist",
            "items": ["x-method-override", "origin", "host", "x-http-method", "x-http-method-override"],
        },
        "Cookies": {"behavior": "all", "items": []},
        "QueryStrings": {"behavior": "none", "items": []},
    },
    {
        # NOTE: no "Managed-" prefix on this name.
        "Id": "4cc15a8a-d715-48a4-82b8-cc0b614638fe",
        "Name": "UseOriginCacheControlHeaders-QueryStrings",
        "Comment": "Policy for origins that return Cache-Control headers and serve different content based on values present in the query string.",
        "DefaultTTL": 0,
        "MaxTTL": 31536000,
        "MinTTL": 0,
        "EnableAcceptEncodingGzip": True,
        "EnableAcceptEncodingBrotli": True,
        "Headers": {
            "behavior": "whitelist",
            "items": ["x-method-override", "origin", "host", "x-http-method", "x-http-method-override"],
        },
        "Cookies": {"behavior": "all", "items": []},
        "QueryStrings": {"behavior": "all", "items": []},
    },
    # --- "AWS Amplify Hosting cache policies" (names on the docs page; ids/settings from API exports [X]) ---
    {
        "Id": "4d1d2f1d-3a71-49ad-9e08-7ea5d843a556",
        "Name": "Managed-Amplify-Default",
        "Comment": "Default Amplify cache policy",
        "DefaultTTL": 0,
        "MaxTTL": 31536000,
        "MinTTL": 0,
        "EnableAcceptEncodingGzip": True,
        "EnableAcceptEncodingBrotli": True,
        "Headers": {"behavior": "whitelist", "items": ["Authorization", "Accept", "CloudFront-Viewer-Country", "Host"]},
        "Cookies": {"behavior": "all", "items": []},
        "QueryStrings": {"behavior": "all", "items": []},
    },
    {
        "Id": "a6bad946-36c3-4c33-aa98-362c74a7fb13",
        "Name": "Managed-Amplify-DefaultNoCookies",
        "Comment": "Default Amplify cache policy without cookies",
        "DefaultTTL": 0,
        "MaxTTL": 31536000,
        "MinTTL": 0,
        "EnableAcceptEncodingGzip": True,
        "EnableAcceptEncodingBrotli": True,
        "Headers": {"behavior": "whitelist", "items": ["Authorization", "Accept", "CloudFront-Viewer-Country", "Host"]},
        "Cookies": {"behavior": "none", "items": []},
        "QueryStrings": {"behavior": "all", "items": []},
    },
    {
        "Id": "1c6db51a-a33f-469a-8245-dae26771f530",
        "Name": "Managed-Amplify-ImageOptimization",
        "Comment": "Amplify cache policy for image optimization",
        "DefaultTTL": 0,
        "MaxTTL": 31536000,
        "MinTTL": 0,
        "EnableAcceptEncodingGzip": True,
        "EnableAcceptEncodingBrotli": True,
        "Headers": {"behavior": "whitelist", "items": ["Authorization", "Accept", "Host"]},
        "Cookies": {"behavior": "none", "items": []},
        "QueryStrings": {"behavior": "all", "items": []},
    },
    {
        "Id": "7e5fad67-ee98-4ad0-b05a-394999eefc1a",
        "Name": "Managed-Amplify-StaticContent",
        "Comment": "Amplify cache policy for static content",
        "DefaultTTL": 0,
        "MaxTTL": 31536000,
        "MinTTL": 0,
        "EnableAcceptEncodingGzip": True,
        "EnableAcceptEncodingBrotli": True,
        "Headers": {"behavior": "whitelist", "items": ["Authorization", "Host"]},
        "Cookies": {"behavior": "none", "items": []},
        "QueryStrings": {"behavior": "none", "items": []},
    },
]

# Source: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html
# (Comments, casing and order come from the API exports [X].)
ORIGIN_REQUEST_POLICIES = [
    {
        "Id": "216adef6-5c7f-47e4-b989-5492eafa07d3",
        "Name": "Managed-AllViewer",
        "Comment": "Policy to forward all parameters in viewer requests",
        "Headers": {"behavior": "allViewer", "items": []},
        "Cookies": {"behavior": "all", "items": []},
        "QueryStrings": {"behavior": "all", "items": []},
    },
    {
        "Id": "33f36d7e-f396-46d9-90e0-52428a34d9dc",
        "Name": "Managed-AllViewerAndCloudFrontHeaders-2022-06",
        "Comment": "Policy to forward all parameters in viewer requests and all CloudFront headers as of June 2022",
        "Headers": {
            "behavior": "allViewerAndWhitelistCloudFront",
            "items": [
                "CloudFront-Viewer-Time-Zone",
                "CloudFront-Viewer-Address",
                "CloudFront-Viewer-Country",
                "CloudFront-Is-IOS-Viewer",
                "CloudFront-Is-Tablet-Viewer",
                "CloudFront-Forwarded-Proto",
                "CloudFront-Viewer-Country-Name",
                "CloudFront-Is-Mobile-Viewer",
                "CloudFront-Is-SmartTV-Viewer",
                "CloudFront-Viewer-Country-Region",
                "CloudFront-Is-Android-Viewer",
                "CloudFront-Viewer-Country-Region-Name",
                "CloudFront-Viewer-City",
                "CloudFront-Viewer-Latitude",
                "CloudFront-Viewer-Longitude",
                "CloudFront-Viewer-Http-Version",
                "CloudFront-Viewer-Postal-Code",
                "CloudFront-Viewer-ASN",
                "CloudFront-Is-Desktop-Viewer",
                "CloudFront-Viewer-Metro-Code",
                "CloudFront-Viewer-TLS",
            ],
        },
        "Cookies": {"behavior": "all", "items": []},
        "QueryStrings": {"behavior": "all", "items": []},
    },
    {
        "Id": "b689b0a8-53d0-40ab-baf2-68738e2966ac",
        "Name": "Managed-AllViewerExceptHostHeader",
        "Comment": "Policy to forward all parameters in viewer requests except for the Host header",
        "Headers": {"behavior": "allExcept", "items": ["host"]},
        "Cookies": {"behavior": "all", "items": []},
        "QueryStrings": {"behavior": "all", "items": []},
    },
    {
        "Id": "59781a5b-3903-41f3-afcb-af62929ccde1",
        "Name": "Managed-CORS-CustomOrigin",
        "Comment": "Policy for custom origin with CORS",
        "Headers": {"behavior": "whitelist", "items": ["origin"]},
        "Cookies": {"behavior": "none", "items": []},
        "QueryStrings": {"behavior": "none", "items": []},
    },
    {
        "Id": "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",
        "Name": "Managed-CORS-S3Origin",
        "Comment": "Policy for S3 origin with CORS",
        "Headers": {
            "behavior": "whitelist",
            "items": ["origin", "access-control-request-headers", "access-control-request-method"],
        },
        "Cookies": {"behavior": "none", "items": []},
        "QueryStrings": {"behavior": "none", "items": []},
    },
    {
        "Id": "775133bc-15f2-49f9-abea-afb2e0bf67d2",
        "Name": "Managed-Elemental-MediaTailor-PersonalizedManifests",
        "Comment": "Policy for Elemental MediaTailor Origin",
        "Headers": {
            "behavior": "whitelist",
            "items": [
                "origin",
                "access-control-request-headers",
                "x-forwarded-for",
                "access-control-request-method",
                "user-agent",
            ],
        },
        "Cookies": {"behavior": "none", "items": []},
        "QueryStrings": {"behavior": "all", "items": []},
    },
    {
        # UNCONFIRMED from AWS: Id/Name agree across third-party sources; the settings
        # come only from emulator code; Comment not found. See the module docstring.
        "Id": "bf0718e1-ba1e-49d1-88b1-f726733018ae",
        "Name": "Managed-HostHeaderOnly",
        "Comment": None,
        "Headers": {"behavior": "whitelist", "items": ["Host"]},
        "Cookies": {"behavior": "none", "items": []},
        "QueryStrings": {"behavior": "none", "items": []},
    },
    {
        "Id": "acba4595-bd28-49b8-b9fe-13317c0390fa",
        "Name": "Managed-UserAgentRefererHeaders",
        "Comment": "Policy to forward user-agent and referer headers to origin",
        "Headers": {"behavior": "whitelist", "items": ["referer", "user-agent"]},
        "Cookies": {"behavior": "none", "items": []},
        "QueryStrings": {"behavior": "none", "items": []},
    },
]

# Source: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html
# Header values and "Override origin?" flags come from the docs tables.
# The Comments are third-party (see the module docstring).
_SECURITY_HEADERS = {
    "StrictTransportSecurity": {
        "AccessControlMaxAgeSec": 31536000,
        "IncludeSubdomains": False,
        "Preload": False,
        "Override": False,
    },
    "ContentTypeOptions": {"Override": True},
    "FrameOptions": {"FrameOption": "SAMEORIGIN", "Override": False},
    "ReferrerPolicy": {"ReferrerPolicy": "strict-origin-when-cross-origin", "Override": False},
    "XSSProtection": {"Protection": True, "ModeBlock": True, "Override": False},
    "ContentSecurityPolicy": None,
}

_SIMPLE_CORS = {
    "AccessControlAllowCredentials": False,
    "AccessControlAllowHeaders": [],
    "AccessControlAllowMethods": [],
    "AccessControlAllowOrigins": ["*"],
    "AccessControlExposeHeaders": [],
    "AccessControlMaxAgeSec": None,
    "OriginOverride": False,
}

_PREFLIGHT_CORS = {
    "AccessControlAllowCredentials": False,
    "AccessControlAllowHeaders": [],
    "AccessControlAllowMethods": ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
    "AccessControlAllowOrigins": ["*"],
    "AccessControlExposeHeaders": ["*"],
    "AccessControlMaxAgeSec": None,
    "OriginOverride": False,
}

RESPONSE_HEADERS_POLICIES = [
    {
        "Id": "e61eb60c-9c35-4d20-a928-2b84e02af89c",
        "Name": "Managed-CORS-and-SecurityHeadersPolicy",
        "Comment": "Allows all origins for simple CORS requests, and adds security headers",  # single source
        "Cors": dict(_SIMPLE_CORS),
        "SecurityHeaders": {k: (dict(v) if v else v) for k, v in _SECURITY_HEADERS.items()},
        "CustomHeaders": [],
        "RemoveHeaders": [],
        "ServerTiming": None,
    },
    {
        "Id": "5cc3b908-e619-4b99-88e5-2cf7f45965bd",
        "Name": "Managed-CORS-With-Preflight",
        "Comment": "Allows all origins for CORS requests, including preflight requests",
        "Cors": dict(_PREFLIGHT_CORS),
        "SecurityHeaders": None,
        "CustomHeaders": [],
        "RemoveHeaders": [],
        "ServerTiming": None,
    },
    {
        "Id": "eaab4381-ed33-4a86-88ca-d9558dc6cd63",
        "Name": "Managed-CORS-with-preflight-and-SecurityHeadersPolicy",
        "Comment": "Allows all origins for CORS requests, including preflight requests, and adds security headers",
        "Cors": dict(_PREFLIGHT_CORS),
        "SecurityHeaders": {k: (dict(v) if v else v) for k, v in _SECURITY_HEADERS.items()},
        "CustomHeaders": [],
        "RemoveHeaders": [],
        "ServerTiming": None,
    },
    {
        "Id": "67f7725c-6f97-4210-82d7-5512b31e9d03",
        "Name": "Managed-SecurityHeadersPolicy",
        "Comment": "Adds a set of security headers to every response",
        "Cors": None,
        "SecurityHeaders": {k: (dict(v) if v else v) for k, v in _SECURITY_HEADERS.items()},
        "CustomHeaders": [],
        "RemoveHeaders": [],
        "ServerTiming": None,
    },
    {
        "Id": "60669652-455b-4ae9-85a4-c4c02393f86c",
        "Name": "Managed-SimpleCORS",
        "Comment": "Allows all origins for simple CORS requests",
        "Cors": dict(_SIMPLE_CORS),
        "SecurityHeaders": None,
        "CustomHeaders": [],
        "RemoveHeaders": [],
        "ServerTiming": None,
    },
]


# -- as the API's configs ------------------------------------------------------------------------------


def _listed(items: list[Any]) -> dict[str, Any]:
    return {"Quantity": len(items), "Items": list(items)} if items else {"Quantity": 0}


def _block(spec: dict[str, Any], behaviour: str, items: str) -> dict[str, Any]:
    return {behaviour: spec["behavior"], items: _listed(spec.get("items") or [])}


def cache_config(policy: dict[str, Any]) -> dict[str, Any]:
    return {
        "Comment": policy.get("Comment") or "",
        "Name": policy["Name"],
        "DefaultTTL": policy["DefaultTTL"],
        "MaxTTL": policy["MaxTTL"],
        "MinTTL": policy["MinTTL"],
        "ParametersInCacheKeyAndForwardedToOrigin": {
            "EnableAcceptEncodingGzip": policy["EnableAcceptEncodingGzip"],
            "EnableAcceptEncodingBrotli": policy["EnableAcceptEncodingBrotli"],
            "HeadersConfig": _block(policy["Headers"], "HeaderBehavior", "Headers"),
            "CookiesConfig": _block(policy["Cookies"], "CookieBehavior", "Cookies"),
            "QueryStringsConfig": _block(policy["QueryStrings"], "QueryStringBehavior", "QueryStrings"),
        },
    }


def origin_request_config(policy: dict[str, Any]) -> dict[str, Any]:
    return {
        "Comment": policy.get("Comment") or "",
        "Name": policy["Name"],
        "HeadersConfig": _block(policy["Headers"], "HeaderBehavior", "Headers"),
        "CookiesConfig": _block(policy["Cookies"], "CookieBehavior", "Cookies"),
        "QueryStringsConfig": _block(policy["QueryStrings"], "QueryStringBehavior", "QueryStrings"),
    }


def response_headers_config(policy: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = {"Comment": policy.get("Comment") or "", "Name": policy["Name"]}
    cors = policy.get("Cors")
    if cors:
        config["CorsConfig"] = {
            "AccessControlAllowOrigins": _listed(cors["AccessControlAllowOrigins"]),
            "AccessControlAllowHeaders": _listed(cors["AccessControlAllowHeaders"]),
            "AccessControlAllowMethods": _listed(cors["AccessControlAllowMethods"]),
            "AccessControlAllowCredentials": cors["AccessControlAllowCredentials"],
            "AccessControlExposeHeaders": _listed(cors["AccessControlExposeHeaders"]),
            "OriginOverride": cors["OriginOverride"],
            **({"AccessControlMaxAgeSec": cors["AccessControlMaxAgeSec"]} if cors["AccessControlMaxAgeSec"] else {}),
        }
    security = policy.get("SecurityHeaders")
    if security:
        config["SecurityHeadersConfig"] = {name: dict(value) for name, value in security.items() if value}
    return config
