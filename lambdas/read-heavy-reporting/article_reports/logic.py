"""Articles, their cache entries and the most-viewed board's ranking: plain logic, no AWS calls.

The top-N index of most viewed articles: merging view counts from the stream, plain logic.

Counts in the stream are absolute (the counter's new value), so a replayed or late record can only
repeat or lower a count the index already has: the index keeps the highest count it saw per article,
and applying the same records twice gives the same index.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any

ARTICLE_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


class InvalidArticle(ValueError):
    """A request the API refuses, with the reason."""


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    body: str
    author: str
    version: int  # grows by one with every write
    updatedAt: str  # noqa: N815 - the API's field name


def check_id(article_id: str) -> str:
    if not ARTICLE_ID.match(article_id or ""):
        raise InvalidArticle("the article id must be 1-64 letters, digits or hyphens")
    return article_id


def parse_article(article_id: str, body: Any) -> tuple[str, str, str]:
    """Title, body and author of a write, or InvalidArticle saying what is wrong."""
    check_id(article_id)
    if not isinstance(body, dict):
        raise InvalidArticle("the body must be a JSON object with title, body and author")
    fields = {"title": 200, "body": 100_000, "author": 100}
    for name, limit in fields.items():
        value = body.get(name)
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise InvalidArticle(f"{name} must be 1-{limit} characters")
    unknown = sorted(set(body) - set(fields))
    if unknown:
        raise InvalidArticle(f"unknown fields: {', '.join(unknown)}")
    return body["title"].strip(), body["body"], body["author"].strip()


def cache_key(article_id: str) -> str:
    return f"article:{article_id}"


def encode(article: Article) -> str:
    return json.dumps(asdict(article), separators=(",", ":"))


def decode(cached: str) -> Article:
    return Article(**json.loads(cached))


class InvalidViewRecord(ValueError):
    """A stream record that is not a view counter (an item written around the reader): reported, retried,
    bisected out of its batch and recorded in the on-failure queue."""


def view_count_of(record: dict[str, Any]) -> tuple[str, int] | None:
    """(article id, views) of an INSERT/MODIFY of the counters table; None for a REMOVE (expired counters)."""
    if record.get("eventName") == "REMOVE":
        return None
    stream = record.get("dynamodb") or {}
    image = stream.get("NewImage") or {}
    article_id = (image.get("articleId") or {}).get("S")
    views = (image.get("views") or {}).get("N")
    if not article_id or views is None:
        raise InvalidViewRecord(f"not a view counter: keys {sorted(stream.get('Keys') or {})}")
    try:
        count = int(views)
    except ValueError:
        raise InvalidViewRecord(f"views of {article_id} is not a whole number: {views!r}") from None
    if count < 0:
        raise InvalidViewRecord(f"views of {article_id} is negative: {count}")
    return article_id, count


def merge(entries: list[dict[str, Any]], counts: dict[str, int], size: int) -> list[dict[str, Any]]:
    """The index after these counts: the `size` most viewed, most first, ties by id."""
    best = {str(entry["id"]): int(entry["views"]) for entry in entries}
    for article_id, views in counts.items():
        best[article_id] = max(views, best.get(article_id, 0))
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:size]
    return [{"id": article_id, "views": views} for article_id, views in ranked]
