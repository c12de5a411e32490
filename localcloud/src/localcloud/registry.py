"""Every extension the local cloud makes to moto, in the order the server installs them: the one registry.

Each service folder declares its `Extension` (what it does that moto does not, its tests, its control
endpoints, how it installs); this list orders them. `core` comes first (authorization wraps every
request), Lambda before the services that deliver to functions (SNS, S3, EventBridge), and the servers
(RDS, ElastiCache) last. The README's table of extensions is generated from here (`make docs`). The
extensions reach into moto's internals, so they are written against one moto release: the server refuses
to start on another.
"""

from __future__ import annotations

import importlib.metadata

from localcloud import (
    apigateway,
    athena,
    backup,
    cloudfront,
    cloudwatch,
    cognito,
    core,
    dynamodb,
    elasticache,
    events,
    firehose,
    iam,
    kinesis,
    lambda_,
    logs,
    pipes,
    rds,
    s3,
    scheduler,
    sns,
    sqs,
    stepfunctions,
    vpc,
    xray,
)
from localcloud.extension import Context, Endpoint, Extension

MOTO_VERSION = "5.2.5"

EXTENSIONS: tuple[Extension, ...] = (
    core.EXTENSION,
    xray.EXTENSION,
    iam.EXTENSION,
    cognito.EXTENSION,
    dynamodb.EXTENSION,
    apigateway.EXTENSION,
    cloudfront.EXTENSION,
    lambda_.EXTENSION,
    kinesis.EXTENSION,
    sqs.EXTENSION,
    s3.EXTENSION,
    stepfunctions.EXTENSION,
    sns.EXTENSION,
    events.EXTENSION,
    scheduler.EXTENSION,
    pipes.EXTENSION,
    firehose.EXTENSION,
    athena.EXTENSION,
    logs.EXTENSION,
    cloudwatch.EXTENSION,
    rds.EXTENSION,
    backup.EXTENSION,
    elasticache.EXTENSION,
    vpc.EXTENSION,
)


class UnsupportedMoto(RuntimeError):
    """The installed moto is not the release the extensions were written against."""


def installed_moto() -> str:
    return importlib.metadata.version("moto")


def check_moto_version(installed: str | None = None) -> None:
    installed = installed or installed_moto()
    if installed != MOTO_VERSION:
        raise UnsupportedMoto(
            f"the local cloud's extensions are written for moto {MOTO_VERSION}, but moto {installed} is installed: "
            f"install localcloud's own dependencies (`pip install ./localcloud`, or `make install` here), or port "
            f"the extensions to {installed}"
        )


def install_all(context: Context) -> None:
    """Install every extension, in order, into the moto this process imported."""
    check_moto_version()
    for extension in EXTENSIONS:
        extension.install(context)


def endpoints() -> dict[tuple[str, str], Endpoint]:
    """Every control endpoint, by method and path."""
    found: dict[tuple[str, str], Endpoint] = {}
    for extension in EXTENSIONS:
        for endpoint in extension.endpoints:
            key = (endpoint.method, endpoint.path)
            if key in found:
                raise ValueError(f"{endpoint.method} {endpoint.path} is declared twice")
            found[key] = endpoint
    return found
