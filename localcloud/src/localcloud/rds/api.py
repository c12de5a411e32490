"""RDS databases that are databases: a PostgreSQL DB instance or cluster is a database in the local cloud's
real PostgreSQL server (postgres.py). A DB instance's endpoint is an address of its own at the port it
was created with, guarded by its security groups (vpc/guard.py) in front of that server; a cluster's is
the server's loopback address and port. moto kept metadata only, with hostnames nothing could connect to.

- CreateDBInstance / CreateDBCluster (engine postgres or aurora-postgresql) create the database named
  `DBName` / `DatabaseName` (without one, the identifier with dashes as underscores) owned by a role
  `MasterUsername` logging in with `MasterUserPassword`, or with the password RDS keeps in its managed
  Secrets Manager secret (`ManageMasterUserPassword`); an instance of a cluster shares the cluster's.
- DeleteDBInstance / DeleteDBCluster drop it.
- A `postgres` instance's EngineVersion is resolved as RDS resolves it (versions.py): a major alone
  ("16") becomes its default minor, and a minor RDS no longer creates is refused
  (`InvalidParameterCombination: Cannot find version 16.3 for postgres`).
- Other engines keep moto's behaviour (metadata only), but every instance gets a DbiResourceId of its own
  (moto gave all the same one, and the provider looks instances up by it).
- A POSTGRESQL DB proxy is a listener on a loopback address of its own, port 5432 (db_proxies.py), ending
  TLS with a certificate for that address from the local authority and forwarding to its registered
  instance's or cluster's database; its endpoint is that address. Create
  refuses an auth secret that does not exist and IAM authentication through the proxy (not emulated:
  refused by name). DescribeDBProxyTargets answers the target's endpoint and port and its health:
  `UNAVAILABLE` / `AUTH_FAILURE` while the proxy's role may not read every auth secret, and then the
  proxy refuses clients, as RDS Proxy does.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Any

from moto.rds import models as rds_models

from localcloud.core import iam
from localcloud.core.tls import CertificateAuthority
from localcloud.rds import wire
from localcloud.rds.postgres import PostgresServer
from localcloud.rds.proxies import ProxyEndpoint
from localcloud.rds.versions import resolve_postgres
from localcloud.vpc import placement as network
from localcloud.vpc.guard import GuardedEndpoint
from localcloud.vpc.placement import Placement
from localcloud.vpc.rules import Store, placed

POSTGRES_ENGINES = ("postgres", "aurora-postgresql")
LOOPBACK = "127.0.0.1"
FORCE_SSL_BY_DEFAULT_FROM = 15  # the default parameter groups force SSL from postgres15 on
RESOURCE_ID_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

_server: PostgresServer | None = None


def server() -> PostgresServer:
    if _server is None:
        raise RuntimeError("the local cloud's PostgreSQL is not set up (the rds extension is not installed)")
    return _server


def _database_name(db_name: str | None, identifier: str) -> str:
    return db_name or identifier.replace("-", "_")


def master_password(resource: Any, requested: str | None) -> str:
    """The password the master user logs in with: the one given, or the one RDS keeps in Secrets Manager
    (`ManageMasterUserPassword`: moto generates it into the managed secret)."""
    secret = getattr(resource, "master_user_secret", None)
    if secret is not None:
        return str(json.loads(secret.secret.secret_string)["password"])
    return str(requested or "")


def install(state_dir: Path, authority: CertificateAuthority) -> PostgresServer:
    global _server
    _server = PostgresServer(state_dir)
    Backend = rds_models.RDSBackend
    create_instance, delete_instance = Backend.create_db_instance, Backend.delete_db_instance
    create_cluster, delete_cluster = Backend.create_db_cluster, Backend.delete_db_cluster

    def create_db_instance(self: Any, db_kwargs: dict[str, Any]) -> Any:
        if db_kwargs.get("engine") == "postgres":
            db_kwargs = {**db_kwargs, "engine_version": resolve_postgres(db_kwargs.get("engine_version"))}
        instance = create_instance(self, db_kwargs)
        # moto gives every instance the same DbiResourceId; the provider finds an instance by it, and with two
        # instances found neither ("couldn't find resource" after a 4-minute wait in make up).
        instance.dbi_resource_id = "db-" + "".join(secrets.choice(RESOURCE_ID_CHARACTERS) for _ in range(26))
        if not db_kwargs.get("vpc_security_group_ids") and getattr(instance, "_db_subnet_group_name", None):
            # Without groups, an instance gets its subnet group's VPC's default group (moto: the default VPC's).
            from moto.ec2.models import ec2_backends

            ec2 = ec2_backends[self.account_id][self.region_name]
            default = ec2.get_default_security_group(instance.db_subnet_group.vpc_id)
            instance.vpc_security_group_ids = [default.id] if default is not None else []
        if str(instance.engine) in POSTGRES_ENGINES:
            try:
                _serve(instance, db_kwargs)
            except Exception:
                # Nothing half-made: a retry of the create must not find an instance without a database.
                self.databases.pop(instance.db_instance_identifier, None)
                raise
        return instance

    def delete_db_instance(self: Any, db_instance_identifier: str, *args: Any, **kwargs: Any) -> Any:
        instance = delete_instance(self, db_instance_identifier, *args, **kwargs)
        guard = getattr(instance, "localcloud_guard", None)
        if guard is not None:
            guard.close()
        name = getattr(instance, "localcloud_database", None)
        if name and getattr(instance, "cluster", None) is None:
            server().drop_database(name)
        return instance

    def create_db_cluster(self: Any, kwargs: dict[str, Any]) -> Any:
        cluster = create_cluster(self, kwargs)
        if str(cluster.engine) in POSTGRES_ENGINES:
            name = _database_name(kwargs.get("database_name"), cluster.db_cluster_identifier)
            cluster.port = server().create_database(
                name, str(cluster.master_username), master_password(cluster, kwargs.get("master_user_password"))
            )
            cluster.localcloud_database = name
        return cluster

    def delete_db_cluster(self: Any, cluster_identifier: str, *args: Any, **kwargs: Any) -> Any:
        cluster = delete_cluster(self, cluster_identifier, *args, **kwargs)
        name = getattr(cluster, "localcloud_database", None)
        if name:
            server().drop_database(name)
        return cluster

    def managed_secret_string(self: Any) -> str:
        """The managed secret holds the master user's name and a random password, as RDS writes it (moto
        wrote admin / a fixed password whatever the master user)."""
        return json.dumps({"username": str(self.resource.master_username), "password": secrets.token_urlsafe(24)})

    rds_models.MasterUserSecret._generate_secret_string = managed_secret_string
    Backend.create_db_instance = create_db_instance
    Backend.delete_db_instance = delete_db_instance
    Backend.create_db_cluster = create_db_cluster
    Backend.delete_db_cluster = delete_db_cluster

    instance_address = rds_models.DBInstance.address

    def address(self: Any) -> str:
        guard = getattr(self, "localcloud_guard", None)
        if guard is not None:
            return str(guard.address)
        return LOOPBACK if getattr(self, "localcloud_database", None) else instance_address.fget(self)

    rds_models.DBInstance.address = property(address)
    cluster_endpoint, reader_endpoint = rds_models.DBCluster.endpoint, rds_models.DBCluster.reader_endpoint

    def endpoint(self: Any) -> str:
        return LOOPBACK if getattr(self, "localcloud_database", None) else cluster_endpoint.fget(self)

    def reader(self: Any) -> str:
        return LOOPBACK if getattr(self, "localcloud_database", None) else reader_endpoint.fget(self)

    rds_models.DBCluster.endpoint = property(endpoint)
    rds_models.DBCluster.reader_endpoint = property(reader)
    _install_proxies(authority)
    _install_parameter_sources()
    return _server


def _install_parameter_sources() -> None:
    """A parameter set through ModifyDBParameterGroup is reported with `Source: user`, and DescribeDBParameters
    honours its `Source` filter, as RDS does (moto reported no source and ignored the filter, so the provider
    saw none of a group's parameters and planned to set them again on every plan)."""
    from moto.core.responses import ActionResult
    from moto.rds.exceptions import DBParameterGroupNotFoundError
    from moto.rds.responses import RDSResponse

    update = rds_models.DBParameterGroup.update_parameters

    def update_parameters(self: Any, new_parameters: Any) -> None:
        update(self, [{**parameter, "Source": "user"} for parameter in new_parameters])

    def describe_db_parameters(self: Any) -> Any:
        name = self.params.get("DBParameterGroupName")
        groups = self.backend.describe_db_parameter_groups({"db_parameter_group_name": name})
        if not groups:
            raise DBParameterGroupNotFoundError(name)
        source = self.params.get("Source")
        parameters = [p for p in groups[0].parameters.values() if not source or p.get("Source") == source]
        return ActionResult({"Parameters": parameters})

    rds_models.DBParameterGroup.update_parameters = update_parameters
    RDSResponse.describe_db_parameters = describe_db_parameters


def instance_store(instance: Any) -> Store:
    """Where a DB instance sits: its subnet group's subnets (none: the default VPC's), its groups."""
    group = getattr(instance, "db_subnet_group", None) if getattr(instance, "_db_subnet_group_name", None) else None
    subnets = [s.id for s in group._subnets] if group is not None else []
    where = placed(
        str(instance.account_id),
        str(instance.region),
        subnets,
        list(instance.vpc_security_group_ids or []),
        f"DB instance {instance.db_instance_identifier}",
    )
    return Store(where, int(instance.port), bool(instance.publicly_accessible))


def forces_ssl(instance: Any) -> bool:
    """`rds.force_ssl` in the instance's parameter group, else its family's default: on from PostgreSQL 15."""
    group = instance.db_parameter_groups()[0]
    value = group.parameters.get("rds.force_ssl", {}).get("ParameterValue")
    if value is not None:
        return str(value).strip() == "1"
    major = re.match(r"postgres(\d+)", str(group.family or ""))
    return major is not None and int(major.group(1)) >= FORCE_SSL_BY_DEFAULT_FROM


def _serve(instance: Any, db_kwargs: dict[str, Any]) -> None:
    """A PostgreSQL instance's database in the server, and its endpoint (a cluster member shares its cluster's)."""
    cluster = getattr(instance, "cluster", None)
    if cluster is not None and getattr(cluster, "localcloud_database", None):
        instance.localcloud_database = cluster.localcloud_database
        instance.port = cluster.port
        return
    name = _database_name(instance.db_name, instance.db_instance_identifier)
    server_port = server().create_database(
        name, str(instance.master_username), master_password(instance, db_kwargs.get("master_user_password"))
    )
    instance.localcloud_database = name
    # Its endpoint: the port it was created with (5432 by default), on an address of its own.
    instance.port = int(db_kwargs.get("port") or 5432)
    _guard(instance, server_port)


def _guard(instance: Any, server_port: int) -> None:
    """The instance's endpoint: an address of its own at its port, its security groups deciding who gets
    through to the database in the local cloud's server, which refuses plain text while the instance forces
    SSL (its proxy's own hop excepted: it stands for RDS Proxy's TLS inside the VPC, see proxies.py)."""

    def opening(connection: Any, peer: tuple[str, int]) -> bytes | None:
        required = forces_ssl(instance) and not network.claimed(peer)
        return wire.opening(connection, peer[0], required)

    instance.localcloud_guard = GuardedEndpoint(
        f"DB instance {instance.db_instance_identifier}",
        int(instance.port),
        upstream=lambda: (LOOPBACK, server_port),
        store=lambda: instance_store(instance),
        opening=opening,
    )


def proxy_placement(proxy: Any) -> Placement:
    return Placement(
        str(proxy.account_id),
        str(proxy.region),
        str(getattr(proxy, "vpc_id", "") or ""),
        tuple(proxy.vpc_subnet_ids or []),
        tuple(proxy.vpc_security_group_ids or []),
        f"DB proxy {proxy.db_proxy_name}",
    )


_endpoints: dict[str, ProxyEndpoint] = {}


def _proxy_role_refusal(proxy: Any) -> str | None:
    """Why the proxy's role may not read its credentials, or None when it may read every auth secret."""
    identity = iam.poller_identity(str(proxy.role_arn), session="rds-proxy")
    account, role_name = identity.account, identity.role_name
    from moto.secretsmanager.models import secretsmanager_backends

    from localcloud.core import kms

    region = str(proxy.region)
    secrets = secretsmanager_backends[account][region]
    for entry in proxy.auth:
        secret_arn = str(entry.get("SecretArn") or "")
        if not iam.decide(identity, "secretsmanager:GetSecretValue", secret_arn).allowed:
            return (
                f"Proxy {proxy.db_proxy_name} could not read its credentials: role {role_name} may not "
                f"perform secretsmanager:GetSecretValue on {secret_arn}"
            )
        try:
            key_reference = getattr(secrets.describe_secret(secret_arn), "kms_key_id", None)
        except Exception:
            return f"Proxy {proxy.db_proxy_name}'s secret {secret_arn} no longer exists"
        key = kms.resolve(key_reference, account, region) if key_reference else None
        if key is not None and not kms.caller_may_use(identity, key, "kms:Decrypt", "secretsmanager", region).allowed:
            return (
                f"Proxy {proxy.db_proxy_name} could not read its credentials: role {role_name} may not "
                f"perform kms:Decrypt on {key_reference}"
            )
    return None


def _proxy_users(proxy: Any) -> set[str]:
    """The database users the proxy's auth secrets hold credentials for (secrets without a value yet: none)."""
    from moto.secretsmanager.models import secretsmanager_backends

    secrets = secretsmanager_backends[str(proxy.account_id)][str(proxy.region)]
    users = set()
    for entry in proxy.auth:
        try:
            value = secrets.get_secret_value(str(entry.get("SecretArn") or ""), None, None)
            username = json.loads(value.get("SecretString") or "{}").get("username")
        except Exception:  # no such secret, no current value, not JSON: no credentials from it
            continue
        if isinstance(username, str) and username:
            users.add(username)
    return users


def proxy_target(backend: Any, proxy: Any) -> tuple[tuple[str, int] | None, str]:
    targets = [t for group in proxy.proxy_target_groups.values() for t in group.targets]
    if not targets:
        return None, f"Proxy {proxy.db_proxy_name} has no registered target"
    refusal = _proxy_role_refusal(proxy)
    if refusal:
        return None, refusal
    target = targets[0]
    resource = backend.clusters.get(target.rds_resource_id) or backend.databases.get(target.rds_resource_id)
    if resource is None or not getattr(resource, "localcloud_database", None):
        return None, f"Proxy {proxy.db_proxy_name}'s target {target.rds_resource_id} is not a PostgreSQL database"
    guard = getattr(resource, "localcloud_guard", None)
    return ((guard.address, guard.port) if guard is not None else (LOOPBACK, int(resource.port))), ""


def _install_proxies(authority: CertificateAuthority) -> None:
    from moto.rds.exceptions import InvalidParameterCombination, InvalidParameterValue
    from moto.secretsmanager.models import secretsmanager_backends

    Backend = rds_models.RDSBackend
    create_proxy, delete_proxy, register = (
        Backend.create_db_proxy,
        Backend.delete_db_proxy,
        Backend.register_db_proxy_targets,
    )

    def create_db_proxy(
        self: Any, db_proxy_name: str, engine_family: str, auth: list[dict[str, str]], *args: Any, **kwargs: Any
    ) -> Any:
        secrets_backend = secretsmanager_backends[self.account_id][self.region_name]
        for entry in auth or []:
            if str(entry.get("IAMAuth", "DISABLED")) == "REQUIRED":
                raise InvalidParameterCombination(
                    "IAMAuth REQUIRED: the local cloud's proxies pass the client's login through to PostgreSQL "
                    "and cannot check IAM tokens; use DISABLED (clients log in with the secret's credentials)"
                )
            secret_arn = str(entry.get("SecretArn") or "")
            try:
                secrets_backend.describe_secret(secret_arn)
            except Exception:
                raise InvalidParameterValue(f"The secret {secret_arn} does not exist or is not accessible") from None
        proxy = create_proxy(self, db_proxy_name, engine_family, auth, *args, **kwargs)
        if proxy.engine_family == "POSTGRESQL":
            backend = self
            endpoint = ProxyEndpoint(
                proxy.db_proxy_name,
                lambda: bool(proxy.require_tls),
                lambda: proxy_target(backend, proxy),
                authority,
                lambda: proxy_placement(proxy),
                lambda: _proxy_users(proxy),
            )
            _endpoints[proxy.db_proxy_name + "@" + self.account_id + self.region_name] = endpoint
            proxy.endpoint = endpoint.address
        return proxy

    def delete_db_proxy(self: Any, proxy_name: str) -> Any:
        if proxy_name not in self.db_proxies:
            from moto.rds.exceptions import DBProxyNotFoundFault

            raise DBProxyNotFoundFault(proxy_name)
        endpoint = _endpoints.pop(proxy_name + "@" + self.account_id + self.region_name, None)
        if endpoint is not None:
            endpoint.close()
        return delete_proxy(self, proxy_name)

    def register_db_proxy_targets(
        self: Any,
        db_proxy_name: str,
        target_group_name: str,
        db_cluster_identifiers: list[str],
        db_instance_identifiers: list[str],
    ) -> Any:
        targets = register(self, db_proxy_name, target_group_name, db_cluster_identifiers, db_instance_identifiers)
        proxy = self.db_proxies[db_proxy_name]
        for target in targets:
            resource = self.clusters.get(target.rds_resource_id) or self.databases.get(target.rds_resource_id)
            if resource is not None and getattr(resource, "localcloud_database", None):
                guard = getattr(resource, "localcloud_guard", None)
                target.endpoint = guard.address if guard is not None else LOOPBACK
                target.port = int(resource.port)
            target.localcloud_proxy = proxy
        return targets

    def target_health(self: Any) -> dict[str, str]:
        proxy = getattr(self, "localcloud_proxy", None)
        refusal = _proxy_role_refusal(proxy) if proxy is not None else None
        if refusal:
            return {"State": "UNAVAILABLE", "Reason": "AUTH_FAILURE", "Description": refusal}
        return {"State": "AVAILABLE"}

    Backend.create_db_proxy = create_db_proxy
    Backend.delete_db_proxy = delete_db_proxy
    Backend.register_db_proxy_targets = register_db_proxy_targets
    rds_models.DBProxyTarget.target_health = property(target_health)


def close_proxies() -> None:
    for endpoint in list(_endpoints.values()):
        endpoint.close()
    _endpoints.clear()
