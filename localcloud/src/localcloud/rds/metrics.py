"""RDS's CloudWatch metrics, sampled as RDS publishes them (every minute in AWS; `LOCALCLOUD_RDS_METRICS_S`
here), from the real server behind the instances, so the alarms the library puts on a database can fire:

- per DB instance (`DBInstanceIdentifier`): `DatabaseConnections` (its database's sessions now) and
  `FreeStorageSpace` (its allocated storage less its database's size, in bytes);
- per RDS Proxy target group with a registered target (`ProxyName`, `TargetGroup`, `TargetRole`):
  `AvailabilityPercentage`, 100 while its target can serve and 0 while it cannot (credentials the proxy's
  role may not read).

`CPUUtilization` is not published: every instance shares one server, whose CPU says nothing of one of them.
"""

from __future__ import annotations

from localcloud.core import metrics

GIB = 1024**3


def sample_all() -> int:
    """Publish every PostgreSQL instance's and proxy's sample now; how many were sampled."""
    from moto.rds.models import rds_backends

    from localcloud.rds import api

    try:
        usage = api.server().usage()
    except Exception:  # noqa: BLE001 - no server yet, or it is stopping: nothing to sample
        usage = {}
    sampled = 0
    for account, regions in list(rds_backends.items()):
        for region, backend in list(regions.items()):
            for instance in list(backend.databases.values()):
                name = getattr(instance, "localcloud_database", None)
                if not name or name not in usage:
                    continue
                sessions, size = usage[name]
                free = max(0, int(instance.allocated_storage or 0) * GIB - size)
                metrics.database_sampled(account, region, str(instance.db_instance_identifier), sessions, free)
                sampled += 1
            for proxy in list(backend.db_proxies.values()):
                registered = any(group.targets for group in proxy.proxy_target_groups.values())
                if str(proxy.engine_family) == "POSTGRESQL" and registered:
                    upstream, _ = api.proxy_target(backend, proxy)
                    metrics.proxy_sampled(account, region, str(proxy.db_proxy_name), upstream is not None)
                    sampled += 1
    return sampled
