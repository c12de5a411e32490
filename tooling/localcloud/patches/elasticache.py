"""ElastiCache Serverless caches that are caches: each one is a real redis-server (tooling/localcloud/caches.py)
and the API answers its loopback address and port as the endpoint. moto 5.2.5 had no serverless caches
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
"""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from moto.core.responses import ActionResult, PaginatedResult
from moto.elasticache import models as elasticache_models
from moto.elasticache import responses as elasticache_responses
from moto.elasticache.exceptions import ElastiCacheException, InvalidParameterValueException

from ..caches import RedisServers
from ..tls import CertificateAuthority

LOOPBACK = "127.0.0.1"
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
    def __init__(self, backend: Any, params: dict[str, Any], port: int) -> None:
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
        self.status = "creating"

    def describe(self) -> dict[str, Any]:
        endpoint = {"Address": LOOPBACK, "Port": self.port}
        answer: dict[str, Any] = {
            "ServerlessCacheName": self.name, "Description": self.description, "CreateTime": self.created,
            "Status": self.status, "Engine": self.engine, "MajorEngineVersion": self.major_engine_version,
            "FullEngineVersion": ENGINE_VERSIONS[self.engine][self.major_engine_version],
            "SecurityGroupIds": self.security_group_ids, "SubnetIds": self.subnet_ids,
            "Endpoint": endpoint, "ReaderEndpoint": endpoint, "ARN": self.arn,
            "SnapshotRetentionLimit": self.snapshot_retention_limit, "DailySnapshotTime": self.daily_snapshot_time,
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
        raise RuntimeError("the local cloud's caches are not set up (patches.elasticache.install was not called)")
    return _servers


def _caches(backend: Any) -> dict[str, ServerlessCache]:
    if not hasattr(backend, "localcloud_serverless_caches"):
        backend.localcloud_serverless_caches = {}
    return backend.localcloud_serverless_caches  # type: ignore[no-any-return]


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
            "letter, without two consecutive hyphens or a trailing hyphen")
    if name in _caches(backend):
        raise ServerlessCacheAlreadyExists(name)
    engine = str(params.get("Engine") or "")
    if engine not in ENGINE_VERSIONS:
        raise InvalidParameterValueException(
            f"Engine {engine!r}: the local cloud serves the Redis protocol (redis, valkey); memcached is not emulated")
    major = params.get("MajorEngineVersion")
    if major is not None and str(major) not in ENGINE_VERSIONS[engine]:
        raise InvalidParameterValueException(
            f"Invalid major engine version {major} for {engine}: one of {sorted(ENGINE_VERSIONS[engine])}")
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
            port = servers().start(str(params["ServerlessCacheName"]))
            cache = ServerlessCache(backend, params, port)
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
                raise InvalidParameterValueException(f"Invalid engine upgrade to {engine} "
                                                     f"{params['MajorEngineVersion']}")
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
        self.arn_regex = re.compile(r"^arn:aws:elasticache:.*:[0-9]*:"
                                    r"(cluster|snapshot|subnetgroup|replicationgroup|user|serverlesscache):.*$")

    Backend.__init__ = init
    return _servers
