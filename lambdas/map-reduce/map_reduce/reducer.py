"""The reducer: merges every range's counts into the job's result, when (and only when) all are there."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, store

logger = Logger()
tracer = Tracer()
metrics = Metrics()


class Incomplete(RuntimeError):
    """Started before every range was mapped: no partial result is ever written."""


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    job = event["job"]
    manifest = store.get_json(store.manifest_key(job))
    keys = store.map_outputs(job)
    if len(keys) != int(manifest["mappers"]):
        raise Incomplete(f"job {job}: {len(keys)} of {manifest['mappers']} ranges mapped")
    result = logic.merge([store.get_json(key) for key in keys])
    store.put_json(store.result_key(job), {"job": job, "source": manifest["source"], "mappers": len(keys), **result})
    metrics.add_metric(name="JobsReduced", unit=MetricUnit.Count, value=1)
    logger.info("job reduced", extra={"job": job, "words": result["words"], "mappers": len(keys)})
    return {"job": job, "words": result["words"], "mappers": len(keys)}
