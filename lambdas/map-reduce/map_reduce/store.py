"""S3 and Lambda adapters; the clients are made once per cold start.

The work bucket holds each job's manifest (jobs/<job>/manifest.json), each mapper's
counts (jobs/<job>/map/00001.json) and the result (jobs/<job>/result.json): whether a
job is complete is read from those objects, never from timing.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import boto3

from .settings import work_bucket


@lru_cache(maxsize=1)
def _s3() -> Any:
    return boto3.client("s3")


@lru_cache(maxsize=1)
def _lambda() -> Any:
    return boto3.client("lambda")


def manifest_key(job: str) -> str:
    return f"jobs/{job}/manifest.json"


def map_key(job: str, number: int) -> str:
    return f"jobs/{job}/map/{number:05d}.json"


def result_key(job: str) -> str:
    return f"jobs/{job}/result.json"


def put_json(key: str, document: dict[str, Any]) -> None:
    _s3().put_object(Bucket=work_bucket(), Key=key, Body=json.dumps(document).encode(), ContentType="application/json")


def get_json(key: str) -> dict[str, Any]:
    return dict(json.loads(_s3().get_object(Bucket=work_bucket(), Key=key)["Body"].read()))


def map_outputs(job: str) -> list[str]:
    keys, token = [], None
    while True:
        extra: dict[str, str] = {"ContinuationToken": token} if token else {}
        answer = _s3().list_objects_v2(Bucket=work_bucket(), Prefix=f"jobs/{job}/map/", **extra)
        keys += [item["Key"] for item in answer.get("Contents", [])]
        token = answer.get("NextContinuationToken")
        if not token:
            return keys


def read_range(bucket: str, key: str, version: str | None, first: int, last: int) -> bytes:
    extra = {"VersionId": version} if version else {}
    return bytes(_s3().get_object(Bucket=bucket, Key=key, Range=f"bytes={first}-{last}", **extra)["Body"].read())


def invoke_async(function: str, event: dict[str, Any]) -> None:
    _lambda().invoke(FunctionName=function, InvocationType="Event", Payload=json.dumps(event).encode())
