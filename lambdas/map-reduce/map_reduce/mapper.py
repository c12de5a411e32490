"""A mapper, invoked asynchronously per byte range: counts the words that start in its range.

Its counts go to the work bucket; the mapper that finds every range's counts there starts the reducer.
A mapper that fails is retried by Lambda, then lands in the dead-letter queue: the job then has no
result, never one missing that range's words.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store
from .settings import reducer_function

logger = Logger()
tracer = Tracer()
metrics = Metrics()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
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
