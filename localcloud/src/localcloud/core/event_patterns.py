"""Event pattern matching as EventBridge does it (AWS's event-ruler): one matcher for EventBridge rules and
TestEventPattern, SNS filter policies (attribute and body scope) and Lambda event source mapping filters.

A pattern is a JSON object whose leaves are lists of filters. An object pattern is matched against the event's
object at that key; where the event holds an array of objects there, one element must match the whole object
pattern (fields of different elements are never combined), except a pattern that only asks for absence, which
every element must satisfy. A leaf list matches when any of its filters matches any of the field's values (an
array contributes each element); all of an object's keys must match; `$or` at any level matches when any of
its patterns does. Values compare by JSON type (`true` is not `1`, `"5"` is not `5`), numbers by value (`300`
matches `300.0`), and a string that is an IP address equals the same address however written.

Filters: a value; `prefix` and `suffix` (a string, or `equals-ignore-case` of one); `equals-ignore-case` (each
character of the pattern as its lower or upper case); `wildcard` (`*`, with `\\*` and `\\\\` escaped);
`anything-but` (a value, a list of values, or `prefix` / `suffix` / `wildcard` / `equals-ignore-case` of one
or a list: a value that is not a string is never one of those, so it matches); `numeric` (up to two
comparisons, on numbers a double holds exactly); `exists` (true: a leaf value is there, null included; false:
none is); `cidr`.

`problem(pattern)` says why EventBridge refuses a pattern, in event-ruler's words (AWS's messages add the
parser's position); SNS keeps its own validation of filter policies. Not modelled: event-ruler also treats a
dotted key (`"a.b"`) as the nested path `a` > `b`, which its README says not to rely on.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

NUMERIC: dict[str, Callable[[float, float], bool]] = {
    "=": lambda a, b: a == b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
# Keys an `$or` branch may not use at any depth (event-ruler's Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP).
RESERVED_IN_OR = {
    "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard", "numeric", "cidr",
    "=", "<", "<=", ">", ">=",
}  # fmt: skip
_MISSING = object()

# -- matching ------------------------------------------------------------------------------------------------


def matches(pattern: dict[str, Any] | None, event: Any) -> bool:
    """Whether `event` (parsed JSON) matches `pattern`; an empty pattern matches everything."""
    if not pattern:
        return True
    return isinstance(event, dict) and _object_matches(pattern, event)


def _object_matches(pattern: dict[str, Any], node: dict[str, Any]) -> bool:
    for key, rule in pattern.items():
        if key == "$or":
            if not any(_object_matches(branch, node) for branch in rule):
                return False
            continue
        values = _flat(node.get(key, _MISSING))
        if isinstance(rule, dict):
            objects = [value for value in values if isinstance(value, dict)] or [{}]
            judge = all if _absence_only(rule) else any
            if not judge(_object_matches(rule, element) for element in objects):
                return False
        elif isinstance(rule, list):
            leaves = [value for value in values if not isinstance(value, dict)]
            if not any(_filter_matches(f, leaves) for f in rule):
                return False
        else:
            return False
    return True


def _flat(value: Any) -> list[Any]:
    if value is _MISSING:
        return []
    if not isinstance(value, list):
        return [value]
    found: list[Any] = []
    for element in value:
        found.extend(_flat(element))
    return found


def _absence_only(rule: dict[str, Any]) -> bool:
    """A pattern that only asks for fields to be absent."""
    for key, inner in rule.items():
        if key == "$or":
            return False
        if isinstance(inner, dict):
            if not _absence_only(inner):
                return False
        elif not (isinstance(inner, list) and inner and all(f == {"exists": False} for f in inner)):
            return False
    return True


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


def _exact_double(value: Any) -> bool:
    return isinstance(value, float) or (isinstance(value, int) and float(value) == value)


def _address(text: Any) -> Any:
    if not isinstance(text, str):
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _equal(value: Any, expected: Any) -> bool:
    if _kind(value) != _kind(expected):
        return False
    if value == expected:
        return True
    address = _address(expected)
    return address is not None and _address(value) == address


def _filter_matches(rule: Any, values: list[Any]) -> bool:
    if not isinstance(rule, dict):
        return any(_equal(value, rule) for value in values)
    if len(rule) != 1:
        return False
    ((operator, operand),) = rule.items()
    if operator == "exists":
        return bool(values) == bool(operand)
    test = _operator(operator, operand)
    return test is not None and any(test(value) for value in values)


def _strings(operand: Any) -> list[str]:
    return [operand] if isinstance(operand, str) else [o for o in operand if isinstance(o, str)]


def _ignore_case(text: str) -> str:
    """A regular expression for `text` in which each character may be its lower or upper case."""
    return "".join("(?:" + "|".join(sorted({re.escape(c.lower()), re.escape(c.upper())})) + ")" for c in text)


def _operator(operator: str, operand: Any) -> Callable[[Any], bool] | None:
    """A test of one value for a named filter; None for one the matcher does not know."""
    if operator in ("prefix", "suffix"):
        fold = isinstance(operand, dict)
        text = operand.get("equals-ignore-case") if fold else operand
        if not isinstance(text, str):
            return None
        body = _ignore_case(text) if fold else re.escape(text)
        expression = re.compile(body if operator == "prefix" else f"(?:{body})\\Z", re.DOTALL)
        if operator == "prefix":
            return lambda value: isinstance(value, str) and expression.match(value) is not None
        return lambda value: isinstance(value, str) and expression.search(value) is not None
    if operator == "equals-ignore-case":
        expressions = [re.compile(_ignore_case(text), re.DOTALL) for text in _strings(operand)]
        return lambda value: isinstance(value, str) and any(e.fullmatch(value) for e in expressions)
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
        return lambda value: (address := _address(value)) is not None and address in network
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


def _numeric(operand: Any) -> Callable[[Any], bool] | None:
    if not isinstance(operand, list) or len(operand) % 2:
        return None
    comparisons = list(zip(operand[::2], operand[1::2], strict=True))
    if any(op not in NUMERIC or _kind(bound) != "number" for op, bound in comparisons):
        return None
    return lambda value: (
        _kind(value) == "number"
        and _exact_double(value)
        and all(NUMERIC[op](value, bound) for op, bound in comparisons)
    )


def _anything_but(operand: Any) -> Callable[[Any], bool] | None:
    if isinstance(operand, dict):
        if len(operand) != 1:
            return None
        ((operator, inner),) = operand.items()
        if operator not in ("prefix", "suffix", "wildcard", "equals-ignore-case"):
            return None
        tests = [_operator(operator, text) for text in _strings(inner) if text]
        if any(test is None for test in tests):
            return None
        return lambda value: not any(test(value) for test in tests)  # type: ignore[misc]
    excluded = operand if isinstance(operand, list) else [operand]
    return lambda value: not any(_equal(value, e) for e in excluded)


# -- validation ----------------------------------------------------------------------------------------------


def problem(pattern: Any) -> str | None:
    """Why EventBridge refuses this (parsed) pattern, or None."""
    if not isinstance(pattern, dict):
        return "Filter is not an object"
    return _object_problem(pattern, in_or=False)


def _object_problem(pattern: dict[str, Any], in_or: bool) -> str | None:
    if not pattern:
        return "Empty objects are not allowed"
    for key, rule in pattern.items():
        if key == "$or":
            found = _or_problem(rule)
        elif in_or and key in RESERVED_IN_OR:
            found = f"{key} is Ruler reserved fieldName which cannot be used inside $or."
        elif isinstance(rule, dict):
            found = _object_problem(rule, in_or)
        elif isinstance(rule, list):
            found = _list_problem(rule)
        else:
            found = f'"{key}" must be an object or an array'
        if found:
            return found
    return None


def _or_problem(branches: Any) -> str | None:
    if not isinstance(branches, list):
        return "It must be an Array followed with $or."
    for branch in branches:
        if not isinstance(branch, dict):
            return "Only JSON object is allowed in array of $or relationship."
        found = _object_problem(branch, in_or=True)
        if found:
            return found
    return "There must have at least 2 Objects in $or relationship." if len(branches) < 2 else None


def _list_problem(rules: list[Any]) -> str | None:
    for rule in rules:
        if isinstance(rule, list):
            return "Match value must be String, number, true, false, or null"
        if isinstance(rule, dict):
            found = _expression_problem(rule)
            if found:
                return found
    return None if rules else "Empty arrays are not allowed"


def _expression_problem(rule: dict[str, Any]) -> str | None:
    if not rule:
        return "Match expression name not found"
    (operator, operand), *more = rule.items()
    if operator in ("numeric", "anything-but") and more:
        return "Too many elements in numeric expression"
    if more:
        return "Only one key allowed in match expression"
    if operator in ("prefix", "suffix"):
        return _affix_problem(operator, operand)
    if operator in ("equals-ignore-case", "exactly"):
        return None if isinstance(operand, str) else f"{operator} match pattern must be a string"
    if operator == "wildcard":
        return _wildcard_problem(operand)
    if operator == "cidr":
        return _cidr_problem(operand)
    if operator == "exists":
        return None if isinstance(operand, bool) else "exists match pattern must be either true or false."
    if operator == "numeric":
        return _numeric_problem(operand)
    if operator == "anything-but":
        return _anything_but_problem(operand)
    return f"Unrecognized match type {operator}"


def _affix_problem(operator: str, operand: Any) -> str | None:
    if isinstance(operand, str):
        return None
    if not isinstance(operand, dict):
        return f"{operator} match pattern must be a string"
    if not operand:
        return f"{operator.capitalize()} expression name not found"
    (inner, text), *more = operand.items()
    if inner != "equals-ignore-case":
        return f"Unsupported {operator} pattern: {inner}"
    if not isinstance(text, str):
        return "equals-ignore-case match pattern must be a string"
    return "Only one key allowed in match expression" if more else None


def _wildcard_problem(operand: Any) -> str | None:
    if not isinstance(operand, str):
        return "wildcard match pattern must be a string"
    position, previous_star, escaped = 1, False, False  # positions count UTF-8 bytes after the opening quote
    for char in operand:
        if escaped:
            if char not in "*\\":
                return f"Invalid escape character at pos {position - 1}"
            escaped, previous_star = False, False
        elif char == "\\":
            escaped = True
        elif char == "*":
            if previous_star:
                return f"Consecutive wildcard characters at pos {position - 1}"
            previous_star = True
        else:
            previous_star = False
        position += len(char.encode())
    return f"Invalid escape character at pos {position - 1}" if escaped else None


def _cidr_problem(operand: Any) -> str | None:
    if not isinstance(operand, str):
        return "prefix match pattern must be a string"
    if operand.count("/") != 1:
        return "Malformed CIDR, one '/' required"
    address, bits = operand.split("/")
    try:
        mask = int(bits)
    except ValueError:
        return "Malformed CIDR, mask bits must be an integer"
    if mask < 0:
        return "Malformed CIDR, mask bits must not be negative"
    parsed = _address(address)
    if parsed is None:
        return f"Invalid IP address: {address}"
    if parsed.version == 4 and mask >= 32:
        return "IPv4 mask bits must be < 32"
    if parsed.version == 6 and mask >= 128:
        return "IPv6 mask bits must be < 128"
    return None


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
    if not _exact_double(operand[1]):
        return f"Cannot compare number : {operand[1]}"
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
    if not _exact_double(operand[3]):
        return f"Cannot compare number : {operand[3]}"
    if len(operand) > 4:
        return "Too many terms in numeric range expression"
    return None if operand[1] < operand[3] else "Bottom must be less than top"


def _anything_but_problem(operand: Any) -> str | None:
    if isinstance(operand, dict):
        if not operand:
            return "Anything-But expression name not found"
        (operator, inner), *more = operand.items()
        if operator not in ("prefix", "suffix", "wildcard", "equals-ignore-case"):
            return f"Unsupported anything-but pattern: {operator}"
        if more:
            return "Only one key allowed in match expression"
        texts = inner if isinstance(inner, list) else [inner]
        if operator == "equals-ignore-case":
            if any(not isinstance(text, str) for text in texts):
                return "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
            return None
        if operator == "wildcard":
            return next((p for p in map(_wildcard_problem, texts) if p), None)
        if not isinstance(inner, (str, list)):
            return "Value of anything-but must be an array or single string/number value."
        if any(not isinstance(text, str) for text in texts):
            return "prefix/suffix match pattern must be a string"
        return "Null prefix/suffix not allowed" if any(text == "" for text in texts) else None
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
