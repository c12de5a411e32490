"""The top-N index of most viewed articles: merging view counts from the stream, plain logic.

Counts in the stream are absolute (the counter's new value), so a replayed or late record can only
repeat or lower a count the index already has: the index keeps the highest count it saw per article,
and applying the same records twice gives the same index.
"""

from __future__ import annotations

from typing import Any


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
