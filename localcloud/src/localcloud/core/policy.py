"""IAM policy documents evaluated as AWS does for one request: explicit Deny wins, then Allow.

One evaluator for everything the local cloud enforces: identity policies of
roles (inline, attached, AWS managed), permissions boundaries, resource
policies (topics, queues, buckets, functions, event buses, keys, role trust
policies) and API Gateway authorizer answers.

Supported: Principal `*`, `{"AWS": ...}` (account ids, `:root`, role, user and
assumed-role ARNs; `{"AWS": "*"}` names AWS services too, as in IAM) and
`{"Service": ...}`; NotPrincipal; Action/NotAction and Resource/NotResource
with `*` and `?`; policy variables (`${aws:username}`, `${aws:PrincipalTag/x}`,
`${key, 'default'}`, `${*}` `${?}` `${$}`); every condition operator family
(String, Numeric, Date, Bool, Binary, IpAddress, Arn, Null) with `...IfExists`
and the `ForAnyValue:`/`ForAllValues:` set operators. A key missing from the
request matches no positive operator, matches every negated one
(`StringNot...`, `ArnNot...`, `NumericNotEquals`, `DateNotEquals`,
`NotIpAddress`) and every `...IfExists` and `ForAllValues:` one, as AWS documents.
"""

from __future__ import annotations

import base64
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal

Effect = Literal["Allow", "Deny"]


@dataclass(frozen=True)
class Caller:
    """Who makes the request: an IAM principal ARN, or an AWS service principal such as s3.amazonaws.com."""

    arn: str | None = None
    service: str | None = None
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def account(self) -> str | None:
        if self.arn and self.arn.count(":") >= 5:
            return self.arn.split(":")[4]
        return None

    @property
    def global_keys(self) -> dict[str, Any]:
        """The global condition keys AWS sets for every caller (a service caller has no aws:PrincipalArn)."""
        if self.service:
            return {
                "aws:PrincipalIsAWSService": "true",
                "aws:PrincipalServiceName": self.service,
                "aws:CurrentTime": _now_iso(),
            }
        keys: dict[str, Any] = {"aws:PrincipalIsAWSService": "false", "aws:CurrentTime": _now_iso()}
        if self.arn:
            keys["aws:PrincipalArn"] = self.principal_arn
            keys["aws:PrincipalAccount"] = self.account
            if ":user/" in self.arn:
                keys["aws:username"] = self.arn.rsplit("/", 1)[1]
        return keys

    @property
    def principal_arn(self) -> str | None:
        """An assumed-role session is its role, for policies (aws:PrincipalArn)."""
        if self.arn and ":assumed-role/" in self.arn:
            prefix = self.arn.split(":assumed-role/", 1)[0].replace(":sts:", ":iam:")
            role = self.arn.split(":assumed-role/", 1)[1].split("/")[0]
            return f"{prefix}:role/{role}"
        return self.arn


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    return listed(document.get("Statement", []))


@lru_cache(maxsize=4096)
def _wildcard(pattern: str, case_sensitive: bool) -> re.Pattern[str]:
    # IAM wildcards: * any run of characters, ? one character; nothing else is special.
    regex = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
    return re.compile(regex, flags=re.DOTALL | (0 if case_sensitive else re.IGNORECASE))


def wildcard_match(pattern: str, value: str, *, case_sensitive: bool = True) -> bool:
    return _wildcard(pattern, case_sensitive).fullmatch(value) is not None


# -- policy variables -----------------------------------------------------------------------

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


class _Unresolved(Exception):
    """A policy variable with no value in the request and no default: the element does not match."""


def substitute(text: str, context: dict[str, Any]) -> str:
    """Replace `${key}` by the request's value (keys are case-insensitive); raise _Unresolved when missing."""
    if "${" not in text:
        return text
    lowered = {k.lower(): v for k, v in context.items()}

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        if inner in _ESCAPES:
            return _ESCAPES[inner]
        key, _, default = inner.partition(",")
        value = lowered.get(key.strip().lower())
        if isinstance(value, list):
            value = value[0] if len(value) == 1 else None
        if value is None:
            default = default.strip()
            if len(default) >= 2 and default[0] == default[-1] == "'":
                return default[1:-1]
            raise _Unresolved(key)
        return str(value)

    return _VARIABLE.sub(replace, text)


def _wildcards_to_regex(text: str) -> str:
    return re.escape(text).replace(r"\*", ".*").replace(r"\?", ".")


def pattern_match(pattern: str, value: str, context: dict[str, Any], *, case_sensitive: bool = True) -> bool:
    """A wildcard pattern whose policy variables take the request's values, as literal text (so `${*}` is
    an asterisk, not a wildcard). Raises _Unresolved for a variable with no value and no default."""
    if "${" not in pattern:
        return wildcard_match(pattern, value, case_sensitive=case_sensitive)
    regex, position = [], 0
    for match in _VARIABLE.finditer(pattern):
        regex.append(_wildcards_to_regex(pattern[position : match.start()]))
        regex.append(re.escape(substitute(match.group(0), context)))
        position = match.end()
    regex.append(_wildcards_to_regex(pattern[position:]))
    flags = re.DOTALL | (0 if case_sensitive else re.IGNORECASE)
    return re.fullmatch("".join(regex), value, flags) is not None


def _matches_any(patterns: list[Any], value: str, context: dict[str, Any], *, case_sensitive: bool = True) -> bool:
    for pattern in patterns:
        try:
            if pattern_match(str(pattern), value, context, case_sensitive=case_sensitive):
                return True
        except _Unresolved:
            continue
    return False


# -- principals -----------------------------------------------------------------------------


def _principal_matches(principal: Any, caller: Caller) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    if caller.service:
        # {"AWS": "*"} names every principal, AWS services included, as in IAM.
        return caller.service in listed(principal.get("Service")) or "*" in listed(principal.get("AWS"))
    for named in listed(principal.get("AWS")):
        if named == "*":
            return True
        if re.fullmatch(r"\d{12}", named) or named.endswith(":root"):
            named_account = named if named.isdigit() else named.split(":")[4]
            if named_account == caller.account:
                return True
        elif named in (caller.arn, caller.principal_arn):
            return True
    return False


def names_principal_directly(principal: Any, caller: Caller) -> bool:
    """The principal element names this caller itself (its role, session or user ARN, or its service),
    not merely its account: what KMS key policies and role trust policies need to grant without IAM."""
    if not isinstance(principal, dict) and principal != "*":
        return False
    if principal == "*":
        return True
    if caller.service:
        return caller.service in listed(principal.get("Service"))
    return any(named == "*" or named in (caller.arn, caller.principal_arn) for named in listed(principal.get("AWS")))


# -- conditions -----------------------------------------------------------------------------


def _number(text: str) -> float:
    return float(text)


def _date(text: str) -> float:
    text = str(text).strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", text):  # epoch seconds, as AWS accepts
        return float(text)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def _compare(
    convert: Callable[[str], float], check: Callable[[float, float], bool]
) -> Callable[[str, list[str]], bool]:
    def test(value: str, wanted: list[str]) -> bool:
        try:
            have = convert(value)
        except (ValueError, TypeError):
            return False
        for expected in wanted:
            try:
                if check(have, convert(expected)):
                    return True
            except (ValueError, TypeError):
                continue
        return False

    return test


def _in_network(value: str, wanted: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return False
    for network in wanted:
        try:
            if address in ipaddress.ip_network(network.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def _binary_equals(value: str, wanted: list[str]) -> bool:
    def raw(text: str) -> bytes:
        try:
            return base64.b64decode(text, validate=True)
        except ValueError:
            return text.encode()

    return raw(value) in [raw(w) for w in wanted]


_OPERATORS: dict[str, Callable[[str, list[str]], bool]] = {
    "StringEquals": lambda v, w: v in w,
    "StringNotEquals": lambda v, w: v not in w,
    "StringEqualsIgnoreCase": lambda v, w: v.lower() in [x.lower() for x in w],
    "StringNotEqualsIgnoreCase": lambda v, w: v.lower() not in [x.lower() for x in w],
    "StringLike": lambda v, w: any(wildcard_match(p, v) for p in w),
    "StringNotLike": lambda v, w: not any(wildcard_match(p, v) for p in w),
    "ArnEquals": lambda v, w: any(wildcard_match(p, v) for p in w),
    "ArnLike": lambda v, w: any(wildcard_match(p, v) for p in w),
    "ArnNotEquals": lambda v, w: not any(wildcard_match(p, v) for p in w),
    "ArnNotLike": lambda v, w: not any(wildcard_match(p, v) for p in w),
    "Bool": lambda v, w: v.lower() in [x.lower() for x in w],
    "NumericEquals": _compare(_number, lambda a, b: a == b),
    "NumericNotEquals": lambda v, w: not _compare(_number, lambda a, b: a == b)(v, w),
    "NumericLessThan": _compare(_number, lambda a, b: a < b),
    "NumericLessThanEquals": _compare(_number, lambda a, b: a <= b),
    "NumericGreaterThan": _compare(_number, lambda a, b: a > b),
    "NumericGreaterThanEquals": _compare(_number, lambda a, b: a >= b),
    "DateEquals": _compare(_date, lambda a, b: a == b),
    "DateNotEquals": lambda v, w: not _compare(_date, lambda a, b: a == b)(v, w),
    "DateLessThan": _compare(_date, lambda a, b: a < b),
    "DateLessThanEquals": _compare(_date, lambda a, b: a <= b),
    "DateGreaterThan": _compare(_date, lambda a, b: a > b),
    "DateGreaterThanEquals": _compare(_date, lambda a, b: a >= b),
    "BinaryEquals": _binary_equals,
    "IpAddress": _in_network,
    "NotIpAddress": lambda v, w: not _in_network(v, w),
}
_NEGATED = {
    "StringNotEquals",
    "StringNotEqualsIgnoreCase",
    "StringNotLike",
    "ArnNotEquals",
    "ArnNotLike",
    "NumericNotEquals",
    "DateNotEquals",
    "NotIpAddress",
}
# Operators whose values may carry policy variables.
_SUBSTITUTED = ("String", "Arn")
_LIKE = {"StringLike", "StringNotLike", "ArnLike", "ArnNotLike", "ArnEquals", "ArnNotEquals"}


def _literal_for_like(text: str, context: dict[str, Any]) -> str:
    """Substitute variables so that wildcard characters in their values match only themselves."""
    parts, position = [], 0
    for match in _VARIABLE.finditer(text):
        parts.append(text[position : match.start()])
        # `?` matches any one character, including a literal * or ? in the value: close enough to exact.
        parts.append(substitute(match.group(0), context).replace("*", "?"))
        position = match.end()
    parts.append(text[position:])
    return "".join(parts)


def _condition_holds(operator: str, conditions: dict[str, Any], context: dict[str, Any]) -> bool:
    base, if_exists = (operator[:-8], True) if operator.endswith("IfExists") else (operator, False)
    quantifier, _, base = base.rpartition(":")
    lowered = {k.lower(): v for k, v in context.items()}
    for key, expected in conditions.items():
        present = key.lower() in lowered and lowered[key.lower()] not in (None, [])
        if base == "Null":
            if (str(listed(expected)[0]).lower() == "true") == present:
                return False
            continue
        test = _OPERATORS.get(base)
        if test is None:
            print(f"policy: condition operator {operator} is not supported; the statement does not apply", flush=True)
            return False
        if not present:
            if if_exists or base in _NEGATED or quantifier == "ForAllValues":
                continue
            return False
        values = [str(v).lower() if isinstance(v, bool) else str(v) for v in listed(lowered[key.lower()])]
        wanted: list[str] = []
        for item in listed(expected):
            text = str(item).lower() if isinstance(item, bool) else str(item)
            if base.startswith(_SUBSTITUTED) and "${" in text:
                try:
                    # Like operators keep wildcards around a variable's value: escape the value itself.
                    text = _literal_for_like(text, context) if base in _LIKE else substitute(text, context)
                except _Unresolved:
                    continue
            wanted.append(text)
        if quantifier == "ForAllValues":
            ok = all(test(value, wanted) for value in values)
        else:
            ok = any(test(value, wanted) for value in values)
        if not ok:
            return False
    return True


# -- statements -----------------------------------------------------------------------------


def _context(caller: Caller | None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    context = {**caller.global_keys, **caller.context} if caller else {}
    if extra:
        context.update(extra)
    return context


def _applies(
    statement: dict[str, Any], action: str, resource: str, caller: Caller | None, context: dict[str, Any]
) -> bool:
    if "Action" in statement:
        if not any(wildcard_match(a, action, case_sensitive=False) for a in listed(statement["Action"])):
            return False
    elif "NotAction" in statement:
        if any(wildcard_match(a, action, case_sensitive=False) for a in listed(statement["NotAction"])):
            return False
    if "Resource" in statement:
        if not _matches_any(listed(statement["Resource"]), resource, context):
            return False
    elif "NotResource" in statement and _matches_any(listed(statement["NotResource"]), resource, context):
        return False
    if caller is not None:
        if "Principal" in statement and not _principal_matches(statement["Principal"], caller):
            return False
        if "NotPrincipal" in statement and _principal_matches(statement["NotPrincipal"], caller):
            return False
    return all(_condition_holds(op, conds, context) for op, conds in (statement.get("Condition") or {}).items())


def matching(
    document: dict[str, Any],
    action: str,
    resource: str,
    caller: Caller | None = None,
    context: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The statements of `document` that apply to this request."""
    full = _context(caller, context)
    return [s for s in statements(document) if _applies(s, action, resource, caller, full)]


def evaluate(
    document: dict[str, Any],
    action: str,
    resource: str,
    caller: Caller | None = None,
    context: dict[str, Any] | None = None,
) -> Effect | None:
    """ "Deny" if a statement denies, else "Allow" if one allows, else None (no statement applies)."""
    decision: Effect | None = None
    for statement in matching(document, action, resource, caller, context):
        if statement.get("Effect") == "Deny":
            return "Deny"
        if statement.get("Effect") == "Allow":
            decision = "Allow"
    return decision
