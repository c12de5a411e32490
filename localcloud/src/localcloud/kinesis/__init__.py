"""Kinesis Data Streams: what moto gets wrong in reading a stream (writes and pollers are in lambda_/mappings)."""

from __future__ import annotations

from localcloud.extension import Context, Extension, Feature


def install(context: Context) -> None:
    from localcloud.kinesis import iterators, tags

    iterators.install()
    tags.install()


EXTENSION = Extension(
    service="kinesis",
    summary="shard iterators by stream ARN, tags given at creation",
    install=install,
    features=(
        Feature(
            title="Shard iterators by stream ARN:",
            does="`GetShardIterator` with `StreamARN` (no `StreamName`) gives an iterator `GetRecords` reads.",
            moto_without="the iterator names a stream `None`: `GetRecords` answers `ResourceNotFoundException`",
            code=("kinesis/iterators.py",),
            tests=("localcloud/kinesis/test_kinesis.py",),
        ),
        Feature(
            title="A stream keeps the tags it was created with:",
            does="`CreateStream`'s `Tags` are the stream's (`ListTagsForStream`), so a second plan is empty.",
            moto_without="the tags are dropped: every plan after the first wants to add them again",
            code=("kinesis/tags.py",),
            tests=("localcloud/kinesis/test_kinesis.py",),
        ),
    ),
)
