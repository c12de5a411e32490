"""SNS: topic policies enforced, deliveries checked, counted and dead-lettered."""

from __future__ import annotations

from localcloud.extension import Context, Extension, Feature


def install(context: Context) -> None:
    from localcloud.sns import topics

    topics.install()  # after Lambda's: wraps its SNS -> Lambda delivery


EXTENSION = Extension(
    service="sns",
    summary="topic policies, checked deliveries, metrics, redrive",
    install=install,
    features=(
        Feature(
            title="SNS as AWS runs it.",
            does=(
                "`Publish`, `PublishBatch` and `Subscribe` evaluate the topic policy for the caller (the identity of the "
                "access key; an assumed role counts as its role): an explicit Deny refuses with `AuthorizationError`, and"
                " a caller from another account needs an Allow, after which it reaches the topic in the owner's account. "
                "An SQS subscription is delivered only when the queue policy lets `sns.amazonaws.com` `sqs:SendMessage` "
                "(with `aws:SourceArn`), a Lambda subscription only when the function's permission (AddPermission) admits"
                " `sns.amazonaws.com` from the topic. A failed delivery (queue or function gone, queue policy refusing) "
                "goes to the subscription's `RedrivePolicy` dead-letter queue (which needs the same queue policy), else "
                "it is dropped; `Publish` succeeds either way. `RawMessageDelivery=false` means the JSON envelope. "
                "`AWS/SNS` metrics per topic: `NumberOfMessagesPublished`, and per subscription "
                "`NumberOfNotificationsDelivered`, `...FilteredOut`, `...Failed`, `...RedrivenToDlq`. Policies are "
                "evaluated by `policy.py` (principals, actions, resources, String/Arn/Bool/Null conditions, `IfExists`)."
            ),
            moto_without=(
                "anyone publishes; another account's topic cannot be reached; queues receive without a policy; a missing "
                'queue fails `Publish`; `"false"` read as raw; no metrics'
            ),
            code=("sns/topics.py", "sqs/service_delivery.py", "core/policy.py"),
            tests=("localcloud/sns/test_sns.py", "localcloud/core/test_policy.py"),
        ),
        Feature(
            title="SNS -> Lambda",
            does=(
                "goes through the async path with the real record: the topic ARN, subscription ARN, message id, publish "
                "time and message attributes (filter policies still apply)."
            ),
            moto_without="synchronous, `TopicArn` `arn:aws:sns:EXAMPLE`, 1970 timestamp, fake attributes",
            code=("lambda_/invoke.py",),
            tests=("localcloud/lambda_/test_event_shapes.py",),
        ),
    ),
)
