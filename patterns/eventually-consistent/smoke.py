"""`make up`'s smoke requests for P23 eventually-consistent: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check, http_api, wait_for


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    import ssl

    import pg8000.native

    customer = f"smoke-{int(time.time())}"
    started = time.perf_counter()
    status, _, body = http_api(
        cloud,
        service["api_id"],
        "PUT",
        f"/customers/{customer}",
        json.dumps({"name": "Smoke Test", "email": "smoke@example.com"}),
    )
    if status != 200:
        return [
            Check(
                "PUT /customers/...",
                f"{status} {body[:60]!r}",
                False,
                time.perf_counter() - started,
            )
        ]
    database = service["database"]
    secret = json.loads(
        cloud.client("secretsmanager").get_secret_value(SecretId=database["secret_arn"])["SecretString"]
    )
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE

    def copied() -> list[Any]:
        connection = pg8000.native.Connection(
            secret["username"],
            password=secret["password"],
            host=database["address"],
            port=int(database["port"]),
            database=database["name"],
            ssl_context=context,
        )
        try:
            return connection.run("SELECT version FROM customers WHERE id = :id", id=customer)
        except pg8000.native.DatabaseError:
            return []  # the replicator creates the table with its first connection
        finally:
            connection.close()

    rows = wait_for(copied)
    return [
        Check(
            "PUT /customers/..., then SELECT from PostgreSQL",
            "copied, version 1" if rows else "not copied in 30 s",
            bool(rows),
            time.perf_counter() - started,
        )
    ]
