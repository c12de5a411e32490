"""Firehose: delivery streams that buffer, transform and deliver to S3 as their role."""

from __future__ import annotations

from localcloud.extension import Context, Extension, Feature


def install(context: Context) -> None:
    from localcloud.firehose import streams

    scheduler = streams.install(context.endpoint, context.async_retry_delay_s)
    context.on_stop(scheduler.shutdown)


EXTENSION = Extension(
    service="firehose",
    summary="delivery streams buffer, transform with Lambda and write to S3 as their role",
    install=install,
    features=(
        Feature(
            title="Firehose delivers as AWS delivers.",
            does=(
                "For S3 destinations: records wait for the buffering hints (size or interval, whichever first; the "
                "Lambda processor's own buffer before it); the processor is invoked as the stream's role with "
                "Firehose's event, `Ok` records delivered, `Dropped` ones counted, `ProcessingFailed` ones and whole "
                "batches whose invocation failed after `NumberOfRetries` written under the error output prefix with "
                "Firehose's error record (`Lambda.ProcessingFailedStatus`, `Lambda.FunctionError`, "
                "`Lambda.MissingRecordId` ...); objects named as Firehose names them (`Prefix` expressions, the "
                "default `yyyy/MM/dd/HH/`, `<stream>-<version>-<time>-<uuid>`), GZIP with `.gz`; each write as the "
                "role (S3, KMS and bucket policies checked), a refused one retried in order for 24 hours and logged "
                "to the stream's log stream; a Kinesis source read as its role from the stream's creation "
                "(`KinesisMillisBehindLatest` each minute); `PutRecordBatch`'s limits and the prefix rules refused "
                "with Firehose's errors; `AWS/Firehose` metrics. Dynamic partitioning, format conversion, "
                "Snappy/ZIP and non-S3 destinations (but HTTP) are refused at PutRecord as not emulated."
            ),
            moto_without=(
                "one object per put at once, as moto itself: no buffering, no transform (the processor is never "
                "invoked), no compression, no role, no error output; a Kinesis source delivers nothing"
            ),
            code=("firehose/streams.py", "firehose/delivery.py", "firehose/prefixes.py", "firehose/kinesis_source.py"),
            tests=("localcloud/firehose/test_firehose.py",),
        ),
    ),
)
