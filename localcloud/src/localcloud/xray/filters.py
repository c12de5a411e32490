"""X-Ray filter expressions (GetTraceSummaries, groups) over assembled traces.

Understood: `ok`, `error`, `fault`, `throttle` (optionally `= true|false`); `responsetime` and `duration`
with `= != < <= > >=`; `http.status`, `http.url`, `http.method`, `http.useragent`, `http.clientip`;
`annotation.KEY` (string, number or boolean); string operators `CONTAINS`, `BEGINSWITH`, `ENDSWITH`;
`service("name")`, `service(id(name: "n", type: "T"))` and `id(...)`, each optionally followed by
`{ keyword... }` naming what that service must show; `!`, `AND`, `OR`, parentheses. Any other keyword is
refused as X-Ray refuses an expression it cannot parse; `edge()`, `group.*`, `rootcause.*`, `json` are
valid in X-Ray but refused here as not emulated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from localcloud.core.not_emulated import NotEmulated
from localcloud.xray import graph

TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<number>-?\d+(?:\.\d+)?)|(?P<op><=|>=|!=|=|<|>|!|\(|\)|\{|\}|,|:)'
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_.\-]*))"
)
NOT_EMULATED = ("edge", "group", "rootcause", "json", "annotation[", "partial", "inferred")
BOOLEAN = ("ok", "error", "fault", "throttle")

Predicate = Callable[["TraceView", dict[str, Any] | None], bool]


class InvalidFilter(ValueError):
    """X-Ray's InvalidRequestException for an expression it cannot parse."""


class TraceView:
    """What a filter reads from one trace: its segments and every subsegment, flattened."""

    def __init__(self, segments: list[dict[str, Any]]) -> None:
        self.segments = segments
        self.entities: list[dict[str, Any]] = []
        for segment in segments:
            self._walk(segment)
        known = {entity["id"] for entity in self.entities}
        # The entry segment: its parent, if any, sent no segment (a client passing a header).
        self.root = next((s for s in segments if s.get("parent_id") not in known), segments[0] if segments else {})

    def _walk(self, entity: dict[str, Any]) -> None:
        self.entities.append(entity)
        for sub in entity.get("subsegments") or []:
            self._walk(sub)

    def annotations(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for entity in self.entities:
            found.update(entity.get("annotations") or {})
        return found


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise InvalidFilter(
                f"Invalid filter expression: unexpected input at position {position}: {text[position:]!r}"
            )
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def _compare(op: str, left: Any, right: Any) -> bool:
    if left is None:
        return False
    if isinstance(right, str) and op.upper() in ("CONTAINS", "BEGINSWITH", "ENDSWITH"):
        text = str(left)
        return {"CONTAINS": right in text, "BEGINSWITH": text.startswith(right), "ENDSWITH": text.endswith(right)}[
            op.upper()
        ]
    try:
        if isinstance(right, float) and not isinstance(left, bool):
            left = float(left)
    except (TypeError, ValueError):
        return False
    return {
        "=": left == right,
        "!=": left != right,
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
    }[op]


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1].lower() != value.lower()):
            raise InvalidFilter(f"Invalid filter expression: expected {value or 'more'} at token {self.at + 1}")
        self.at += 1
        return token

    def parse(self) -> Predicate:
        predicate = self.expression()
        if self.peek() is not None:
            raise InvalidFilter(f"Invalid filter expression: unexpected {self.peek()[1]!r}")  # type: ignore[index]
        return predicate

    def expression(self) -> Predicate:
        left = self.conjunction()
        while self.peek() and self.peek()[1].lower() == "or":  # type: ignore[index]
            self.take()
            right, prior = self.conjunction(), left
            left = lambda t, s, a=prior, b=right: a(t, s) or b(t, s)  # noqa: E731
        return left

    def conjunction(self) -> Predicate:
        left = self.unary()
        while self.peek() and self.peek()[1].lower() == "and":  # type: ignore[index]
            self.take()
            right, prior = self.unary(), left
            left = lambda t, s, a=prior, b=right: a(t, s) and b(t, s)  # noqa: E731
        return left

    def unary(self) -> Predicate:
        token = self.peek()
        if token and token[1] == "!":
            self.take()
            inner = self.unary()
            return lambda t, s: not inner(t, s)
        if token and token[1] == "(":
            self.take()
            inner = self.expression()
            self.take(")")
            return inner
        return self.predicate()

    def value(self) -> Any:
        kind, text = self.take()
        if kind == "string":
            return text[1:-1].replace('\\"', '"')
        if kind == "number":
            return float(text)
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise InvalidFilter(f"Invalid filter expression: {text!r} is not a value")

    def operator(self) -> str | None:
        token = self.peek()
        if token and (token[0] == "op" and token[1] in ("=", "!=", "<", "<=", ">", ">=")):
            return self.take()[1]
        if token and token[0] == "word" and token[1].upper() in ("CONTAINS", "BEGINSWITH", "ENDSWITH"):
            return self.take()[1].upper()
        return None

    def predicate(self) -> Predicate:
        kind, word = self.take()
        lowered = word.lower()
        if kind != "word":
            raise InvalidFilter(f"Invalid filter expression: unexpected {word!r}")
        if lowered.startswith(NOT_EMULATED):
            raise NotEmulated("xray", f"GetTraceSummaries with the filter keyword {word}")
        if lowered in ("service", "id"):
            return self.service(lowered)
        op = self.operator()
        if lowered in BOOLEAN:
            expected = True
            if op is not None:
                expected = bool(self.value())
            return lambda t, s, w=lowered, e=expected: (_has(t, s, w)) == e
        if op is None:
            raise InvalidFilter(f"Invalid filter expression: {word!r} needs an operator and a value")
        right = self.value()
        if lowered in ("responsetime", "duration"):
            return lambda t, s, w=lowered: _compare(op, _time(t, s, w), right)
        if lowered.startswith("http."):
            field = lowered.split(".", 1)[1]
            if field not in ("status", "url", "method", "useragent", "clientip"):
                raise InvalidFilter(f"Invalid filter expression: unknown keyword {word!r}")
            return lambda t, s: _compare(op, _http(t, s, field), right)
        if lowered.startswith("annotation."):
            key = word.split(".", 1)[1]
            return lambda t, s: _compare(op, t.annotations().get(key), right)
        raise InvalidFilter(f"Invalid filter expression: unknown keyword {word!r}")

    def service(self, keyword: str) -> Predicate:
        name, kind = None, None
        self.take("(")
        token = self.peek()
        if token and token[1].lower() == "id":
            self.take()
            self.take("(")
            while self.peek() and self.peek()[1] != ")":  # type: ignore[index]
                field = self.take()[1].lower()
                self.take(":")
                value = self.value()
                if field == "name":
                    name = value
                elif field == "type":
                    kind = value
                if self.peek() and self.peek()[1] == ",":  # type: ignore[index]
                    self.take()
            self.take(")")
        elif token and token[0] == "string":
            name = self.value()
        self.take(")")
        inner: Predicate | None = None
        if self.peek() and self.peek()[1] == "{":  # type: ignore[index]
            self.take()
            inner = self.expression()
            self.take("}")

        def matches(t: TraceView, scope: dict[str, Any] | None) -> bool:
            for segment in t.segments:
                if name is not None and segment.get("name") != name:
                    continue
                if kind is not None and (segment.get("origin") or "") != kind:
                    continue
                if inner is None or inner(t, segment):
                    return True
            return False

        return matches


def _has(t: TraceView, scope: dict[str, Any] | None, word: str) -> bool:
    entities = [scope] if scope is not None else t.segments
    if word == "ok":
        return all(graph.outcome(e) == "ok" for e in entities)
    return any(graph.outcome(e) == word for e in entities)


def _time(t: TraceView, scope: dict[str, Any] | None, word: str) -> float:
    if word == "duration" and scope is None:
        return max(float(s.get("end_time", s["start_time"])) for s in t.segments) - min(
            float(s["start_time"]) for s in t.segments
        )
    entity = scope if scope is not None else t.root
    return float(entity.get("end_time", entity["start_time"])) - float(entity["start_time"])


def _http(t: TraceView, scope: dict[str, Any] | None, field: str) -> Any:
    http = (scope if scope is not None else t.root).get("http") or {}
    if field == "status":
        status = (http.get("response") or {}).get("status")
        return float(status) if isinstance(status, int) else None
    key = {"url": "url", "method": "method", "useragent": "user_agent", "clientip": "client_ip"}[field]
    return (http.get("request") or {}).get(key)


def compile_filter(text: str | None) -> Predicate | None:
    """A predicate over a trace, None for no filter; InvalidFilter or NotEmulated for what is refused."""
    if text is None or not text.strip():
        return None
    return _Parser(text).parse()
