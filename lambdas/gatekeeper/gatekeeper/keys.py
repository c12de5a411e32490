"""Key administration, invoked directly by the platform team (IAM decides who may): issue and revoke."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import grants, store

logger = Logger()
tracer = Tracer()


def issue(request: dict[str, Any]) -> dict[str, Any]:
    grant = grants.grant_request(request, time.time())
    key = grants.new_key()
    key_id = grants.key_id(key)
    store.save_grant(key_id, grant)
    logger.info("key issued", extra={"key_id": key_id, "principal": grant.principal, "tenant": grant.tenant})
    # The key is shown once, here; the service keeps only its hash.
    return {
        "key": key,
        "keyId": key_id,
        "principal": grant.principal,
        "tenant": grant.tenant,
        "scopes": sorted(grant.scopes),
        "expiresAt": datetime.fromtimestamp(grant.expires_at, UTC).isoformat(timespec="seconds"),
    }


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    action = event.get("action") if isinstance(event, dict) else None
    try:
        if action == "issue":
            return {"ok": True, **issue(event)}
        if action == "revoke":
            store.revoke(str(event.get("keyId") or ""))
            logger.info("key revoked", extra={"key_id": event.get("keyId")})
            return {"ok": True, "keyId": event["keyId"], "revoked": True}
        raise grants.InvalidGrant("action must be issue or revoke")
    except grants.InvalidGrant as refused:
        return {"ok": False, "error": "InvalidRequest", "message": str(refused)}
    except store.UnknownKey as unknown:
        return {"ok": False, "error": "UnknownKey", "message": f"no key with id {unknown}"}
