"""The coordinator: S3 invokes it for each upload; it splits the object into byte ranges and starts a mapper
per range (asynchronously), after writing the job's manifest that the fan-in counts against."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import S3Event
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store
from .settings import chunk_bytes, mapper_function

logger = Logger()
tracer = Tracer()
metrics = Metrics()


def start(bucket: str, key: str, version: str | None, size: int) -> dict[str, Any]:
    job = logic.job_id(key, version)
    chunks = logic.chunks(size, chunk_bytes())
    source = {"bucket": bucket, "key": key, "versionId": version, "size": size}
    store.put_json(
        store.manifest_key(job), {"job": job, "source": source, "chunkBytes": chunk_bytes(), "mappers": len(chunks)}
    )
    if not chunks:  # an empty object: nothing to map, the result is known
        store.put_json(store.result_key(job), {"job": job, "source": source, "mappers": 0, **logic.merge([])})
    for chunk in chunks:
        store.invoke_async(
            mapper_function(),
            {"job": job, "source": source, "chunk": {"number": chunk.number, "start": chunk.start, "end": chunk.end}},
        )
    metrics.add_metric(name="MappersStarted", unit=MetricUnit.Count, value=len(chunks))
    logger.info("job started", extra={"job": job, "key": key, "size": size, "mappers": len(chunks)})
    return {"job": job, "mappers": len(chunks)}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    jobs = [
        start(
            record.s3.bucket.name,
            unquote_plus(record.s3.get_object.key),
            record.s3.get_object.version_id,
            int(record.s3.get_object.size or 0),
        )
        for record in S3Event(event).records
    ]
    return {"jobs": jobs}
