"""ElastiCache: serverless caches and replication groups are real redis-servers."""

from __future__ import annotations

from localcloud.extension import Context, Extension, Feature


def install(context: Context) -> None:
    from localcloud.elasticache import api

    servers = api.install(context.state_dir, context.services["authority"])
    context.on_stop(servers.stop_all)


EXTENSION = Extension(
    service="elasticache",
    summary="caches that clients connect to, over TLS",
    install=install,
    features=(
        Feature(
            title="ElastiCache caches are Redis servers.",
            does=(
                "`CreateServerlessCache` (engines `redis` and `valkey`; `memcached` is refused by name) starts a real "
                "`redis-server` (the distribution's; `make install` installs Debian's `redis-server` where missing) "
                "behind an address of its own (127.0.x.y) on ports 6379 and 6380, as AWS gives a serverless cache's endpoint, "
                "TLS only as ElastiCache Serverless requires it (a plain-text connection is refused), with a "
                "certificate for that address from the local cloud's certificate authority; the API answers "
                "`creating`, then `available`, with that address and 6379 as endpoint and 6380 as reader endpoint (the same server). Checked "
                "first, with ElastiCache's errors: the name (`InvalidParameterValue`; taken: "
                "`ServerlessCacheAlreadyExistsFault`), major version, security groups, subnets and KMS key exist, user "
                "groups (`UserGroupNotFound`: none exist locally). Describe, Modify (description, limits, security "
                "groups, snapshot settings), Delete (`deleting`, then `ServerlessCacheNotFoundFault`; the server and its "
                "data end) and tags on the ARN. **TLS verified as in AWS**: functions trust the local authority next to "
                "the system's CAs (`SSL_CERT_FILE` in their environment), so a client that checks the certificate and "
                "hostname works unchanged in both places; host clients fetch the authority from `GET "
                "/_localcloud/tls/ca.pem`. **Replication groups** (cluster mode disabled) are a primary and, with more "
                "than one cache cluster, a read replica replicating from it (writes refused: `READONLY`), each a "
                "`redis-server` on a loopback address of its own at the group's port (6379), TLS when "
                "`TransitEncryptionEnabled`, AUTH when `AuthToken` (refused without encryption in transit, or outside "
                "16-128 printable characters without `@`, `\"`, `/`, with AWS's messages); their member cache clusters "
                "exist with the engine version (the provider reads them); deleting the group ends its servers and members"
                " and the group is gone; `DeleteCacheSubnetGroup` works; deleted standalone cache clusters go away. "
                "Each endpoint is guarded by the cache's security groups (the vpc extension): a serverless cache "
                "without subnets sits in the default VPC and its default group. Cluster mode enabled is refused by name. Not yet: user groups, IAM authentication, standalone cache "
                "clusters as servers."
            ),
            moto_without=(
                "`create_serverless_cache` NotImplementedError (retried by the provider until killed); a replication "
                "group's members never created (the provider failed reading them), deletes of groups, clusters and subnet"
                " groups hung"
            ),
            code=("elasticache/redis_servers.py", "elasticache/api.py", "core/tls.py", "core/loopback.py"),
            tests=(
                "localcloud/elasticache/test_elasticache_serverless.py",
                "localcloud/elasticache/test_elasticache_replication_groups.py",
                "integration/test_provider_compat_apply.py",
            ),
        ),
    ),
)
