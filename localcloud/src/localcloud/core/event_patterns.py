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
`cidr` (IPv4 or IPv6). Numbers compare by value (`300` matches `300.0`), as AWS's event-ruler compares them.

`problem(pattern)` says why EventBridge refuses a pattern, in event-ruler's words (AWS's messages add the
parser's position); SNS keeps its own validation of filter policies.
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


def problem(pattern: Any) -> str | None:
    """Why EventBridge refuses this (parsed) pattern, or None."""
    if not isinstance(pattern, dict):
        return "Filter is not an object"
    return _object_problem(pattern)


def _object_problem(pattern: dict[str, Any]) -> str | None:
    if not pattern:
        return "Empty objects are not allowed"
    for key, rule in pattern.items():
        if key == "$or":
            if not isinstance(rule, list):
                return "It must be an Array followed with $or."
            if any(not isinstance(branch, dict) for branch in rule):
                return "Only JSON object is allowed in array of $or relationship."
            if len(rule) < 2:
                return "There must have at least 2 Objects in $or relationship."
            found = next((p for p in map(_object_problem, rule) if p), None)
        elif isinstance(rule, dict):
            found = _object_problem(rule)
        elif isinstance(rule, list):
            found = _list_problem(rule)
        else:
            found = f'"{key}" must be an object or an array'
        if found:
            return found
    return None


def _list_problem(rules: list[Any]) -> str | None:
    if not rules:
        return "Empty arrays are not allowed"
    for rule in rules:
        if isinstance(rule, list):
            return "Match value must be String, number, true, false, or null"
        if isinstance(rule, dict):
            found = _expression_problem(rule)
            if found:
                return found
    return None


def _expression_problem(rule: dict[str, Any]) -> str | None:
    if not rule:
        return "Match expression name not found"
    if len(rule) > 1:
        return "Only one key allowed in match expression"
    ((operator, operand),) = rule.items()
    if operator in ("prefix", "suffix"):
        text = operand.get("equals-ignore-case") if isinstance(operand, dict) and len(operand) == 1 else operand
        return None if isinstance(text, str) else f"{operator} match pattern must be a string"
    if operator in ("equals-ignore-case", "wildcard"):
        return None if isinstance(operand, str) else f"{operator} match pattern must be a string"
    if operator == "cidr":
        if not isinstance(operand, str):
            return "prefix match pattern must be a string"
        try:
            ipaddress.ip_network(operand, strict=False)
        except ValueError:
            return f"Malformed CIDR: {operand}"
        return None
    if operator == "exists":
        return None if isinstance(operand, bool) else "exists match pattern must be either true or false."
    if operator == "numeric":
        return _numeric_problem(operand)
    if operator == "anything-but":
        return _anything_but_problem(operand)
    return f"Unrecognized match type {operator}"


def _numeric_problem(operand: Any) -> str | None:
    if not isinstance(operand, list):
        return "Value of numeric must be an array."
    if not operand or not isinstance(operand[0], str):
        return f"Invalid member in numeric match: {operand[0] if operand else ']'}"
    first = operand[0]
    if first not in NUMERIC:
        return f"Unrecognized numeric range operator: {first}"
    if len(operand) < 2 or _kind(operand[1]) != "number":
        return f"Value of {'equals' if first == '=' else first} must be numeric"
    if len(operand) == 2:
        return None
    if first not in (">", ">="):
        return "Too many elements in numeric expression"
    second = operand[2]
    if not isinstance(second, str):
        return f"Bad value in numeric range: {second}"
    if second not in ("<", "<="):
        return f"Bad numeric range operator: {second}"
    if len(operand) < 4 or _kind(operand[3]) != "number":
        return f"Value of {second} must be numeric"
    return "Too many terms in numeric range expression" if len(operand) > 4 else None


def _anything_but_problem(operand: Any) -> str | None:
    if isinstance(operand, dict):
        if len(operand) != 1:
            return (
                "Anything-But expression name not found" if not operand else "Only one key allowed in match expression"
            )
        ((operator, inner),) = operand.items()
        if operator not in ("prefix", "suffix", "wildcard", "equals-ignore-case"):
            return f"Unsupported anything-but pattern: {operator}"
        texts = inner if isinstance(inner, list) else [inner]
        if not texts or any(not isinstance(text, str) for text in texts):
            return "prefix/suffix match pattern must be a string"
        if operator in ("prefix", "suffix") and any(text == "" for text in texts):
            return "Null prefix/suffix not allowed"
        return None
    if isinstance(operand, list):
        kinds = {_kind(value) for value in operand}
        if kinds - {"string", "number"}:
            return "Inside anything but list, start|null|boolean is not supported."
        if len(kinds) != 1:
            return "Inside anything but list, either all values are number or string, mixed type is not supported"
        return None
    if _kind(operand) in ("string", "number"):
        return None
    return "Value of anything-but must be an array or single string/number value."


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
