"""The map-reduce functions, one handler each:

- `coordinate`: The coordinator: S3 invokes it for each upload; it splits the object into byte ranges and starts a mapper per range (asynchronously), after writing the job's manifest that the fan-in counts against.
- `map_range`: A mapper, invoked asynchronously per byte range: counts the words that start in its range.
  Its counts go to the work bucket; the mapper that finds every range's counts there starts the reducer. A mapper that fails is retried by Lambda, then lands in the dead-letter queue: the job then has no result, never one missing that range's words.
- `reduce`: The reducer: merges every range's counts into the job's result, when (and only when) all are there.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import S3Event
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store
from .settings import chunk_bytes, mapper_function, reducer_function

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
def coordinate(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
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


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def map_range(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    job, source, raw = event["job"], event["source"], event["chunk"]
    chunk = logic.Chunk(int(raw["number"]), int(raw["start"]), int(raw["end"]))
    first, last = logic.read_range(chunk, int(source["size"]))
    data = store.read_range(source["bucket"], source["key"], source.get("versionId"), first, last)
    counts = logic.count(data, chunk, first, int(source["size"]))
    store.put_json(store.map_key(job, chunk.number), {"chunk": raw, "counts": dict(counts)})
    metrics.add_metric(name="ChunksMapped", unit=MetricUnit.Count, value=1)
    mapped = len(store.map_outputs(job))
    expected = int(store.get_json(store.manifest_key(job))["mappers"])
    if mapped == expected:  # the last range in: two mappers finishing together both start it, harmlessly
        store.invoke_async(reducer_function(), {"job": job})
    return {"job": job, "chunk": chunk.number, "words": sum(counts.values()), "mapped": mapped, "of": expected}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def reduce(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    job = event["job"]
    manifest = store.get_json(store.manifest_key(job))
    keys = store.map_outputs(job)
    if len(keys) != int(manifest["mappers"]):
        raise logic.Incomplete(f"job {job}: {len(keys)} of {manifest['mappers']} ranges mapped")
    result = logic.merge([store.get_json(key) for key in keys])
    store.put_json(store.result_key(job), {"job": job, "source": manifest["source"], "mappers": len(keys), **result})
    metrics.add_metric(name="JobsReduced", unit=MetricUnit.Count, value=1)
    logger.info("job reduced", extra={"job": job, "words": result["words"], "mappers": len(keys)})
    return {"job": job, "words": result["words"], "mappers": len(keys)}
