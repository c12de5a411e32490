"""Articles as the API takes and answers them, and how they are cached: plain logic, no AWS calls."""

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
