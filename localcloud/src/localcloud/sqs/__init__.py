"""SQS: attributes as the provider reads them, and the message store as SQS keeps it."""

from __future__ import annotations

import json
import os
from typing import Any

from localcloud.extension import Context, Endpoint, Extension, Feature


def install(context: Context) -> None:
    from localcloud.core.scheduler import Periodic
    from localcloud.sqs import attributes, messages, metrics

    attributes.install()
    messages.install()
    # SQS samples every minute: LOCALCLOUD_SQS_METRICS_S here.
    interval_s = float(os.environ.get("LOCALCLOUD_SQS_METRICS_S", "60"))
    context.on_stop(Periodic(interval_s, metrics.sample_all, "sqs-metrics").stop)


def expire_deduplication(request: Any, context: Context) -> Any:
    """Forget a FIFO queue's deduplication ids now instead of five minutes after each send."""
    from werkzeug.wrappers import Response

    from localcloud.sqs.messages import expire_deduplication as expire

    try:
        queue_url = json.loads(request.get_data() or b"{}")["QueueUrl"]
        answer, status = {"forgotten": expire(queue_url)}, 200
    except (KeyError, ValueError) as exc:
        answer, status = {"message": f'expected {{"QueueUrl": <an existing FIFO queue>}}: {exc}'}, 400
    return Response(json.dumps(answer), status=status, content_type="application/json")


def sample_metrics(request: Any, context: Context) -> Any:
    """Take SQS's per-queue metric sample now instead of at the next interval."""
    from werkzeug.wrappers import Response

    from localcloud.sqs.metrics import sample_all

    return Response(json.dumps({"sampled": sample_all()}), status=200, content_type="application/json")


EXTENSION = Extension(
    service="sqs",
    summary="attribute read-back; sends only enqueue; FIFO deduplication for five minutes",
    install=install,
    endpoints=(
        Endpoint(
            "POST",
            "/_localcloud/sqs/expire-deduplication",
            '`{"QueueUrl"}` makes a FIFO queue forget its deduplication ids, as SQS does five minutes after '
            "each send, for tests of a producer retrying after the window",
            expire_deduplication,
        ),
        Endpoint(
            "POST",
            "/_localcloud/sqs/sample-metrics",
            "samples every queue's `AWS/SQS` metrics now (visible, in flight, age of the oldest message) instead "
            "of at the next `LOCALCLOUD_SQS_METRICS_S` interval, for tests of backlog alarms",
            sample_metrics,
        ),
    ),
    features=(
        Feature(
            title="SQS attributes:",
            does=(
                "`RedrivePolicy` returned as compact JSON; `RedriveAllowPolicy` returned; `SetQueueAttributes` without "
                "`Policy` keeps the queue policy; message counts read the clock once per count, not once per message."
            ),
            moto_without=(
                "permanent whitespace diff; `aws_sqs_queue_redrive_allow_policy` hangs; a separate `aws_sqs_queue_policy`"
                " is wiped; every `SendMessage` slowed by ~20 µs per queued message (28 ms at 1,000 queued)"
            ),
            code=("sqs/attributes.py",),
            tests=("localcloud/test_provider_compat.py", "integration/test_provider_compat_apply.py"),
        ),
        Feature(
            title="SQS FIFO delivery:",
            does=(
                "a message group is held back only while one of its messages is in flight, and a group whose batch "
                "comes back (visibility timeout passed) is delivered again from its first message; receives from a "
                "queue are answered one at a time; duplicates dropped for five minutes after the first send, consumed "
                "or not (per queue or per group); a growing `SequenceNumber`."
            ),
            moto_without=(
                "a returning group's last message delivered first (a consumer applied the group out of order), "
                "duplicates compared only with messages still queued, no sequence number"
            ),
            code=("sqs/messages.py",),
            tests=("localcloud/lambda_/test_sqs_poller.py",),
        ),
    ),
)
