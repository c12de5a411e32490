"""RDS: PostgreSQL DB instances and clusters are databases in a real PostgreSQL server; proxies pass to them."""

from __future__ import annotations

import json
import os
from typing import Any

from localcloud.extension import Context, Endpoint, Extension, Feature


def install(context: Context) -> None:
    from localcloud.core.scheduler import Periodic
    from localcloud.rds import api, metrics

    server = api.install(context.state_dir, context.services["authority"])
    # RDS publishes its metrics every minute: LOCALCLOUD_RDS_METRICS_S here.
    sampler = Periodic(float(os.environ.get("LOCALCLOUD_RDS_METRICS_S", "60")), metrics.sample_all, "rds-metrics")
    context.on_stop(server.stop)
    context.on_stop(api.close_proxies)
    context.on_stop(sampler.stop)


def sample_metrics(request: Any, context: Context) -> Any:
    """Take RDS's metric sample now instead of at the next interval."""
    from werkzeug.wrappers import Response

    from localcloud.rds.metrics import sample_all

    return Response(json.dumps({"sampled": sample_all()}), status=200, content_type="application/json")


EXTENSION = Extension(
    service="rds",
    summary="PostgreSQL instances, clusters and proxies that clients connect to",
    install=install,
    endpoints=(
        Endpoint(
            "POST",
            "/_localcloud/rds/sample-metrics",
            "publishes RDS's per-instance and per-proxy metric sample now (as every `LOCALCLOUD_RDS_METRICS_S`, "
            "60 by default), for tests of the database alarms",
            sample_metrics,
        ),
    ),
    features=(
        Feature(
            title="RDS PostgreSQL is PostgreSQL.",
            does=(
                "The first PostgreSQL DB instance or Aurora PostgreSQL cluster starts a real PostgreSQL server (the "
                "distribution's; `make install` installs Debian's `postgresql` where missing) on a free loopback port, "
                "its data under the local cloud's state folder (or a folder of its own when that one is private), as the "
                "`postgres` user when the local cloud runs as root, with TLS on (a self-signed certificate). "
                "**`rds.force_ssl`** as RDS decides it: from the instance's parameter group, else on from PostgreSQL 15 "
                "(the default groups' value); while on, a plain-text session is refused with PostgreSQL's `no "
                'pg_hba.conf entry for host "...", user "...", database "...", no encryption` (28000), and '
                "a change to the parameter applies to the next session (it is dynamic). Each instance or cluster is a database (`DBName`/`DatabaseName`) owned by a role with its master "
                "user name and password (like RDS's master user it may create roles and databases and is a member of "
                "`rds_superuser`); a DB instance's endpoint is an address of its own (127.0.x.y) at the port it was "
                "created with (5432 by default), where its security groups decide who gets through (the vpc "
                "extension) before the server; a cluster answers `127.0.0.1` and the server's port (an instance of a "
                "cluster shares the cluster's database); deleting drops it; stopping the local cloud stops the server. "
                "With `ManageMasterUserPassword` the role's password is the one in the managed Secrets Manager secret the"
                " RDS API names. **RDS Proxy**: a PostgreSQL DB proxy listens on a loopback address of its own "
                "(127.0.x.y) on port 5432, as clients reach a proxy endpoint on the engine's port, ending TLS with a "
                "certificate for that address from the local authority (functions verify it with their default trust "
                "store, as they verify ACM's certificate of an RDS Proxy; `verify-full` needs no RDS CA bundle) and "
                "passing sessions to its registered target's database; `RequireTLS` refuses plain-text clients with "
                "PostgreSQL's FATAL 28000; a login as a user none of its auth secrets holds credentials for is refused "
                "with `This RDS proxy has no credentials for the role <user>. Check the credentials for this role and "
                "try again.`; while no target is registered, or the proxy's role may not "
                "`secretsmanager:GetSecretValue` (and `kms:Decrypt`) its auth secret, clients are refused and "
                "`DescribeDBProxyTargets` reports the target `UNAVAILABLE` / `AUTH_FAILURE` with the reason; a missing "
                "auth secret is refused at create; `IAMAuth: REQUIRED` is refused by name (the pass-through cannot check "
                "IAM tokens). A `postgres` engine version is resolved as RDS resolves it: a major alone (`16`) to its "
                "current minor, a minor RDS no longer creates refused (`InvalidParameterCombination: Cannot find "
                "version 16.3 for postgres`; the table in rds/versions.py is dated). Not yet: Aurora reader "
                "endpoints as separate servers, `verify-full` directly against an instance (needs the RDS CA bundle)."
            ),
            moto_without="metadata only, endpoints nothing can connect to",
            code=("rds/postgres.py", "rds/proxies.py", "rds/api.py", "rds/versions.py", "rds/wire.py"),
            tests=("localcloud/rds/test_rds_postgres.py", "localcloud/rds/test_rds_proxy.py"),
        ),
        Feature(
            title="RDS metrics from the real server:",
            does=(
                "every minute (`LOCALCLOUD_RDS_METRICS_S`) each PostgreSQL instance publishes `DatabaseConnections` "
                "(its database's sessions) and `FreeStorageSpace` (its allocated storage less its database's size) "
                "under `DBInstanceIdentifier`, and each PostgreSQL proxy with a registered target "
                "`AvailabilityPercentage` (100 while the target can serve, else 0) under `ProxyName`, `TargetGroup` and `TargetRole`, so the database alarms "
                "can fire. `CPUUtilization` is not published (the instances share one server)."
            ),
            moto_without="no RDS metrics: a database alarm stayed at INSUFFICIENT_DATA",
            code=("rds/metrics.py", "core/metrics.py"),
            tests=("localcloud/rds/test_rds_metrics.py",),
        ),
    ),
)
