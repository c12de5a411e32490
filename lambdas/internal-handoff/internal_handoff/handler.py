"""The two functions of the handoff:

- `hand_off` (the caller): validates an order, invokes the worker asynchronously, answers at once.
- `work` (the worker, invoked asynchronously): credits an order to its customer, once per order id.
  Lambda may deliver an asynchronous event more than once, and retries it after an error, so the work is
  idempotent per order id (Powertools idempotency, a DynamoDB table): a duplicate gets the first result
  back and credits nothing again. An order that can never be processed raises: Lambda retries it, then
  hands it to the on-failure destination.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, settings, store

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def hand_off(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        order = logic.parse_order(event)
    except logic.InvalidOrder as exc:
        metrics.add_metric(name="OrdersRejected", unit=MetricUnit.Count, value=1)
        return logic.rejection(exc)
    request_id = store.hand_off(order)
    logger.info("order handed off", extra={"order_id": order.order_id, "handoff_request_id": request_id})
    metrics.add_metric(name="OrdersHandedOff", unit=MetricUnit.Count, value=1)
    return {"status": "accepted", "orderId": order.order_id, "handoffRequestId": request_id}


def _credit(order: dict[str, Any]) -> dict[str, Any]:
    parsed = logic.parse_order(order)
    balance = store.credit(parsed)
    metrics.add_metric(name="OrdersProcessed", unit=MetricUnit.Count, value=1)
    return {"orderId": parsed.order_id, "customer": parsed.customer, "balance": f"{balance:.2f}"}


@lru_cache(maxsize=1)
def _credit_once() -> tuple[IdempotencyConfig, Callable[..., dict[str, Any]]]:
    """The worker's idempotent credit, bound once per cold start to its table (the caller never builds it)."""
    config = IdempotencyConfig(
        event_key_jmespath="orderId",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=settings.idempotency_hours() * 3600,
    )
    persistence = DynamoDBPersistenceLayer(table_name=settings.idempotency_table())
    once = idempotent_function(data_keyword_argument="order", config=config, persistence_store=persistence)(_credit)
    return config, once


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def work(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    order = logic.parse_order(event)
    config, credit_once = _credit_once()
    config.register_lambda_context(context)
    result = credit_once(order=order.as_event())
    logger.info("order processed", extra=result)
    return result
