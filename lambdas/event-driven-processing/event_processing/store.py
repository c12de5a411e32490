"""S3 reads and writes; the client is made once per cold start."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import boto3

from . import settings
from .logic import Unreadable, Upload


@lru_cache(maxsize=1)
def _s3() -> Any:
    return boto3.client("s3")


def read(upload: Upload) -> bytes:
    """The version the notification names (a later overwrite does not change what this event processes)."""
    limit = settings.max_bytes()
    if upload.size > limit:
        raise Unreadable(f"{upload.size} bytes, more than the {limit} this function reads")
    extra = {"VersionId": upload.version_id} if upload.version_id else {}
    return bytes(_s3().get_object(Bucket=upload.bucket, Key=upload.key, **extra)["Body"].read())


def write_json(key: str, document: dict[str, Any]) -> None:
    _s3().put_object(
        Bucket=settings.output_bucket(),
        Key=key,
        Body=json.dumps(document, indent=2).encode(),
        ContentType="application/json",
    )
