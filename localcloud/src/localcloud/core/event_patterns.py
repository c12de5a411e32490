"""Event pattern matching as EventBridge does it: one matcher for EventBridge rules and TestEventPattern,
SNS filter policies (attribute and body scope) and Lambda event source mapping filters.

A pattern is a JSON object whose leaves are lists of filters. A field's values are found by walking the event
along the pattern's keys (nested keys, never dotted names); an array on the way contributes each of its
elements, so a pattern reaches into arrays of objects, and a leaf array matches when any element does. A leaf
list matches when any of its filters matches any of the field's values; all of an object's keys must match;
`$or` at any level matches when any of its patterns does. Values compare by JSON type (`true` is not `1`, `"5"`
is not `5`).

Filters: a value (string, number, boolean, null); `prefix` and `suffix` (a string, or `equals-ignore-case` of
one); `equals-ignore-case`; `wildcard` (`*`, with `\\*` and `\\\\` escaped); `anything-but` (a value, a list of
values, or `prefix` / `suffix` / `wildcard` / `equals-ignore-case` of one or a list); `numeric` (up to two
comparisons, `=` `<` `<=` `>` `>=`); `exists` (true: a leaf value is there, null included; false: none is);
`cidr` (IPv4 or IPv6). Validation (which patterns are refused, and the words) stays with each service.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

NUMERIC = {
    "=": lambda a, b: a == b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def matches(pattern: dict[str, Any] | None, event: Any) -> bool:
    """Whether `event` (parsed JSON) matches `pattern`; an empty pattern matches everything."""
    return not pattern or _object_matches(pattern, [event])


def _object_matches(pattern: dict[str, Any], nodes: list[Any]) -> bool:
    for key, rule in pattern.items():
        if key == "$or":
            if not any(_object_matches(branch, nodes) for branch in rule):
                return False
            continue
        children = _children(nodes, key)
        if isinstance(rule, dict):
            if not _object_matches(rule, [child for child in children if isinstance(child, dict)]):
                return False
        elif isinstance(rule, list):
            leaves = [child for child in children if not isinstance(child, dict)]
            if not any(_filter_matches(f, leaves) for f in rule):
                return False
        else:
            return False
    return True


def _children(nodes: list[Any], key: str) -> list[Any]:
    """The values under `key` in each node, arrays (nested ones too) contributing their elements."""
    found: list[Any] = []
    for node in nodes:
        if isinstance(node, dict) and key in node:
            _flatten(node[key], found)
    return found


def _flatten(value: Any, into: list[Any]) -> None:
    if isinstance(value, list):
        for element in value:
            _flatten(element, into)
    else:
        into.append(value)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "other"


def _equal(value: Any, expected: Any) -> bool:
    return _kind(value) == _kind(expected) and value == expected


def _filter_matches(rule: Any, values: list[Any]) -> bool:
    if not isinstance(rule, dict):
        return any(_equal(value, rule) for value in values)
    if not rule:
        return False
    (operator, operand), *more = rule.items()
    if more:
        return False
    if operator == "exists":
        return bool(values) == bool(operand)
    test = _operator(operator, operand)
    return test is not None and any(test(value) for value in values)


def _strings(operand: Any) -> list[str]:
    return [operand] if isinstance(operand, str) else [o for o in operand if isinstance(o, str)]


def _operator(operator: str, operand: Any) -> Any:
    """A test of one value for a named filter; None for one the matcher does not know."""
    if operator in ("prefix", "suffix"):
        fold = isinstance(operand, dict)
        text = operand.get("equals-ignore-case", "") if fold else operand
        if not isinstance(text, str):
            return None
        wanted = text.lower() if fold else text

        def affix(value: Any) -> bool:
            if not isinstance(value, str):
                return False
            value = value.lower() if fold else value
            return value.startswith(wanted) if operator == "prefix" else value.endswith(wanted)

        return affix
    if operator == "equals-ignore-case":
        wanted = {text.lower() for text in _strings(operand)}
        return lambda value: isinstance(value, str) and value.lower() in wanted
    if operator == "wildcard":
        expressions = [_wildcard(text) for text in _strings(operand)]
        return lambda value: isinstance(value, str) and any(e.fullmatch(value) for e in expressions)
    if operator == "numeric":
        return _numeric(operand)
    if operator == "cidr":
        try:
            network = ipaddress.ip_network(operand, strict=False)
        except ValueError:
            return None
        return lambda value: _in_network(value, network)
    if operator == "anything-but":
        return _anything_but(operand)
    return None


def _wildcard(text: str) -> re.Pattern[str]:
    parts, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            parts.append(re.escape(text[i + 1]))
            i += 2
            continue
        parts.append(".*" if char == "*" else re.escape(char))
        i += 1
    return re.compile("".join(parts), re.DOTALL)


def _numeric(operand: Any) -> Any:
    if not isinstance(operand, list) or len(operand) % 2:
        return None
    comparisons = list(zip(operand[::2], operand[1::2], strict=True))
    if any(op not in NUMERIC or _kind(bound) != "number" for op, bound in comparisons):
        return None
    return lambda value: _kind(value) == "number" and all(NUMERIC[op](value, bound) for op, bound in comparisons)


def _in_network(value: Any, network: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return ipaddress.ip_address(value) in network
    except ValueError:
        return False


def _anything_but(operand: Any) -> Any:
    if isinstance(operand, dict):
        (operator, inner), *more = operand.items() if operand else ((None, None),)
        if more or operator not in ("prefix", "suffix", "wildcard", "equals-ignore-case"):
            return None
        tests = [_operator(operator, text) for text in _strings(inner)]
        if any(test is None for test in tests) or not tests:
            return None
        return lambda value: isinstance(value, str) and not any(test(value) for test in tests)
    excluded = operand if isinstance(operand, list) else [operand]
    return lambda value: not any(_equal(value, e) for e in excluded)
