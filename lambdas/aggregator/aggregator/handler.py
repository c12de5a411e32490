"""GET /customers/{customerId}/overview: the customer's parts from every downstream service, at once.

A partial answer is still 200 and names what is missing; only when no part arrived is it 502.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, settings, store

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayHttpResolver()


def _json(status: int, body: Any) -> Response[Any]:
    return Response(status_code=status, content_type="application/json", body=json.dumps(body))


@app.get("/customers/<customer_id>/overview")
def overview(customer_id: str) -> Response[Any]:
    if not logic.CUSTOMER_ID.match(customer_id):
        return _json(400, {"message": "a customer id is 1-64 letters, digits, '_' or '-'"})
    downstreams = settings.downstreams()
    answer = logic.aggregate(customer_id, downstreams, settings.call_timeout_ms(), store.fetch_json)
    for missing in answer["missing"]:
        logger.warning("part missing", extra={"part": missing["part"], "reason": missing["reason"]})
        metrics.add_metric(name="PartsMissing", unit=MetricUnit.Count, value=1)
    complete = len(answer["missing"]) < len(downstreams)
    return _json(200 if complete else 502, answer)


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
