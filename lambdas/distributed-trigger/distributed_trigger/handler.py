"""EventBridge -> this function (asynchronous: retries, then the DLQ) -> the service's SNS topic."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, settings, store

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
tracer = Tracer()
metrics = Metrics()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_source(data_class=EventBridgeEvent)
def handler(event: EventBridgeEvent, context: LambdaContext) -> dict[str, str]:
    notification = logic.notification_from(event.raw_event, settings.service())
    message_id = store.publish(notification)
    logger.info(
        "notified", extra={"event_id": notification.event_id, "type": notification.event_type, "message_id": message_id}
    )
    metrics.add_metric(name="NotificationsPublished", unit=MetricUnit.Count, value=1)
    return {"eventId": notification.event_id, "messageId": message_id}
