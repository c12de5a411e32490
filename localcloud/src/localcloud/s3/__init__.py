"""S3: notifications validated and sent as S3 sends them; bucket policies read with their conditions."""

from __future__ import annotations

from localcloud.extension import Context, Extension, Feature


def install(context: Context) -> None:
    from localcloud.s3 import buckets, eventbridge

    buckets.install()
    eventbridge.install()


EXTENSION = Extension(
    service="s3",
    summary="notifications validated and shaped as S3 sends them; bucket policy conditions",
    install=install,
    features=(
        Feature(
            title="S3 events as S3 sends them:",
            does=(
                "records carry the object's `versionId` (versioned buckets), a `sequencer` ordering a key's events, "
                "`userIdentity`, `requestParameters` and `responseElements`. **S3 notification destinations validated**: "
                "a topic, queue or Lambda destination must exist and its policy (a function's AddPermission statements) "
                "admit `s3.amazonaws.com` from this bucket (`aws:SourceArn`, `aws:SourceAccount`), or "
                "`PutBucketNotificationConfiguration` fails with `InvalidArgument: Unable to validate the following "
                "destination configurations`, as in AWS."
            ),
            moto_without="any destination accepted; a missing policy shows only in AWS",
            code=("s3/buckets.py",),
            tests=("localcloud/s3/test_s3.py",),
        ),
        Feature(
            title="S3 events on EventBridge as S3 sends them.",
            does=(
                "With EventBridge notifications on, each change goes to the default bus of the bucket's account and "
                "region (no other bus) as S3's event: a new `id`, the change's `time`, the object's `size`, `etag`, "
                "`version-id` (versioned buckets) and `sequencer`, a `request-id`, the `requester`, the `reason` "
                "(`PutObject`, `POST Object`, `CopyObject`, `CompleteMultipartUpload`, `DeleteObject`) and the "
                "`deletion-type`; rules' targets get it through their input transformers. A delete in a versioned bucket "
                "reports the delete marker it created (`s3:ObjectRemoved:DeleteMarkerCreated`, to every destination)."
            ),
            moto_without=(
                "one canned event (fixed request id, sequencer and IP, `reason: ObjectCreated`, `eTag`) sent to the "
                "rules of every bus, input transformers skipped"
            ),
            code=("s3/eventbridge.py",),
            tests=("localcloud/s3/test_s3.py",),
        ),
        Feature(
            title="S3 bucket policies are read with their conditions.",
            does=(
                "The local endpoint counts as TLS (`aws:SecureTransport` true, as for AWS's HTTPS endpoint; SNS policies "
                "see the same). Statements naming specific principals do not match (the caller is not known there)."
            ),
            moto_without="conditions ignored: a TLS-only bucket policy denies every object request",
            code=("s3/buckets.py", "core/authorization.py"),
            tests=("localcloud/s3/test_s3.py",),
        ),
        Feature(
            title="A bucket's `favicon.ico` is an object.",
            does=(
                "Read on the bucket's own host (`<bucket>.s3.amazonaws.com`, as CloudFront and browsers read it), "
                "`/favicon.ico` is the bucket's key, so a site's icon is served."
            ),
            moto_without="moto's server answers `/favicon.ico` itself on every host: a 404 page",
            code=("s3/buckets.py",),
            tests=("localcloud/cloudfront/test_edge.py",),
        ),
        Feature(
            title="S3 -> Lambda",
            does=(
                "goes through the async path; object keys in every S3 notification are URL-encoded as S3 does it (`in/red"
                " flower.jpg` -> `in/red+flower.jpg`)."
            ),
            moto_without="synchronous, errors swallowed, `/` encoded as `%2F`",
            code=("lambda_/invoke.py", "s3/buckets.py"),
            tests=("localcloud/lambda_/test_event_shapes.py",),
        ),
    ),
)
