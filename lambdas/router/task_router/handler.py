"""The router's functions, one handler each:

- `route`: The router, invoked asynchronously: hands each task to the function of its type (InvocationType=Event).
  A task of no known type, or malformed, raises: Lambda retries it, then records it, with the reason, in the router's dead-letter queue (its on-failure destination).
- `do_task`: A task function, invoked asynchronously by the router: does its type's work and records it once.
  The record is conditional on the task id: a task delivered twice is done once.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, settings, store

logger = Logger()
tracer = Tracer()
metrics = Metrics()


# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def route(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        task = logic.parse_task(event)
        target = logic.route(task, settings.routes())
    except logic.InvalidTask as exc:
        logger.warning("task refused", extra={"reason": str(exc)})
        metrics.add_metric(name="TasksRefused", unit=MetricUnit.Count, value=1)
        raise
    request_id = store.hand_to(target, task)
    logger.info("task routed", extra={"task_id": task.task_id, "task_type": task.task_type, "function": target})
    metrics.add_metric(name="TasksRouted", unit=MetricUnit.Count, value=1)
    return {"taskId": task.task_id, "taskType": task.task_type, "routedTo": target, "requestId": request_id}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def do_task(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    task = logic.parse_task(event)
    result, new = store.record_once(task, logic.work(task, settings.task_type()))
    metrics.add_metric(name="TasksDone" if new else "DuplicateTasksIgnored", unit=MetricUnit.Count, value=1)
    logger.info("task done" if new else "task already done", extra={"task_id": task.task_id})
    return {"taskId": task.task_id, "result": result}
