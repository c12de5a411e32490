"""Lambda authorizer (TOKEN or REQUEST): the caller's key -> a policy for exactly its tenant's routes."""

from __future__ import annotations

import time
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import grants, store

logger = Logger()
tracer = Tracer()
metrics = Metrics()


def decide(event: dict[str, Any], now: float) -> dict[str, Any]:
    token = grants.token_of(event)
    grant = store.grant_of(grants.key_id(token))
    if grant is None:
        raise grants.Unauthorized("unknown key")
    if not grant.usable_at(now):
        raise grants.Unauthorized("revoked key" if grant.revoked else "expired key")
    return grants.authorizer_answer(grant, event["methodArn"])


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        answer = decide(event, time.time())
    except grants.Unauthorized as refused:
        # Never log the key itself: the reason is enough to investigate.
        logger.info("refused", extra={"reason": refused.reason})
        metrics.add_metric(name="KeysRefused", unit=MetricUnit.Count, value=1)
        raise
    logger.info("authorized", extra={"principal": answer["principalId"], "tenant": answer["context"]["tenant"]})
    metrics.add_metric(name="KeysAuthorized", unit=MetricUnit.Count, value=1)
    return answer
