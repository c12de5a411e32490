"""RDS databases that are databases: a PostgreSQL DB instance or cluster is a database in the local cloud's
real PostgreSQL server (tooling/localcloud/postgres.py), and the RDS API answers that server's loopback
address and port as its endpoint. moto kept metadata only, with hostnames nothing could connect to.

- CreateDBInstance / CreateDBCluster (engine postgres or aurora-postgresql) create the database named
  `DBName` / `DatabaseName` (without one, the identifier with dashes as underscores) owned by a role
  `MasterUsername` logging in with `MasterUserPassword`, or with the password RDS keeps in its managed
  Secrets Manager secret (`ManageMasterUserPassword`); an instance of a cluster shares the cluster's.
- DeleteDBInstance / DeleteDBCluster drop it.
- Other engines keep moto's behaviour (metadata only).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from moto.rds import models as rds_models

from ..postgres import PostgresServer

POSTGRES_ENGINES = ("postgres", "aurora-postgresql")
LOOPBACK = "127.0.0.1"

_server: PostgresServer | None = None


def server() -> PostgresServer:
    if _server is None:
        raise RuntimeError("the local cloud's PostgreSQL is not set up (patches.rds.install was not called)")
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


def install(state_dir: Path) -> PostgresServer:
    global _server
    _server = PostgresServer(state_dir)
    Backend = rds_models.RDSBackend
    create_instance, delete_instance = Backend.create_db_instance, Backend.delete_db_instance
    create_cluster, delete_cluster = Backend.create_db_cluster, Backend.delete_db_cluster

    def create_db_instance(self: Any, db_kwargs: dict[str, Any]) -> Any:
        instance = create_instance(self, db_kwargs)
        if str(instance.engine) in POSTGRES_ENGINES:
            cluster = getattr(instance, "cluster", None)
            if cluster is not None and getattr(cluster, "localcloud_database", None):
                instance.localcloud_database = cluster.localcloud_database
                instance.port = cluster.port
            else:
                name = _database_name(instance.db_name, instance.db_instance_identifier)
                instance.port = server().create_database(name, str(instance.master_username), master_password(
                    instance, db_kwargs.get("master_user_password")))
                instance.localcloud_database = name
        return instance

    def delete_db_instance(self: Any, db_instance_identifier: str, *args: Any, **kwargs: Any) -> Any:
        instance = delete_instance(self, db_instance_identifier, *args, **kwargs)
        name = getattr(instance, "localcloud_database", None)
        if name and getattr(instance, "cluster", None) is None:
            server().drop_database(name)
        return instance

    def create_db_cluster(self: Any, kwargs: dict[str, Any]) -> Any:
        cluster = create_cluster(self, kwargs)
        if str(cluster.engine) in POSTGRES_ENGINES:
            name = _database_name(kwargs.get("database_name"), cluster.db_cluster_identifier)
            cluster.port = server().create_database(name, str(cluster.master_username),
                                                    master_password(cluster, kwargs.get("master_user_password")))
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
        return json.dumps({"username": str(self.resource.master_username),
                           "password": secrets.token_urlsafe(24)})

    rds_models.MasterUserSecret._generate_secret_string = managed_secret_string
    Backend.create_db_instance = create_db_instance
    Backend.delete_db_instance = delete_db_instance
    Backend.create_db_cluster = create_db_cluster
    Backend.delete_db_cluster = delete_db_cluster

    instance_address = rds_models.DBInstance.address

    def address(self: Any) -> str:
        return LOOPBACK if getattr(self, "localcloud_database", None) else instance_address.fget(self)

    rds_models.DBInstance.address = property(address)
    cluster_endpoint, reader_endpoint = rds_models.DBCluster.endpoint, rds_models.DBCluster.reader_endpoint

    def endpoint(self: Any) -> str:
        return LOOPBACK if getattr(self, "localcloud_database", None) else cluster_endpoint.fget(self)

    def reader(self: Any) -> str:
        return LOOPBACK if getattr(self, "localcloud_database", None) else reader_endpoint.fget(self)

    rds_models.DBCluster.endpoint = property(endpoint)
    rds_models.DBCluster.reader_endpoint = property(reader)
    return _server
