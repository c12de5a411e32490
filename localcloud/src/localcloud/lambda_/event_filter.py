"""Lambda event filtering: an event source mapping's `FilterCriteria`, applied to each record before batching.

A record is delivered when any of the mapping's filters matches it (EventBridge's pattern syntax, evaluated
by the local cloud's one matcher, core/event_patterns.py); a record no filter matches is dropped: Lambda deletes an SQS message and
moves a stream's checkpoint past it. What a pattern sees differs per source, as in AWS:
- SQS: the record, with `body` parsed when it holds JSON (otherwise the plain string);
- Kinesis: the fields of the record's `kinesis` object, with `data` decoded and parsed; data that is not
  JSON is absent, so a filter on `data` drops such a record;
- DynamoDB Streams: the record as the function receives it (`eventName`, `dynamodb.NewImage`, ...).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from moto.events.models import EventPattern

from localcloud.core import event_patterns

MAX_FILTERS = 5


class InvalidFilter(ValueError):
    """A filter Lambda refuses when the mapping is created or updated."""


def parse(criteria: dict[str, Any] | None) -> list[EventPattern]:
    """The patterns of a mapping's FilterCriteria; raises InvalidFilter with Lambda's message."""
    filters = (criteria or {}).get("Filters") or []
    if len(filters) > MAX_FILTERS:
        raise InvalidFilter(f"The number of filters ({len(filters)}) exceeds the limit of {MAX_FILTERS}.")
    patterns = []
    for entry in filters:
        try:
            pattern = EventPattern.load(entry.get("Pattern"))
        except Exception as error:
            raise InvalidFilter("Invalid filter pattern definition.") from error
        if not isinstance(pattern.get_pattern(), dict) or not pattern.get_pattern():
            raise InvalidFilter("Invalid filter pattern definition.")
        patterns.append(pattern)
    return patterns


def matches(patterns: list[EventPattern], view: dict[str, Any]) -> bool:
    """No filters deliver everything; otherwise any matching filter does."""
    return not patterns or any(event_patterns.matches(pattern.get_pattern(), view) for pattern in patterns)


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def sqs_view(record: dict[str, Any]) -> dict[str, Any]:
    body = _json_or_none(record["body"])
    return {**record, "body": body if isinstance(body, (dict, list)) else record["body"]}


def kinesis_view(record: dict[str, Any]) -> dict[str, Any]:
    view = {key: value for key, value in record["kinesis"].items() if key != "data"}
    try:
        data = _json_or_none(base64.b64decode(record["kinesis"]["data"]).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError):
        data = None
    if isinstance(data, dict):
        view["data"] = data
    return view


def dynamodb_view(record: dict[str, Any]) -> dict[str, Any]:
    return record
