"""The worker, invoked asynchronously: credits an order to its customer, once per order id.

Lambda may deliver an asynchronous event more than once, and retries it after an
error, so the work is idempotent per order id (Powertools idempotency, a DynamoDB
table): a duplicate gets the first result back and credits nothing again. An order
that can never be processed raises: Lambda retries it, then hands it to the
on-failure destination.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store
from .settings import worker_settings

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()
idempotency = IdempotencyConfig(
    event_key_jmespath="orderId",
    raise_on_no_idempotency_key=True,
    expires_after_seconds=worker_settings().idempotency_hours * 3600,
)
persistence = DynamoDBPersistenceLayer(table_name=worker_settings().idempotency_table)


@idempotent_function(data_keyword_argument="order", config=idempotency, persistence_store=persistence)
def credit_once(order: dict[str, Any]) -> dict[str, Any]:
    parsed = logic.parse_order(order)
    balance = store.credit(parsed)
    metrics.add_metric(name="OrdersProcessed", unit=MetricUnit.Count, value=1)
    return {"orderId": parsed.order_id, "customer": parsed.customer, "balance": f"{balance:.2f}"}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    order = logic.parse_order(event)
    idempotency.register_lambda_context(context)
    result = credit_once(order=order.as_event())
    logger.info("order processed", extra=result)
    return result
