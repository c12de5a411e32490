"""The service handing work off: validates an order, invokes the worker asynchronously, answers at once."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        order = logic.parse_order(event)
    except logic.InvalidOrder as exc:
        metrics.add_metric(name="OrdersRejected", unit=MetricUnit.Count, value=1)
        return logic.rejection(exc)
    request_id = store.hand_off(order)
    logger.info("order handed off", extra={"order_id": order.order_id, "handoff_request_id": request_id})
    metrics.add_metric(name="OrdersHandedOff", unit=MetricUnit.Count, value=1)
    return {"status": "accepted", "orderId": order.order_id, "handoffRequestId": request_id}
