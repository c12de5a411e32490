"""A function's settings, read from its environment: a missing or malformed one is a clear error naming it."""

from __future__ import annotations

import os
from dataclasses import dataclass


class Misconfigured(RuntimeError):
    """A setting the function needs is missing or malformed: fix the function's configuration."""


def required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise Misconfigured(f"{name} not set: the function is misconfigured")
    return value


def whole_number(name: str, default: int, minimum: int = 1, maximum: int | None = None) -> int:
    raw = os.environ.get(name, str(default))
    if not raw.isdigit() or int(raw) < minimum or (maximum is not None and int(raw) > maximum):
        bounds = f"from {minimum} to {maximum}" if maximum is not None else f"of at least {minimum}"
        raise Misconfigured(f"{name} must be a whole number {bounds}, not {raw!r}")
    return int(raw)


def http_url(name: str) -> str:
    """An http(s) URL, without a trailing slash."""
    value = os.environ.get(name, "").rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise Misconfigured(f"{name} must be an http(s) URL: the function is misconfigured")
    return value


@dataclass(frozen=True)
class Database:
    """Where a function's PostgreSQL database is (RDS or an RDS Proxy) and how to reach it."""

    host: str
    port: int
    name: str
    secret_arn: str  # the Secrets Manager secret of the user it logs in as: its own (the master's for migrations)
    tls: str  # disable, require (encrypted), verify-full (the certificate checked)
    ca_bundle: str | None


def database() -> Database:
    """DB_HOST, DB_PORT, DB_NAME, DB_SECRET_ARN, DB_TLS (require), DB_CA_BUNDLE (optional)."""
    return Database(
        host=required("DB_HOST"),
        port=whole_number("DB_PORT", default=5432, maximum=65535),
        name=required("DB_NAME"),
        secret_arn=required("DB_SECRET_ARN"),
        tls=os.environ.get("DB_TLS", "require"),
        ca_bundle=os.environ.get("DB_CA_BUNDLE") or None,
    )
