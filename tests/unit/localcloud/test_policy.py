"""Policy documents are evaluated as AWS does: explicit Deny wins, principals and conditions apply."""

from __future__ import annotations

import pytest

from tooling.localcloud.policy import Caller, evaluate

pytestmark = pytest.mark.unit

TOPIC = "arn:aws:sns:us-east-1:111111111111:billing"
BILLING = Caller(arn="arn:aws:sts::222222222222:assumed-role/billing/session-1",
                 context={"aws:PrincipalAccount": "222222222222"})
OUTSIDER = Caller(arn="arn:aws:sts::999999999999:assumed-role/billing/session-1")


def topic_policy(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


ALLOW_BILLING = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:role/billing"},
                 "Action": "sns:Publish", "Resource": TOPIC}


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
    deny = {"Effect": "Deny", "Principal": "*", "Action": "sns:*", "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111111111111"}}}
    assert evaluate(topic_policy(ALLOW_BILLING, deny), "SNS:Publish", TOPIC, BILLING) == "Deny"


def test_service_principals_match_with_their_source_conditions():
    allow_s3 = {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "SNS:Publish",
                "Resource": TOPIC, "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::uploads-*"}}}
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
    assert evaluate(with_condition({"StringNotEquals": {"aws:SourceOwner": "1"}}), "sns:Publish", TOPIC, BILLING) == "Allow"
    assert evaluate(with_condition({"StringEqualsIfExists": {"aws:SourceOwner": "1"}}),
                    "sns:Publish", TOPIC, BILLING) == "Allow"
    assert evaluate(with_condition({"Null": {"aws:SourceOwner": "true"}}), "sns:Publish", TOPIC, BILLING) == "Allow"


def test_condition_keys_are_case_insensitive_and_unknown_operators_never_apply():
    policy = topic_policy({**ALLOW_BILLING, "Condition": {"StringEquals": {"AWS:PrincipalAccount": "222222222222"}}})
    assert evaluate(policy, "sns:Publish", TOPIC, BILLING) == "Allow"
    odd = topic_policy({**ALLOW_BILLING, "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2020-01-01"}}})
    assert evaluate(odd, "sns:Publish", TOPIC, Caller(arn=BILLING.arn, context={"aws:CurrentTime": "x"})) is None


def test_identity_policies_without_principal_match_action_and_resource_wildcards():
    policy = {"Statement": {"Effect": "Allow", "Action": "execute-api:*",
                            "Resource": "arn:aws:execute-api:us-east-1:1:api/v1/GET/items/*"}}
    assert evaluate(policy, "execute-api:Invoke", "arn:aws:execute-api:us-east-1:1:api/v1/GET/items/7") == "Allow"
    assert evaluate(policy, "execute-api:Invoke", "arn:aws:execute-api:us-east-1:1:api/v1/POST/items/7") is None


def test_every_principal_means_aws_services_too_and_each_caller_says_whether_it_is_one():
    """{"AWS": "*"} names services as well (as in IAM); aws:PrincipalIsAWSService tells them apart."""
    deny_people = {"Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sns:Publish",
                                  "Resource": "*", "Condition": {"Bool": {"aws:PrincipalIsAWSService": "false"}}}]}
    deny_all = {"Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sns:Publish", "Resource": "*"}]}
    service = Caller(service="events.amazonaws.com")
    person = Caller(arn="arn:aws:iam::123456789012:role/app")
    assert evaluate(deny_all, "sns:Publish", "arn:aws:sns:us-east-1:123456789012:t", service) == "Deny"
    assert evaluate(deny_people, "sns:Publish", "arn:aws:sns:us-east-1:123456789012:t", service) is None
    assert evaluate(deny_people, "sns:Publish", "arn:aws:sns:us-east-1:123456789012:t", person) == "Deny"
