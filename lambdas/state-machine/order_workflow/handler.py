"""One handler per workflow task; each runs as its own function with its own role."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store

logger = Logger()
tracer = Tracer()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def validate(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """{order, execution} -> the order's summary, recorded as RECEIVED."""
    order = logic.parse_order(event.get("order"))
    summary = logic.order_summary(order)
    store.open_order(summary, str(event.get("execution", "")))
    logger.info("order received", extra={"order_id": order.order_id, "total": summary["total"]})
    return summary


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def check_stock(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """The order's summary -> {inStock: true}; InventoryBusy while a sku is locked, OutOfStock if short."""
    wanted: Counter[str] = Counter()
    for item in event["items"]:
        wanted[item["sku"]] += int(item["quantity"])
    stock, locked = store.stock_levels(list(wanted))
    if locked:
        raise logic.InventoryBusy(f"stock records locked by another process: {', '.join(locked)}")
    short = logic.shortfalls(dict(wanted), stock)
    if short:
        raise logic.OutOfStock("; ".join(short))
    return {"inStock": True}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def score_risk(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return {"risk": logic.risk_of(Decimal(event["total"]), event["customer"])}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def pack_item(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """One Map iteration: {orderId, item} -> a pick line."""
    item = event["item"]
    store.add_pick_line(event["orderId"], item["sku"], int(item["quantity"]))
    return {"sku": item["sku"], "packed": int(item["quantity"])}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def record_outcome(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """{orderId, status, error?} -> the order's final status, with the error and its cause when it failed."""
    status = event["status"]
    if status not in ("CONFIRMED", "FAILED", "HELD"):
        raise ValueError(f"unknown outcome {status!r}")
    detail: dict[str, str] = {}
    error = event.get("error")
    if isinstance(error, dict):
        detail["failure"] = str(error.get("Error", "unknown"))
        cause = error.get("Cause", "")
        try:  # a Lambda error's cause is its JSON error payload: keep the message
            cause = json.loads(cause).get("errorMessage", cause)
        except (ValueError, AttributeError):
            pass
        detail["reason"] = str(cause)
    store.record_outcome(event["orderId"], status, detail)
    logger.info("order decided", extra={"order_id": event["orderId"], "status": status, **detail})
    return {"orderId": event["orderId"], "status": status, **detail}
