"""The cache (ElastiCache Serverless in AWS): one TLS connection per execution environment that checks
the server's certificate and name, and short socket timeouts so a cache problem costs a read its speed,
never its answer."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def client() -> Any:
    import redis

    return redis.Redis(
        host=os.environ["CACHE_HOST"],
        port=int(os.environ["CACHE_PORT"]),
        ssl=True,
        ssl_cert_reqs="required",
        ssl_check_hostname=True,
        decode_responses=True,
        socket_timeout=1,
        socket_connect_timeout=1,
    )


def errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.RedisError, OSError)


def ttl_seconds() -> int:
    return int(os.environ["CACHE_TTL_SECONDS"])


def get(key: str) -> str | None:
    return client().get(key)  # type: ignore[no-any-return]


def put(key: str, value: str) -> None:
    client().set(key, value, ex=ttl_seconds())


def forget(key: str) -> None:
    client().delete(key)
