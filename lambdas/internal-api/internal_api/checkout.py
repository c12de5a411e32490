"""An example caller: checkout reserves stock for an order through the inventory service's client."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.config import Config

from .client import InventoryClient, InventoryError
from .settings import service_function

logger = Logger()
tracer = Tracer()


@lru_cache(maxsize=1)
def inventory() -> InventoryClient:
    # Reservations are idempotent per id, so the SDK's retries are safe; the read timeout bounds a hung call.
    config = Config(read_timeout=15, connect_timeout=2, retries={"max_attempts": 3, "mode": "standard"})
    return InventoryClient(boto3.client("lambda", config=config), service_function())


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    order_id, sku, quantity = event.get("orderId"), event.get("sku"), event.get("quantity")
    try:
        reservation = inventory().reserve(sku, quantity, order_id)  # type: ignore[arg-type]
    except InventoryError as error:
        logger.warning(
            "reservation failed",
            extra={"order_id": order_id, "error_type": error.type, "reason": str(error), "retryable": error.retryable},
        )
        return {"status": "failed", "orderId": order_id, "error": error.as_dict()}
    return {"status": "reserved", "orderId": order_id, "reservation": reservation}
