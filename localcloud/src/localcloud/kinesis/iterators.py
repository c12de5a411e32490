"""A shard iterator asked for by stream ARN reads that stream.

`GetShardIterator` may name the stream by `StreamARN` instead of `StreamName` (newer SDKs and services do).
moto finds the stream by either, but writes the iterator with the name it was given, None, so the next
`GetRecords` answers `ResourceNotFoundException: Stream None ... not found`. Here the iterator carries the
stream's own name, whichever way it was named.
"""

from __future__ import annotations

from typing import Any


def install() -> None:
    from moto.kinesis.models import KinesisBackend

    original = KinesisBackend.get_shard_iterator

    def get_shard_iterator(
        self: KinesisBackend, stream_arn: str | None, stream_name: str | None, *args: Any, **kwargs: Any
    ) -> str:
        if not stream_name:
            stream_name = self.describe_stream(stream_arn=stream_arn, stream_name=None).stream_name
        return original(self, stream_arn, stream_name, *args, **kwargs)

    KinesisBackend.get_shard_iterator = get_shard_iterator  # type: ignore[method-assign]
