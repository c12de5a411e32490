"""The router, invoked asynchronously: hands each task to the function of its type (InvocationType=Event).

A task of no known type, or malformed, raises: Lambda retries it, then records it,
with the reason, in the router's dead-letter queue (its on-failure destination).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store
from .settings import routes

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        task = logic.parse_task(event)
        target = logic.route(task, routes())
    except logic.InvalidTask as exc:
        logger.warning("task refused", extra={"reason": str(exc)})
        metrics.add_metric(name="TasksRefused", unit=MetricUnit.Count, value=1)
        raise
    request_id = store.hand_to(target, task)
    logger.info("task routed", extra={"task_id": task.task_id, "task_type": task.task_type, "function": target})
    metrics.add_metric(name="TasksRouted", unit=MetricUnit.Count, value=1)
    return {"taskId": task.task_id, "taskType": task.task_type, "routedTo": target, "requestId": request_id}
