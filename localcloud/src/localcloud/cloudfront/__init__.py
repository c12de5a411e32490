"""CloudFront: distributions that serve, on the local cloud's port, and the policy APIs the provider needs."""

from __future__ import annotations

from typing import Any

from localcloud.extension import Context, Endpoint, Extension, Feature


def install(context: Context) -> None:
    from localcloud.cloudfront import api

    api.install()


def edge(app: Any, context: Context) -> Any:
    """Requests for a distribution go to the edge; it reaches origins through the app it wraps (the API
    front door among them). The edge also listens with TLS on a port of its own."""
    from localcloud.cloudfront import https
    from localcloud.cloudfront.edge import Edge

    served = Edge(app, context.services["lambda"])
    url, stop = https.serve(served, context.services["authority"])
    context.services["cloudfront-https"] = url
    context.on_stop(stop)
    return served


def where(request: Any, context: Context) -> Any:
    """Where viewers reach the edge: the local cloud's own port (HTTP) and the TLS listener."""
    import json

    from werkzeug.wrappers import Response

    body = {"http": context.endpoint, "https": context.services["cloudfront-https"]}
    return Response(json.dumps(body), status=200, content_type="application/json")


EXTENSION = Extension(
    service="cloudfront",
    summary="the edge: distributions served with their behaviours, origins, cache and policies",
    install=install,
    middleware=edge,
    endpoints=(
        Endpoint(
            "GET",
            "/_localcloud/cloudfront/edge",
            "where viewers reach distributions: `http` (this port) and `https` (the edge's TLS listener)",
            where,
        ),
    ),
    features=(
        Feature(
            title="CloudFront serves its distributions.",
            does=(
                "Each distribution answers on the local cloud's port and over TLS on the edge's own (a certificate for "
                "`*.cloudfront.net` from the local authority; `GET /_localcloud/cloudfront/edge` says where) by its "
                "domain name (`Host: <id>.cloudfront.net`, "
                "an alias, or `<id>.cloudfront.localhost`) or at `/_cloudfront/<id>/`: cache behaviours by path "
                "pattern, allowed methods, viewer protocol policy, default root object, S3 origins through origin "
                "access control (the bucket policy must admit `cloudfront.amazonaws.com` for the distribution's ARN, "
                "and the object's KMS key must too; a missing object is S3's 403), API Gateway, function URL and "
                "loopback HTTP origins with origin paths and custom headers, origin groups with failover, custom error "
                "responses, a cache with CloudFront's TTL rules (`X-Cache: Hit from cloudfront`, `Age`) emptied by "
                "invalidations, what cache and origin request policies forward, compression and response headers "
                "policies, and Lambda@Edge on viewer and origin requests and responses (its version run with "
                "CloudFront's event; a failure is 502 `LambdaExecutionError`). CloudFront Functions are not run yet "
                "(502)."
            ),
            moto_without="moto stores distributions and serves nothing",
            code=(
                "cloudfront/edge.py",
                "cloudfront/https.py",
                "cloudfront/edge_functions.py",
                "cloudfront/origins.py",
                "cloudfront/forwarding.py",
                "cloudfront/cache.py",
                "cloudfront/response_headers.py",
            ),
            tests=("localcloud/cloudfront/test_edge.py",),
        ),
        Feature(
            title="CloudFront's policies and distributions apply as the provider writes them.",
            does=(
                "Cache, origin request and response headers policies are created, read, updated, listed (AWS's managed "
                "ones with their IDs and settings) and deleted, validated as CloudFront validates them and refused "
                "deletion while a behaviour uses one. A distribution reads back its Lambda@Edge and function "
                "associations, origin access control and certificate settings; names only policies, origin access "
                "controls and origins that exist and Lambda@Edge versions CloudFront accepts (us-east-1, no environment, "
                "x86_64, Python or Node.js, the event type's timeout and memory, a role edgelambda.amazonaws.com may "
                "assume); changes its ETag on "
                "each update; and is deleted only once disabled."
            ),
            moto_without=(
                "the policy APIs answer HTML 404, and a distribution read back differently from what was written "
                "(a permanent plan diff) and was deleted while enabled"
            ),
            code=("cloudfront/api.py", "cloudfront/policies.py", "cloudfront/managed.py", "cloudfront/shapes.py"),
            tests=("localcloud/cloudfront/test_cloudfront_api.py",),
        ),
        Feature(
            title="S3 refuses anonymous requests",
            does=(
                'unless a bucket policy grants everyone (`"Principal": "*"`) or a public-read ACL does, and the '
                "bucket's Block Public Access settings leave it; an object under a KMS key is never anonymous."
            ),
            moto_without="an unsigned request reads any bucket",
            code=("core/authorization.py",),
            tests=("localcloud/cloudfront/test_edge.py",),
        ),
    ),
)
