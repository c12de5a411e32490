"""A task function, invoked asynchronously by the router: does its type's work and records it once.

The record is conditional on the task id: a task delivered twice is done once.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store
from .settings import task_settings

logger = Logger()
tracer = Tracer()
metrics = Metrics()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    task = logic.parse_task(event)
    result, new = store.record_once(task, logic.work(task, task_settings().task_type))
    metrics.add_metric(name="TasksDone" if new else "DuplicateTasksIgnored", unit=MetricUnit.Count, value=1)
    logger.info("task done" if new else "task already done", extra={"task_id": task.task_id})
    return {"taskId": task.task_id, "result": result}
