"""A PostgreSQL connection as the patterns make it (RDS or an RDS Proxy): TLS as configured, a connect
timeout, a user's credentials from Secrets Manager (read by the caller's store.py)."""

from __future__ import annotations

import json
import ssl
from typing import Any

from pattern_helpers.settings import Database

TLS_MODES = ("disable", "require", "verify-full")


def tls_context(mode: str, ca_bundle: str | None = None) -> ssl.SSLContext | None:
    """`require`: encrypted, the server's certificate not checked; `verify-full`: checked against the
    default trust store (or ca_bundle); `disable`: plain text."""
    if mode not in TLS_MODES:
        raise ValueError(f"DB_TLS must be one of {', '.join(TLS_MODES)}, not {mode!r}")
    if mode == "disable":
        return None
    context = ssl.create_default_context(cafile=ca_bundle or None)
    if mode == "require":
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return context


def connect(
    username: str,
    password: str,
    host: str,
    port: int,
    database: str,
    tls_mode: str = "require",
    ca_bundle: str | None = None,
    timeout_s: float = 10,
) -> Any:
    import pg8000.native  # vendored only by the packages that use a database

    return pg8000.native.Connection(
        username,
        password=password,
        host=host,
        port=port,
        database=database,
        ssl_context=tls_context(tls_mode, ca_bundle),
        timeout=timeout_s,
    )


def connect_to(database: Database, secret_string: str, timeout_s: float = 10) -> Any:
    """A connection as the user whose secret (JSON: username, password) Secrets Manager returned."""
    credentials = json.loads(secret_string)
    return connect(
        credentials["username"],
        credentials["password"],
        host=database.host,
        port=database.port,
        database=database.name,
        tls_mode=database.tls,
        ca_bundle=database.ca_bundle,
        timeout_s=timeout_s,
    )
