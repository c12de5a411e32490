"""A stream created with tags keeps them.

`CreateStream` takes `Tags` (the AWS provider sends a new stream's tags there); moto ignores them, so
`ListTagsForStream` answers none and every later plan wants to add them again. Here they are the stream's.
"""

from __future__ import annotations

from typing import Any


def install() -> None:
    from moto.kinesis.responses import KinesisResponse

    original = KinesisResponse.create_stream

    def create_stream(self: KinesisResponse) -> Any:
        answer = original(self)
        tags = self._get_param("Tags")
        if tags:
            self.kinesis_backend.add_tags_to_stream(
                stream_arn=None, stream_name=self._get_param("StreamName"), tags=tags
            )
        return answer

    KinesisResponse.create_stream = create_stream  # type: ignore[method-assign]
