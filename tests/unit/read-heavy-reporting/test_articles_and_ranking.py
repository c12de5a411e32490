"""P24: what the API accepts as an article, how it is cached, and how view counts make the board."""

from __future__ import annotations

import json

import pytest

from sample_events import http_api_event

pytestmark = pytest.mark.unit


def view_record(article_id: str, views: str | None, kind: str = "MODIFY") -> dict:
    image = {"articleId": {"S": article_id}}
    if views is not None:
        image["views"] = {"N": views}
    return {"eventName": kind, "dynamodb": {"Keys": {"articleId": {"S": article_id}}, "NewImage": image}}


def test_an_article_round_trips_through_the_cache_unchanged():
    from article_reports import logic as articles

    article = articles.Article("a-1", "Title", "Body", "Grace", 3, "2026-11-30T00:00:00+00:00")
    assert articles.decode(articles.encode(article)) == article
    assert articles.cache_key("a-1") == "article:a-1"


@pytest.mark.parametrize(
    "article_id, body, reason",
    [
        ("a 1", {"title": "t", "body": "b", "author": "a"}, "article id"),
        ("a-1", ["not", "an", "object"], "JSON object"),
        ("a-1", {"title": " ", "body": "b", "author": "a"}, "title"),
        ("a-1", {"title": "t", "body": "b"}, "author"),
        ("a-1", {"title": "t" * 201, "body": "b", "author": "a"}, "title"),
        ("a-1", {"title": "t", "body": "b", "author": "a", "version": 9}, "unknown fields: version"),
    ],
)
def test_an_invalid_article_is_refused_with_the_reason(article_id, body, reason):
    from article_reports import logic as articles

    with pytest.raises(articles.InvalidArticle, match=reason):
        articles.parse_article(article_id, body)


def test_a_valid_article_is_trimmed_but_its_body_is_kept_as_written():
    from article_reports import logic as articles

    assert articles.parse_article("a-1", {"title": " T ", "body": " b\n", "author": " G "}) == ("T", " b\n", "G")


def test_the_board_keeps_the_most_viewed_first_and_ties_by_id():
    from article_reports import logic as ranking

    board = ranking.merge([], {"b": 5, "a": 5, "c": 9, "d": 1}, size=3)
    assert board == [{"id": "c", "views": 9}, {"id": "a", "views": 5}, {"id": "b", "views": 5}]


def test_a_replayed_or_late_count_never_lowers_the_board():
    from article_reports import logic as ranking

    board = [{"id": "a", "views": 10}, {"id": "b", "views": 4}]
    assert ranking.merge(board, {"a": 3}, size=2) == board
    assert ranking.merge(ranking.merge(board, {"b": 11}, size=2), {"b": 11}, size=2) == [
        {"id": "b", "views": 11},
        {"id": "a", "views": 10},
    ]


def test_an_article_below_the_cut_comes_back_when_its_count_passes_it():
    from article_reports import logic as ranking

    board = [{"id": "a", "views": 10}, {"id": "b", "views": 4}]
    assert ranking.merge(board, {"c": 2}, size=2) == board
    assert ranking.merge(board, {"c": 7}, size=2) == [{"id": "a", "views": 10}, {"id": "c", "views": 7}]


def test_a_view_record_gives_its_count_and_a_removal_gives_nothing():
    from article_reports import logic as ranking

    assert ranking.view_count_of(view_record("a-1", "42")) == ("a-1", 42)
    assert ranking.view_count_of(view_record("a-1", "42", kind="REMOVE")) is None


@pytest.mark.parametrize(
    "record",
    [
        view_record("a-1", None),
        view_record("a-1", "1.5"),
        view_record("a-1", "-1"),
        {"eventName": "INSERT", "dynamodb": {"Keys": {}}},
    ],
)
def test_a_record_written_around_the_reader_is_refused(record):
    from article_reports import logic as ranking

    with pytest.raises(ranking.InvalidViewRecord):
        ranking.view_count_of(record)


class Board:
    """A DynamoDB client holding the board item; another ranker writes first `conflicts` times."""

    class exceptions:  # noqa: N801 - boto3's shape
        class ConditionalCheckFailedException(Exception):
            pass

    def __init__(self, conflicts: int) -> None:
        self.item: dict | None = None
        self.conflicts = conflicts
        self.puts = 0

    def get_item(self, **_: object) -> dict:
        return {"Item": self.item} if self.item else {}

    def put_item(self, Item: dict, ExpressionAttributeValues: dict, **_: object) -> None:  # noqa: N803
        self.puts += 1
        if self.conflicts:
            self.conflicts -= 1
            rival = [{"id": "rival", "views": 100}]
            version = int(self.item["version"]["N"]) + 1 if self.item else 1
            self.item = {"entries": {"S": json.dumps(rival)}, "version": {"N": str(version)}}
            raise self.exceptions.ConditionalCheckFailedException()
        seen = int(ExpressionAttributeValues[":seen"]["N"])
        assert seen == (int(self.item["version"]["N"]) if self.item else 0)
        self.item = Item


def test_a_concurrent_board_write_is_read_again_and_merged_not_overwritten(monkeypatch):
    from article_reports import store as views

    client = Board(conflicts=1)
    monkeypatch.setenv("INDEX_TABLE", "board")
    monkeypatch.setattr(views, "_dynamodb", lambda: client)
    assert views.apply_counts({"a": 5}, size=3) == [{"id": "rival", "views": 100}, {"id": "a", "views": 5}]
    assert client.puts == 2 and client.item["version"] == {"N": "2"}


def test_a_board_that_keeps_changing_fails_the_record_for_a_retry(monkeypatch):
    from article_reports import store as views

    client = Board(conflicts=views.WRITE_ATTEMPTS)
    monkeypatch.setenv("INDEX_TABLE", "board")
    monkeypatch.setattr(views, "_dynamodb", lambda: client)
    with pytest.raises(RuntimeError, match="kept changing"):
        views.apply_counts({"a": 5}, size=3)


@pytest.fixture
def reader(monkeypatch):
    """The reader with a database holding one article, a cache that is down, and counted views."""
    import redis
    from article_reports import handler, logic, store

    queries, counted = [], []

    def fetch(article_id: str):
        queries.append(article_id)
        return logic.Article(article_id, "T", "B", "G", 1, "2026-11-30T00:00:00+00:00")

    def down(*_: object) -> None:
        raise redis.exceptions.ConnectionError("Timeout connecting to server")

    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "tests")
    monkeypatch.setattr(store, "fetch", fetch)
    monkeypatch.setattr(store, "cache_get", down)
    monkeypatch.setattr(store, "cache_put", down)
    monkeypatch.setattr(store, "count_view", counted.append)
    return handler, queries, counted


def test_a_cache_outage_makes_reads_slower_not_wrong(reader):
    from sample_events import lambda_context

    handlers, queries, counted = reader
    answer = handlers.reader(http_api_event("GET", "/articles/a-1"), lambda_context("reader"))
    assert answer["statusCode"] == 200 and json.loads(answer["body"])["id"] == "a-1"
    assert answer["headers"]["x-cache"] == "miss" and queries == ["a-1"] and counted == ["a-1"]
