"""Reads served cache-aside (HTTP API, Lambda proxy), writes that invalidate, and the stream consumer
keeping the most-viewed index."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from . import logic, settings, store

logger = Logger()
tracer = Tracer()
metrics = Metrics()
reads = APIGatewayHttpResolver()
writes = APIGatewayHttpResolver()
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=status, content_type=content_types.APPLICATION_JSON, body=json.dumps(body), headers=headers or {}
    )


@reads.exception_handler(logic.InvalidArticle)
@writes.exception_handler(logic.InvalidArticle)
def invalid(error: logic.InvalidArticle) -> Response[str]:
    return _json(400, {"message": str(error)})


@reads.exception_handler(store.DatabaseUnavailable)
@writes.exception_handler(store.DatabaseUnavailable)
def database_unavailable(error: store.DatabaseUnavailable) -> Response[str]:
    logger.error("database unavailable", extra={"error": str(error)})
    metrics.add_metric(name="DatabaseUnavailable", unit=MetricUnit.Count, value=1)
    return _json(503, {"message": "the database did not answer in time; try again"})


def _cached(key: str) -> str | None:
    try:
        return store.cache_get(key)
    except store.cache_errors() as error:  # a cache outage makes reads slower, not wrong
        logger.warning("cache read failed", extra={"key": key, "error": str(error)})
        metrics.add_metric(name="CacheErrors", unit=MetricUnit.Count, value=1)
        return None


@reads.get("/articles/<article_id>")
def get_article(article_id: str) -> Response[str]:
    key = logic.cache_key(logic.check_id(article_id))
    cached = _cached(key)
    if cached is not None:
        article, source = logic.decode(cached), "hit"
    else:
        found = store.fetch(article_id)
        if found is None:
            return _json(404, {"message": f"no article {article_id}"})
        article, source = found, "miss"
        try:
            store.cache_put(key, logic.encode(article))
        except store.cache_errors() as error:
            logger.warning("cache fill failed", extra={"key": key, "error": str(error)})
            metrics.add_metric(name="CacheErrors", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="CacheHits" if source == "hit" else "CacheMisses", unit=MetricUnit.Count, value=1)
    store.count_view(article_id)
    return _json(200, json.loads(logic.encode(article)), {"x-cache": source})


@reads.get("/reports/most-viewed")
def most_viewed() -> Response[str]:
    return _json(200, {"board": store.BOARD, "articles": store.top()})


@writes.put("/articles/<article_id>")
def put_article(article_id: str) -> Response[str]:
    try:
        body = json.loads(writes.current_event.body or "")
    except ValueError:
        body = None
    title, text, author = logic.parse_article(article_id, body)
    article = store.save(article_id, title, text, author)
    key = logic.cache_key(article_id)
    try:
        store.cache_forget(key)  # the next read fills it from the database
    except store.cache_errors() as error:  # the old entry then lives out its TTL: the bound on staleness
        logger.warning("cache invalidation failed", extra={"key": key, "error": str(error)})
        metrics.add_metric(name="CacheErrors", unit=MetricUnit.Count, value=1)
    return _json(200, json.loads(logic.encode(article)))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def reader(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return reads.resolve(event, context)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def writer(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return writes.resolve(event, context)


def rank(record: DynamoDBRecord) -> None:
    counted = logic.view_count_of(record.raw_event)
    if counted is not None:
        store.apply_counts({counted[0]: counted[1]}, settings.top_n())


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def ranker(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=rank, processor=processor, context=context)


@logger.inject_lambda_context
def migrate(event: dict[str, Any], context: LambdaContext) -> dict[str, list[Any]]:
    """Run by Terraform at apply (aws_lambda_invocation): the schema and the database users up to date."""
    done = store.migrate()
    logger.info("database migrated", extra=done)
    return done
