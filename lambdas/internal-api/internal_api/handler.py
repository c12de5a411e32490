"""The inventory service's function, and an example of a caller:

- `serve`: The inventory service: invoked directly by the functions allowed to (no API Gateway).
  Business errors come back in the answer's envelope; anything else (the table unreachable, a bug) raises, and the caller's client turns Lambda's function error into the same kind of structured error.
- `checkout`: An example caller: checkout reserves stock for an order through the inventory service's client.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store
from .store import InventoryError

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def serve(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        request = logic.parse_request(event)
        if isinstance(request, logic.Get):
            answer = logic.ok({"sku": request.sku, "available": store.available(request.sku)})
        else:
            answer = logic.ok(store.reserve(request))
            metrics.add_metric(name="Reservations", unit=MetricUnit.Count, value=1)
    except logic.ServiceError as exc:
        logger.info("request refused", extra={"error_type": exc.type, "reason": str(exc)})
        metrics.add_metric(name=f"{exc.type}Answers", unit=MetricUnit.Count, value=1)
        return exc.envelope()
    return answer


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def checkout(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    order_id, sku, quantity = event.get("orderId"), event.get("sku"), event.get("quantity")
    try:
        reservation = store.inventory().reserve(sku, quantity, order_id)  # type: ignore[arg-type]
    except InventoryError as error:
        logger.warning(
            "reservation failed",
            extra={"order_id": order_id, "error_type": error.type, "reason": str(error), "retryable": error.retryable},
        )
        return {"status": "failed", "orderId": order_id, "error": error.as_dict()}
    return {"status": "reserved", "orderId": order_id, "reservation": reservation}
