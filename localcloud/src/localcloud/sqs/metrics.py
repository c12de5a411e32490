"""SQS's CloudWatch metrics, sampled as SQS samples them (every minute in AWS; `LOCALCLOUD_SQS_METRICS_S`
here): per queue, the messages visible and in flight and the age of the oldest one (core/metrics.py), so an
alarm on a queue's backlog or its oldest message fires when consumers stop."""

from __future__ import annotations

import time

from localcloud.core import metrics


def sample_all() -> int:
    """Publish every queue's sample now; how many queues were sampled."""
    from moto.sqs.models import sqs_backends

    now_ms = time.time() * 1000
    sampled = 0
    for account, regions in list(sqs_backends.items()):
        for region, backend in list(regions.items()):
            for queue in list(backend.queues.values()):
                sent = [m.sent_timestamp for m in list(queue._messages) if m.sent_timestamp]
                oldest_s = (now_ms - min(sent)) / 1000 if sent else 0.0
                metrics.queue_sampled(
                    account,
                    region,
                    queue.name,
                    queue.approximate_number_of_messages,
                    queue.approximate_number_of_messages_not_visible,
                    max(0.0, oldest_s),
                )
                sampled += 1
    return sampled
