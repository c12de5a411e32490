"""POST /orders (checkout) and the fulfilment queue's consumer (fulfil), each traced by Powertools' Tracer:
the stock call, the table and the topic are subsegments of the request's trace, annotated with the order."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from aws_xray_sdk.ext.httplib import add_ignored

from . import logic, store

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
# AWS calls (botocore) and plain HTTP calls (http.client: the stock service) are subsegments; boto's own
# HTTP(S) connections are left to the botocore patch, so an AWS call is not recorded twice.
add_ignored(subclass="botocore.awsrequest.AWSHTTPConnection")
add_ignored(subclass="botocore.awsrequest.AWSHTTPSConnection")
tracer = Tracer(patch_modules=["botocore", "httplib"])
metrics = Metrics()
app = APIGatewayRestResolver()
processor = BatchProcessor(event_type=EventType.SQS)


def _error(status: int, message: str) -> Response[Any]:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body={"message": message})


@app.exception_handler(logic.BadRequest)
def bad_request(exc: logic.BadRequest) -> Response[Any]:
    return _error(400, str(exc))


@app.exception_handler(logic.OutOfStock)
def out_of_stock(exc: logic.OutOfStock) -> Response[Any]:
    logger.info("order refused by the stock service", extra={"reason": str(exc)})
    return _error(409, str(exc))


@app.exception_handler(logic.StockUnavailable)
def stock_unavailable(exc: logic.StockUnavailable) -> Response[Any]:
    logger.warning("stock service unavailable", extra={"reason": str(exc)})
    metrics.add_metric(name="StockServiceFailures", unit=MetricUnit.Count, value=1)
    return _error(502, "the stock service is unavailable: try again later")


@app.post("/orders")
def place_order() -> Response[Any]:
    order = logic.parse_order(app.current_event.body)
    tracer.put_annotation("order_id", order.id)
    tracer.put_annotation("sku", order.sku)
    status, detail = store.ask_stock(order)
    logic.check_stock_answer(status, detail, order)
    store.put_new(order)
    try:
        store.publish(order)
    except Exception:
        # Nothing would fulfil it: the order is taken back, and the client told to try again.
        logger.exception("order not published: withdrawn", extra={"order_id": order.id})
        store.withdraw(order)
        return _error(502, "the order could not be placed: try again later")
    logger.info("order placed", extra={"order_id": order.id, "sku": order.sku, "quantity": order.quantity})
    metrics.add_metric(name="OrdersPlaced", unit=MetricUnit.Count, value=1)
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=order.to_answer())


# Responses stay out of the traces (capture_response=False): they carry the orders.
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def checkout(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)


def fulfil_record(record: SQSRecord) -> None:
    order_id = logic.fulfilled_order_id(record.body)
    # A subsegment per order, so each order of a batch is found by its annotation.
    with tracer.provider.in_subsegment("## fulfil order") as subsegment:
        subsegment.put_annotation("order_id", order_id)
        store.mark_fulfilled(order_id)
    logger.info("order fulfilled", extra={"order_id": order_id})
    metrics.add_metric(name="OrdersFulfilled", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def fulfil(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=fulfil_record, processor=processor, context=context)
