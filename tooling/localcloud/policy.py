"""IAM policy documents evaluated as AWS does for one request: explicit Deny wins, then Allow.

Used where the local cloud enforces a policy: API Gateway authorizer answers
(identity policies, no Principal) and resource policies such as SNS topic
policies (Principal and Condition). Supported: Principal `*`, `{"AWS": ...}`
(account ids, `:root`, role, user and assumed-role ARNs; `{"AWS": "*"}` names
AWS services too, as in IAM) and `{"Service": ...}`; the global keys
`aws:PrincipalIsAWSService` and `aws:PrincipalServiceName` of every caller;
NotPrincipal; Action/NotAction and Resource/NotResource with `*` and `?`;
the String*, Arn*, Bool and Null condition operators, `...IfExists` and
`ForAnyValue:`/`ForAllValues:` prefixes. A statement with an operator outside
these never applies, and says so in the server log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
            return {"aws:PrincipalIsAWSService": "true", "aws:PrincipalServiceName": self.service}
        return {"aws:PrincipalIsAWSService": "false"}

    @property
    def principal_arn(self) -> str | None:
        """An assumed-role session is its role, for policies (aws:PrincipalArn)."""
        if self.arn and ":assumed-role/" in self.arn:
            account = self.account
            role = self.arn.split(":assumed-role/", 1)[1].split("/")[0]
            return f"arn:aws:iam::{account}:role/{role}"
        return self.arn


def listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    return listed(document.get("Statement", []))


@lru_cache(maxsize=1024)
def _wildcard(pattern: str, case_sensitive: bool) -> re.Pattern[str]:
    # IAM wildcards: * any run of characters, ? one character; nothing else is special.
    regex = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
    return re.compile(regex, flags=re.DOTALL | (0 if case_sensitive else re.IGNORECASE))


def wildcard_match(pattern: str, value: str, *, case_sensitive: bool = True) -> bool:
    return _wildcard(pattern, case_sensitive).fullmatch(value) is not None


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


def _condition_holds(operator: str, conditions: dict[str, Any], context: dict[str, Any]) -> bool:
    base, if_exists = (operator[:-8], True) if operator.endswith("IfExists") else (operator, False)
    quantifier, _, base = base.rpartition(":")
    lowered = {k.lower(): v for k, v in context.items()}
    for key, expected in conditions.items():
        present = key.lower() in lowered
        if base == "Null":
            if (str(listed(expected)[0]).lower() == "true") == present:
                return False
            continue
        if not present:
            if if_exists or base.startswith(("StringNot", "ArnNot")):
                continue
            return False
        values = [str(v) for v in listed(lowered[key.lower()])]
        wanted = [str(v) for v in listed(expected)]
        test = _OPERATORS.get(base)
        if test is None:
            print(f"policy: condition operator {operator} is not supported; the statement does not apply", flush=True)
            return False
        if quantifier == "ForAllValues":
            ok = all(test(value, wanted) for value in values)
        else:
            ok = any(test(value, wanted) for value in values)
        if not ok:
            return False
    return True


_OPERATORS = {
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
}


def _applies(statement: dict[str, Any], action: str, resource: str, caller: Caller | None) -> bool:
    if "Action" in statement:
        if not any(wildcard_match(a, action, case_sensitive=False) for a in listed(statement["Action"])):
            return False
    elif "NotAction" in statement:
        if any(wildcard_match(a, action, case_sensitive=False) for a in listed(statement["NotAction"])):
            return False
    if "Resource" in statement:
        if not any(wildcard_match(r, resource) for r in listed(statement["Resource"])):
            return False
    elif "NotResource" in statement and any(wildcard_match(r, resource) for r in listed(statement["NotResource"])):
        return False
    if caller is not None:
        if "Principal" in statement and not _principal_matches(statement["Principal"], caller):
            return False
        if "NotPrincipal" in statement and _principal_matches(statement["NotPrincipal"], caller):
            return False
    context = {**caller.global_keys, **caller.context} if caller else {}
    return all(_condition_holds(op, conds, context) for op, conds in (statement.get("Condition") or {}).items())


def evaluate(document: dict[str, Any], action: str, resource: str, caller: Caller | None = None) -> Effect | None:
    """"Deny" if a statement denies, else "Allow" if one allows, else None (no statement applies)."""
    decision: Effect | None = None
    for statement in statements(document):
        if not _applies(statement, action, resource, caller):
            continue
        if statement.get("Effect") == "Deny":
            return "Deny"
        if statement.get("Effect") == "Allow":
            decision = "Allow"
    return decision
