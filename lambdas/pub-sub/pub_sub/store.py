"""S3 reads and writes; the client is made once per cold start."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3

from . import settings
from .logic import Output, Upload


@lru_cache(maxsize=1)
def _s3() -> Any:
    return boto3.client("s3")


def read(upload: Upload) -> tuple[bytes, str]:
    """The uploaded version the notification names (a later overwrite does not change what we process)."""
    extra = {"VersionId": upload.version_id} if upload.version_id else {}
    answer = _s3().get_object(Bucket=upload.bucket, Key=upload.key, **extra)
    return answer["Body"].read(), answer.get("ContentType", "binary/octet-stream")


def write(output: Output) -> None:
    extra = {"ContentEncoding": output.content_encoding} if output.content_encoding else {}
    _s3().put_object(
        Bucket=settings.output_bucket(), Key=output.key, Body=output.body, ContentType=output.content_type, **extra
    )
