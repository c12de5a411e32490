"""ElastiCache Serverless caches that are caches: each one is a real redis-server (redis_servers.py)
and the API answers its own loopback address and port 6379 as the endpoint. moto 5.2.5 had no serverless caches
at all (`create_serverless_cache` NotImplementedError, retried by the provider until killed).

- CreateServerlessCache checks what ElastiCache checks before it creates: the name (1-40 lowercase letters,
  digits and single hyphens, starting with a letter, not ending with a hyphen; taken ->
  ServerlessCacheAlreadyExistsFault), the engine (redis and valkey: both speak the Redis protocol the
  server runs; memcached is refused here, by name) and major version, that the KMS key, subnets and
  security groups exist, and user groups (none exist locally: UserGroupNotFound). The cache answers
  `creating`, then `available` once its server listens; TLS only, as in AWS.
- DescribeServerlessCaches, ModifyServerlessCache (description, limits, security groups, snapshot
  settings), DeleteServerlessCache (`deleting`, then gone with its server and data), and tags on the
  cache's ARN.

Replication groups (cluster mode disabled) are servers too: the primary, and with more than one cache
cluster a read replica replicating from it (read-only, as replicas are), each on a loopback address of
its own at the group's port, TLS when `TransitEncryptionEnabled`, AUTH when `AuthToken` (which AWS
accepts only with encryption in transit, 16-128 printable characters without `@`, `"` or `/`). Its
member cache clusters exist (moto listed members it never created, and one whatever
`NumCacheClusters`), with their engine version; deleting the group ends its servers and members, and
the group is then gone (moto kept it `deleting` forever). Cluster mode enabled is refused by name.
DeleteCacheSubnetGroup exists (moto: NotImplementedError).
"""

from __future__ import annotations

import functools
import re
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from moto.core.responses import ActionResult, PaginatedResult
from moto.elasticache import models as elasticache_models
from moto.elasticache import responses as elasticache_responses
from moto.elasticache.exceptions import ElastiCacheException, InvalidParameterValueException

from localcloud.core.tls import CertificateAuthority
from localcloud.elasticache.redis_servers import RedisServers, ServerOptions
from localcloud.vpc.rules import Store, placed

SERVERLESS_PORT, SERVERLESS_READER_PORT = 6379, 6380  # a serverless cache's endpoint and reader endpoint
NAME = re.compile(r"^[a-z](?!.*--)[a-z0-9-]{0,39}(?<!-)$")
# The engines ElastiCache Serverless offers for the Redis protocol, and the full version of each major.
ENGINE_VERSIONS = {"redis": {"7": "7.1"}, "valkey": {"7": "7.2", "8": "8.0"}}

_servers: RedisServers | None = None


class ServerlessCacheNotFound(ElastiCacheException):
    code = "ServerlessCacheNotFoundFault"

    def __init__(self, name: str) -> None:
        super().__init__(f"Serverless cache {name} not found.")


class ServerlessCacheAlreadyExists(ElastiCacheException):
    code = "ServerlessCacheAlreadyExistsFault"

    def __init__(self, name: str) -> None:
        super().__init__(f"Serverless cache {name} already exists.")


class UserGroupNotFound(ElastiCacheException):
    code = "UserGroupNotFound"

    def __init__(self, group_id: str) -> None:
        super().__init__(f"User group {group_id} not found.")


class ServerlessCache:
    def __init__(self, backend: Any, params: dict[str, Any], port: int, address: str = "127.0.0.1") -> None:
        self.name = str(params["ServerlessCacheName"])
        self.arn = f"arn:aws:elasticache:{backend.region_name}:{backend.account_id}:serverlesscache:{self.name}"
        self.engine = str(params["Engine"])
        self.major_engine_version = str(params.get("MajorEngineVersion") or max(ENGINE_VERSIONS[self.engine]))
        self.description = str(params.get("Description") or "")
        self.created = datetime.now(UTC)
        self.usage_limits = params.get("CacheUsageLimits")
        self.kms_key_id = params.get("KmsKeyId")
        self.security_group_ids = list(params.get("SecurityGroupIds") or [])
        self.subnet_ids = list(params.get("SubnetIds") or [])
        self.snapshot_retention_limit = int(params.get("SnapshotRetentionLimit") or 0)
        self.daily_snapshot_time = str(params.get("DailySnapshotTime") or "04:00")
        self.port = port
        self.address = address
        self.status = "creating"

    def describe(self) -> dict[str, Any]:
        endpoint = {"Address": self.address, "Port": self.port}
        reader = {"Address": self.address, "Port": SERVERLESS_READER_PORT}
        answer: dict[str, Any] = {
            "ServerlessCacheName": self.name,
            "Description": self.description,
            "CreateTime": self.created,
            "Status": self.status,
            "Engine": self.engine,
            "MajorEngineVersion": self.major_engine_version,
            "FullEngineVersion": ENGINE_VERSIONS[self.engine][self.major_engine_version],
            "SecurityGroupIds": self.security_group_ids,
            "SubnetIds": self.subnet_ids,
            "Endpoint": endpoint,
            "ReaderEndpoint": reader,
            "ARN": self.arn,
            "SnapshotRetentionLimit": self.snapshot_retention_limit,
            "DailySnapshotTime": self.daily_snapshot_time,
            "NetworkType": "ipv4",
        }
        if self.usage_limits:
            answer["CacheUsageLimits"] = self.usage_limits
        if self.kms_key_id:
            answer["KmsKeyId"] = self.kms_key_id
        if self.status == "creating":
            self.status = "available"  # the server listens before the create answers: the next look finds it ready
        return answer


def servers() -> RedisServers:
    if _servers is None:
        raise RuntimeError("the local cloud's caches are not set up (the elasticache extension is not installed)")
    return _servers


def _caches(backend: Any) -> dict[str, ServerlessCache]:
    if not hasattr(backend, "localcloud_serverless_caches"):
        backend.localcloud_serverless_caches = {}
    return backend.localcloud_serverless_caches  # type: ignore[no-any-return]


def _serverless_store(backend: Any, name: str) -> Store | None:
    cache = _caches(backend).get(name)
    if cache is None:
        return None
    who = f"serverless cache {name}"
    where = placed(backend.account_id, backend.region_name, cache.subnet_ids, cache.security_group_ids, who)
    return Store(where, int(cache.port))


def _group_store(backend: Any, group: Any) -> Store:
    subnet_group = backend.cache_subnet_groups.get(group.cache_subnet_group_name or "")
    subnets = list(subnet_group.subnet_ids or []) if subnet_group is not None else []
    who = f"replication group {group.replication_group_id}"
    where = placed(backend.account_id, backend.region_name, subnets, list(group.security_group_ids or []), who)
    return Store(where, int(group.port))


def _check_network(backend: Any, params: dict[str, Any]) -> None:
    from moto.ec2.models import ec2_backends
    from moto.kms.models import kms_backends

    ec2 = ec2_backends[backend.account_id][backend.region_name]
    for group_id in params.get("SecurityGroupIds") or []:
        if ec2.get_security_group_from_id(group_id) is None:
            raise InvalidParameterValueException(f"Some security group Id not recognized by EC2: {group_id}")
    for subnet_id in params.get("SubnetIds") or []:
        try:
            ec2.get_subnet(subnet_id)
        except Exception:
            raise InvalidParameterValueException(f"The subnet ID {subnet_id} does not exist") from None
    key_id = params.get("KmsKeyId")
    if key_id:
        try:
            kms_backends[backend.account_id][backend.region_name].describe_key(key_id)
        except Exception:
            raise InvalidParameterValueException(f"KMS key {key_id} is not found or not accessible") from None


def _check_create(backend: Any, params: dict[str, Any]) -> None:
    name = str(params.get("ServerlessCacheName") or "")
    if not NAME.match(name):
        raise InvalidParameterValueException(
            f"Invalid serverless cache name {name!r}: 1 to 40 lowercase letters, digits or hyphens, starting with a "
            "letter, without two consecutive hyphens or a trailing hyphen"
        )
    if name in _caches(backend):
        raise ServerlessCacheAlreadyExists(name)
    engine = str(params.get("Engine") or "")
    if engine not in ENGINE_VERSIONS:
        raise InvalidParameterValueException(
            f"Engine {engine!r}: the local cloud serves the Redis protocol (redis, valkey); memcached is not emulated"
        )
    major = params.get("MajorEngineVersion")
    if major is not None and str(major) not in ENGINE_VERSIONS[engine]:
        raise InvalidParameterValueException(
            f"Invalid major engine version {major} for {engine}: one of {sorted(ENGINE_VERSIONS[engine])}"
        )
    if params.get("UserGroupId"):
        raise UserGroupNotFound(str(params["UserGroupId"]))
    _check_network(backend, params)


def _lock(backend: Any) -> threading.Lock:
    if not hasattr(backend, "localcloud_serverless_lock"):
        backend.localcloud_serverless_lock = threading.Lock()
    return backend.localcloud_serverless_lock  # type: ignore[no-any-return]


def install(state_dir: Path, authority: CertificateAuthority) -> RedisServers:
    global _servers
    _servers = RedisServers(state_dir, authority)
    Backend = elasticache_models.ElastiCacheBackend
    Response = elasticache_responses.ElastiCacheResponse

    def find(backend: Any, name: str) -> ServerlessCache:
        cache = _caches(backend).get(name)
        if cache is None:
            raise ServerlessCacheNotFound(name)
        return cache

    def create_serverless_cache(self: Any) -> ActionResult:
        backend, params = self.elasticache_backend, self._get_params()
        with _lock(backend):
            _check_create(backend, params)
            name = str(params["ServerlessCacheName"])
            # The endpoint AWS gives a serverless cache: its own host name on 6379 (here an address of its own).
            address, port = servers().start(
                name,
                ServerOptions(
                    port=SERVERLESS_PORT,
                    reader_port=SERVERLESS_READER_PORT,
                    store=lambda: _serverless_store(backend, name),
                ),
            )
            cache = ServerlessCache(backend, params, port, address)
            _caches(backend)[cache.name] = cache
        if params.get("Tags"):
            backend.tagging_service.tag_resource(cache.arn, params["Tags"])
        return ActionResult({"ServerlessCache": cache.describe()})

    def describe_serverless_caches(self: Any) -> ActionResult:
        backend, name = self.elasticache_backend, self._get_param("ServerlessCacheName")
        found = [find(backend, name)] if name else list(_caches(backend).values())
        return PaginatedResult({"ServerlessCaches": [cache.describe() for cache in found]})

    def modify_serverless_cache(self: Any) -> ActionResult:
        backend, params = self.elasticache_backend, self._get_params()
        cache = find(backend, str(params.get("ServerlessCacheName")))
        if params.get("UserGroupId"):
            raise UserGroupNotFound(str(params["UserGroupId"]))
        _check_network(backend, {"SecurityGroupIds": params.get("SecurityGroupIds")})
        if params.get("MajorEngineVersion") is not None:
            engine = str(params.get("Engine") or cache.engine)
            if engine not in ENGINE_VERSIONS or str(params["MajorEngineVersion"]) not in ENGINE_VERSIONS[engine]:
                raise InvalidParameterValueException(
                    f"Invalid engine upgrade to {engine} {params['MajorEngineVersion']}"
                )
            cache.engine, cache.major_engine_version = engine, str(params["MajorEngineVersion"])
        if "Description" in params:
            cache.description = str(params["Description"] or "")
        if "CacheUsageLimits" in params:
            cache.usage_limits = params["CacheUsageLimits"]
        if params.get("SecurityGroupIds") is not None:
            cache.security_group_ids = list(params["SecurityGroupIds"])
        if "SnapshotRetentionLimit" in params:
            cache.snapshot_retention_limit = int(params["SnapshotRetentionLimit"] or 0)
        if params.get("DailySnapshotTime"):
            cache.daily_snapshot_time = str(params["DailySnapshotTime"])
        return ActionResult({"ServerlessCache": cache.describe()})

    def delete_serverless_cache(self: Any) -> ActionResult:
        backend, name = self.elasticache_backend, str(self._get_param("ServerlessCacheName"))
        with _lock(backend):
            cache = find(backend, name)
            del _caches(backend)[name]
        servers().stop(name)
        backend.tagging_service.delete_all_tags_for_resource(cache.arn)
        cache.status = "deleting"
        return ActionResult({"ServerlessCache": cache.describe()})

    Response.create_serverless_cache = create_serverless_cache
    Response.describe_serverless_caches = describe_serverless_caches
    Response.modify_serverless_cache = modify_serverless_cache
    Response.delete_serverless_cache = delete_serverless_cache

    # Tags on a serverless cache's ARN (moto's pattern knew clusters, groups, users and snapshots only).
    original_init = Backend.__init__

    def init(self: Any, region_name: str, account_id: str) -> None:
        original_init(self, region_name, account_id)
        self.arn_regex = re.compile(
            r"^arn:aws:elasticache:.*:[0-9]*:"
            r"(cluster|snapshot|subnetgroup|replicationgroup|user|serverlesscache):.*$"
        )

    Backend.__init__ = init
    _install_replication_groups()
    return _servers


AUTH_TOKEN = re.compile(r"^[\x21-\x7e]{16,128}$")
DEFAULT_VERSIONS = {"redis": "7.1", "valkey": "8.0"}


def _check_replication_group(backend: Any, arguments: dict[str, Any]) -> None:
    from moto.elasticache.exceptions import InvalidParameterValueException as Invalid

    engine = str(arguments.get("engine") or "redis")
    if engine not in DEFAULT_VERSIONS:
        raise Invalid(f"Engine {engine!r}: the local cloud serves the Redis protocol (redis, valkey)")
    if str(arguments.get("cluster_mode") or "disabled") != "disabled" or int(arguments.get("num_node_groups") or 1) > 1:
        raise Invalid(
            "Cluster mode enabled (several node groups) is not emulated by the local cloud: use cluster "
            "mode disabled (one primary and its replicas)"
        )
    token = arguments.get("auth_token")
    if token:
        if not arguments.get("transit_encryption_enabled"):
            raise Invalid("The AUTH token is only supported when encryption-in-transit is enabled")
        if not AUTH_TOKEN.match(str(token)) or any(c in str(token) for c in '@"/'):
            raise Invalid("Invalid AuthToken provided.")
    if arguments.get("user_group_ids"):
        raise UserGroupNotFound(str(arguments["user_group_ids"][0]))
    subnet_group = arguments.get("cache_subnet_group_name")
    if subnet_group and subnet_group not in backend.cache_subnet_groups:
        from moto.elasticache.exceptions import CacheSubnetGroupNotFound

        raise CacheSubnetGroupNotFound(subnet_group)
    _check_network(
        backend, {"SecurityGroupIds": arguments.get("security_group_ids"), "KmsKeyId": arguments.get("kms_key_id")}
    )


def _members(group: Any, count: int, primary: tuple[str, int], reader: tuple[str, int]) -> list[dict[str, Any]]:
    members = []
    for index in range(count):
        address, port = primary if index == 0 else reader
        members.append(
            {
                "cache_cluster_id": f"{group.replication_group_id}-{index + 1:0>3}",
                "cache_node_id": "0001",
                "read_endpoint": {"address": address, "port": port},
                "preferred_availability_zone": f"{group_region(group)}{'abc'[index % 3]}",
                "current_role": "primary" if index == 0 else "replica",
            }
        )
    return members


def group_region(group: Any) -> str:
    return str(group.arn.split(":")[3])


def _install_replication_groups() -> None:
    Backend = elasticache_models.ElastiCacheBackend
    Response = elasticache_responses.ElastiCacheResponse
    create_group, delete_group = Backend.create_replication_group, Backend.delete_replication_group
    delete_cluster = Backend.delete_cache_cluster

    def create_replication_group(self: Any, **arguments: Any) -> Any:
        _check_replication_group(self, arguments)
        group = create_group(self, **arguments)
        count = int(arguments.get("num_cache_clusters") or (int(arguments.get("replicas_per_node_group") or 0) + 1))
        tls, token = bool(group.transit_encryption_enabled), arguments.get("auth_token")
        name = f"group-{self.account_id}-{group.replication_group_id}"
        try:
            store = functools.partial(_group_store, self, group)
            primary = servers().start(name, ServerOptions(port=group.port, tls=tls, password=token, store=store))
            reader = primary
            if count > 1:
                reader = servers().start(
                    f"{name}-replica",
                    ServerOptions(port=group.port, tls=tls, password=token, replica_of=primary, store=store),
                )
        except Exception:
            del self.replication_groups[group.replication_group_id]
            servers().stop(name)
            raise
        group.localcloud_servers = [name, f"{name}-replica"] if count > 1 else [name]
        node_group = group.node_groups[0]
        node_group["primary_endpoint_address"], node_group["reader_endpoint_address"] = primary[0], reader[0]
        node_group["primary_endpoint"] = {"address": primary[0], "port": primary[1]}
        node_group["reader_endpoint"] = {"address": reader[0], "port": reader[1]}
        node_group["node_group_members"] = _members(group, count, primary, reader)
        group.member_clusters = [m["cache_cluster_id"] for m in node_group["node_group_members"]]
        group.primary_cluster_id = group.member_clusters[0]
        version = str(arguments.get("engine_version") or DEFAULT_VERSIONS[group.engine])
        group.engine_version = version
        for member in node_group["node_group_members"]:
            cluster = elasticache_models.CacheCluster(
                account_id=self.account_id,
                region_name=self.region_name,
                cache_cluster_id=member["cache_cluster_id"],
                cache_node_type=group.cache_node_type,
                replication_group_id=group.replication_group_id,
                az_mode=None,
                preferred_availability_zone=member["preferred_availability_zone"],
                num_cache_nodes=1,
                engine=group.engine,
                engine_version=version,
                cache_parameter_group_name=arguments.get("cache_parameter_group_name"),
                cache_subnet_group_name=arguments.get("cache_subnet_group_name"),
                transit_encryption_enabled=tls,
                network_type=None,
                ip_discovery=None,
                snapshot_name=None,
                preferred_maintenance_window=None,
                port=member["read_endpoint"]["port"],
                notification_topic_arn=None,
                auto_minor_version_upgrade=True,
                snapshot_retention_limit=group.snapshot_retention_limit,
                snapshot_window=None,
                auth_token=token,
                outpost_mode=None,
                preferred_outpost_arn=None,
                preferred_availability_zones=None,
                cache_security_group_names=None,
                security_group_ids=arguments.get("security_group_ids"),
                tags=None,
                snapshot_arns=None,
                preferred_outpost_arns=None,
                log_delivery_configurations=[],
                cache_node_ids_to_remove=None,
                cache_node_ids_to_reboot=None,
            )
            cluster.replication_group_id = group.replication_group_id  # moto keeps it for engine "redis" only
            cluster.at_rest_encryption_enabled = bool(group.at_rest_encryption_enabled)
            self.cache_clusters[cluster.cache_cluster_id] = cluster
        return group

    def delete_replication_group(self: Any, replication_group_id: str, retain_primary_cluster: bool | None) -> Any:
        group = delete_group(self, replication_group_id, retain_primary_cluster)
        for name in getattr(group, "localcloud_servers", []):
            servers().stop(name)
        for member in list(getattr(group, "member_clusters", [])) + [f"{replication_group_id}-001"]:
            cluster = self.cache_clusters.get(member)
            if cluster is not None and getattr(cluster, "replication_group_id", None) == replication_group_id:
                del self.cache_clusters[member]
        del self.replication_groups[replication_group_id]  # gone once deleted, as the provider waits for
        self.tagging_service.delete_all_tags_for_resource(group.arn)
        return group

    def delete_cache_cluster(self: Any, cache_cluster_id: str) -> Any:
        cluster = delete_cluster(self, cache_cluster_id)
        self.cache_clusters.pop(cache_cluster_id, None)  # moto left it `deleting` forever
        return cluster

    def delete_cache_subnet_group(self: Any) -> Any:
        from moto.core.responses import EmptyResult
        from moto.elasticache.exceptions import CacheSubnetGroupNotFound

        backend, name = self.elasticache_backend, str(self._get_param("CacheSubnetGroupName"))
        if name not in backend.cache_subnet_groups:
            raise CacheSubnetGroupNotFound(name)
        in_use = [c for c in backend.cache_clusters.values() if c.cache_subnet_group_name == name]
        if in_use:
            raise InvalidParameterValueException(f"Cache subnet group {name} is in use by {in_use[0].cache_cluster_id}")
        del backend.cache_subnet_groups[name]
        return EmptyResult()

    Backend.create_replication_group = create_replication_group
    Backend.delete_replication_group = delete_replication_group
    Backend.delete_cache_cluster = delete_cache_cluster
    Response.delete_cache_subnet_group = delete_cache_subnet_group
