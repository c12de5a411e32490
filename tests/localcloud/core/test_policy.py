"""Policy documents are evaluated as AWS does: explicit Deny wins, principals and conditions apply."""

from __future__ import annotations

import pytest

from localcloud.core.policy import Caller, evaluate

pytestmark = pytest.mark.unit

TOPIC = "arn:aws:sns:us-east-1:111111111111:billing"
BILLING = Caller(
    arn="arn:aws:sts::222222222222:assumed-role/billing/session-1", context={"aws:PrincipalAccount": "222222222222"}
)
OUTSIDER = Caller(arn="arn:aws:sts::999999999999:assumed-role/billing/session-1")


def topic_policy(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


ALLOW_BILLING = {
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::222222222222:role/billing"},
    "Action": "sns:Publish",
    "Resource": TOPIC,
}


def test_a_role_named_as_principal_allows_its_sessions_only():
    policy = topic_policy(ALLOW_BILLING)
    assert evaluate(policy, "SNS:Publish", TOPIC, BILLING) == "Allow"
    assert evaluate(policy, "SNS:Publish", TOPIC, OUTSIDER) is None
    assert evaluate(policy, "SNS:Subscribe", TOPIC, BILLING) is None


def test_an_account_principal_allows_every_principal_of_that_account():
    for named in ("222222222222", "arn:aws:iam::222222222222:root"):
        policy = topic_policy({**ALLOW_BILLING, "Principal": {"AWS": [named]}})
        assert evaluate(policy, "sns:publish", TOPIC, BILLING) == "Allow"
        assert evaluate(policy, "sns:publish", TOPIC, OUTSIDER) is None


def test_explicit_deny_wins_over_allow():
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "sns:*",
        "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111111111111"}},
    }
    assert evaluate(topic_policy(ALLOW_BILLING, deny), "SNS:Publish", TOPIC, BILLING) == "Deny"


def test_service_principals_match_with_their_source_conditions():
    allow_s3 = {
        "Effect": "Allow",
        "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "SNS:Publish",
        "Resource": TOPIC,
        "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::uploads-*"}},
    }
    policy = topic_policy(allow_s3)
    s3 = Caller(service="s3.amazonaws.com", context={"aws:SourceArn": "arn:aws:s3:::uploads-1"})
    assert evaluate(policy, "SNS:Publish", TOPIC, s3) == "Allow"
    other_bucket = Caller(service="s3.amazonaws.com", context={"aws:SourceArn": "arn:aws:s3:::other"})
    assert evaluate(policy, "SNS:Publish", TOPIC, other_bucket) is None
    assert evaluate(policy, "SNS:Publish", TOPIC, BILLING) is None


def test_missing_condition_keys_fail_positive_operators_and_pass_negated_and_if_exists_ones():
    def with_condition(condition: dict) -> dict:
        return topic_policy({**ALLOW_BILLING, "Condition": condition})

    assert evaluate(with_condition({"StringEquals": {"aws:SourceOwner": "1"}}), "sns:Publish", TOPIC, BILLING) is None
    assert (
        evaluate(with_condition({"StringNotEquals": {"aws:SourceOwner": "1"}}), "sns:Publish", TOPIC, BILLING)
        == "Allow"
    )
    assert (
        evaluate(with_condition({"StringEqualsIfExists": {"aws:SourceOwner": "1"}}), "sns:Publish", TOPIC, BILLING)
        == "Allow"
    )
    assert evaluate(with_condition({"Null": {"aws:SourceOwner": "true"}}), "sns:Publish", TOPIC, BILLING) == "Allow"


def test_condition_keys_are_case_insensitive_and_unknown_operators_never_apply():
    policy = topic_policy({**ALLOW_BILLING, "Condition": {"StringEquals": {"AWS:PrincipalAccount": "222222222222"}}})
    assert evaluate(policy, "sns:Publish", TOPIC, BILLING) == "Allow"
    odd = topic_policy({**ALLOW_BILLING, "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2020-01-01"}}})
    assert evaluate(odd, "sns:Publish", TOPIC, Caller(arn=BILLING.arn, context={"aws:CurrentTime": "x"})) is None


def test_identity_policies_without_principal_match_action_and_resource_wildcards():
    policy = {
        "Statement": {
            "Effect": "Allow",
            "Action": "execute-api:*",
            "Resource": "arn:aws:execute-api:us-east-1:1:api/v1/GET/items/*",
        }
    }
    assert evaluate(policy, "execute-api:Invoke", "arn:aws:execute-api:us-east-1:1:api/v1/GET/items/7") == "Allow"
    assert evaluate(policy, "execute-api:Invoke", "arn:aws:execute-api:us-east-1:1:api/v1/POST/items/7") is None


def test_every_principal_means_aws_services_too_and_each_caller_says_whether_it_is_one():
    """{"AWS": "*"} names services as well (as in IAM); aws:PrincipalIsAWSService tells them apart."""
    deny_people = {
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "sns:Publish",
                "Resource": "*",
                "Condition": {"Bool": {"aws:PrincipalIsAWSService": "false"}},
            }
        ]
    }
    deny_all = {"Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sns:Publish", "Resource": "*"}]}
    service = Caller(service="events.amazonaws.com")
    person = Caller(arn="arn:aws:iam::123456789012:role/app")
    assert evaluate(deny_all, "sns:Publish", "arn:aws:sns:us-east-1:123456789012:t", service) == "Deny"
    assert evaluate(deny_people, "sns:Publish", "arn:aws:sns:us-east-1:123456789012:t", service) is None
    assert evaluate(deny_people, "sns:Publish", "arn:aws:sns:us-east-1:123456789012:t", person) == "Deny"


ROLE_SESSION = Caller(arn="arn:aws:sts::111111111111:assumed-role/app/fn")


def allow_with(condition: dict, resource: str = "*") -> dict:
    return topic_policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource, "Condition": condition})


@pytest.mark.parametrize(
    "operator, expected, value, holds",
    [
        ("NumericLessThan", "10", "9", True),
        ("NumericLessThan", "10", "10", False),
        ("NumericGreaterThanEquals", "10", "10", True),
        ("NumericEquals", "3", "3.0", True),
        ("NumericNotEquals", "3", "4", True),
        ("NumericEquals", "3", "three", False),
        ("DateLessThan", "2030-01-01T00:00:00Z", "2026-11-29T12:00:00Z", True),
        ("DateGreaterThan", "2030-01-01T00:00:00Z", "2026-11-29T12:00:00Z", False),
        ("DateEquals", "1700000000", "2023-11-14T22:13:20Z", True),
        ("IpAddress", "10.0.0.0/8", "10.1.2.3", True),
        ("IpAddress", "10.0.0.0/8", "192.168.0.1", False),
        ("NotIpAddress", "10.0.0.0/8", "192.168.0.1", True),
        ("IpAddress", "2001:db8::/32", "2001:db8::1", True),
        ("BinaryEquals", "QmluYXJ5VmFsdWU=", "QmluYXJ5VmFsdWU=", True),
        ("BinaryEquals", "QmluYXJ5VmFsdWU=", "b3RoZXI=", False),
        ("StringEqualsIgnoreCase", "Prod", "PROD", True),
        ("Bool", "true", "True", True),
    ],
)
def test_every_operator_family_compares_as_iam_does(operator, expected, value, holds):
    policy = allow_with({operator: {"test:key": expected}})
    effect = evaluate(policy, "s3:GetObject", "arn:aws:s3:::b/k", ROLE_SESSION, {"test:key": value})
    assert (effect == "Allow") is holds


@pytest.mark.parametrize(
    "operator, holds",
    [
        ("StringEquals", False),
        ("StringNotEquals", True),
        ("StringNotLike", True),
        ("ArnNotLike", True),
        ("NumericLessThan", False),
        ("NumericNotEquals", True),
        ("DateNotEquals", True),
        ("NotIpAddress", True),
        ("StringEqualsIfExists", True),
        ("ForAllValues:StringEquals", True),
        ("ForAnyValue:StringEquals", False),
    ],
)
def test_a_key_missing_from_the_request_matches_only_negated_if_exists_and_for_all_values_operators(operator, holds):
    effect = evaluate(allow_with({operator: {"test:absent": "1"}}), "s3:GetObject", "arn:aws:s3:::b/k", ROLE_SESSION)
    assert (effect == "Allow") is holds


def test_set_operators_compare_every_or_any_value_of_a_multivalued_key():
    tags = {"aws:TagKeys": ["team", "cost"]}
    for_all = allow_with({"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "cost", "env"]}})
    for_any = allow_with({"ForAnyValue:StringEquals": {"aws:TagKeys": ["env", "cost"]}})
    assert evaluate(for_all, "s3:GetObject", "x", ROLE_SESSION, tags) == "Allow"
    assert evaluate(for_all, "s3:GetObject", "x", ROLE_SESSION, {"aws:TagKeys": ["team", "owner"]}) is None
    assert evaluate(for_any, "s3:GetObject", "x", ROLE_SESSION, tags) == "Allow"
    assert evaluate(for_any, "s3:GetObject", "x", ROLE_SESSION, {"aws:TagKeys": ["owner"]}) is None


def test_policy_variables_take_the_requests_values_in_resources_and_conditions():
    user = Caller(arn="arn:aws:iam::111111111111:user/alice", context={"aws:username": "alice"})
    home = topic_policy(
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}
    )
    assert evaluate(home, "s3:PutObject", "arn:aws:s3:::home/alice/notes.txt", user) == "Allow"
    assert evaluate(home, "s3:PutObject", "arn:aws:s3:::home/bob/notes.txt", user) is None
    # no value and no default: the element matches nothing; a default fills in
    assert evaluate(home, "s3:PutObject", "arn:aws:s3:::home/alice/x", ROLE_SESSION) is None
    with_default = topic_policy(
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::home/${aws:username, 'shared'}/*"}
    )
    assert evaluate(with_default, "s3:PutObject", "arn:aws:s3:::home/shared/x", ROLE_SESSION) == "Allow"
    tagged = allow_with({"StringEquals": {"s3:ExistingObjectTag/owner": "${aws:PrincipalTag/team}"}})
    team = Caller(arn=ROLE_SESSION.arn, context={"aws:PrincipalTag/team": "blue"})
    assert evaluate(tagged, "s3:GetObject", "x", team, {"s3:ExistingObjectTag/owner": "blue"}) == "Allow"
    assert evaluate(tagged, "s3:GetObject", "x", team, {"s3:ExistingObjectTag/owner": "red"}) is None
    literal = topic_policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${*}"})
    assert evaluate(literal, "s3:GetObject", "arn:aws:s3:::b/*", ROLE_SESSION) == "Allow"
    assert evaluate(literal, "s3:GetObject", "arn:aws:s3:::b/anything", ROLE_SESSION) is None


def test_every_caller_carries_the_global_keys_aws_sets():
    keys = ROLE_SESSION.global_keys
    assert keys["aws:PrincipalArn"] == "arn:aws:iam::111111111111:role/app"
    assert keys["aws:PrincipalAccount"] == "111111111111"
    assert keys["aws:PrincipalIsAWSService"] == "false"
    assert "aws:CurrentTime" in keys
    service = Caller(service="sns.amazonaws.com").global_keys
    assert service["aws:PrincipalServiceName"] == "sns.amazonaws.com" and "aws:PrincipalArn" not in service
