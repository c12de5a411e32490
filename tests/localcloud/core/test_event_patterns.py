"""One event pattern matcher with EventBridge's semantics, behind rules, TestEventPattern, SNS filter policies
and event source mapping filters."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from localcloud.core.event_patterns import matches

pytestmark = pytest.mark.localcloud

CASES = [
    # (pattern, event, matched)
    ({"source": ["a"]}, {"source": "a"}, True),
    ({"detail": {"n": [{"numeric": [">", 0, "<=", 5]}]}}, {"detail": {"n": 5}}, True),
    ({"detail": {"n": [{"numeric": [">", 0, "<=", 5]}]}}, {"detail": {"n": "5"}}, False),
    ({"detail": {"n": [{"numeric": ["=", 3]}]}}, {"detail": {"n": 3.0}}, True),
    ({"detail": {"s": [{"prefix": "ab"}]}}, {"detail": {"s": "abc"}}, True),
    ({"detail": {"s": [{"prefix": {"equals-ignore-case": "AB"}}]}}, {"detail": {"s": "abc"}}, True),
    ({"detail": {"s": [{"suffix": {"equals-ignore-case": "PNG"}}]}}, {"detail": {"s": "x.png"}}, True),
    ({"detail": {"s": [{"equals-ignore-case": "ABC"}]}}, {"detail": {"s": "abc"}}, True),
    ({"detail": {"s": [{"wildcard": "a*c"}]}}, {"detail": {"s": "abbc"}}, True),
    ({"detail": {"s": [{"wildcard": "a\\*c"}]}}, {"detail": {"s": "abbc"}}, False),
    ({"detail": {"s": [{"wildcard": "a\\*c"}]}}, {"detail": {"s": "a*c"}}, True),
    ({"detail": {"s": [{"anything-but": ["x", "y"]}]}}, {"detail": {"s": "z"}}, True),
    ({"detail": {"s": [{"anything-but": ["x", "y"]}]}}, {"detail": {}}, False),
    ({"detail": {"s": [{"anything-but": {"prefix": ["x", "y"]}}]}}, {"detail": {"s": "ya"}}, False),
    ({"detail": {"s": [{"anything-but": {"suffix": "x"}}]}}, {"detail": {"s": "xa"}}, True),
    ({"detail": {"s": [{"anything-but": {"wildcard": "a*"}}]}}, {"detail": {"s": "ab"}}, False),
    ({"detail": {"s": [{"anything-but": {"equals-ignore-case": ["X"]}}]}}, {"detail": {"s": "x"}}, False),
    ({"detail": {"s": [{"exists": False}]}}, {"detail": {}}, True),
    ({"detail": {"s": [{"exists": False}]}}, {}, True),
    ({"detail": {"s": [{"exists": True}]}}, {"detail": {"s": None}}, True),
    ({"detail": {"s": [{"exists": True}]}}, {"detail": {"s": {"inner": 1}}}, False),
    ({"detail": {"ip": [{"cidr": "10.0.0.0/24"}]}}, {"detail": {"ip": "10.0.0.5"}}, True),
    ({"detail": {"ip": [{"cidr": "2001:db8::/32"}]}}, {"detail": {"ip": "2001:db8::1"}}, True),
    ({"detail": {"ip": [{"cidr": "10.0.0.0/24"}]}}, {"detail": {"ip": "10.0.1.5"}}, False),
    ({"detail": {"$or": [{"a": [1]}, {"b": [2]}]}}, {"detail": {"b": 2}}, True),
    ({"$or": [{"source": ["x"]}, {"detail": {"$or": [{"a": [1]}, {"b": [2]}]}}]}, {"source": "y", "detail": {"c": 3}}, False),
    ({"detail": {"tags": ["a"]}}, {"detail": {"tags": ["b", "a"]}}, True),
    ({"detail": {"items": {"id": ["1"]}}}, {"detail": {"items": [{"id": "2"}, {"id": "1"}]}}, True),
    ({"detail": {"items": {"id": ["3"]}}}, {"detail": {"items": [{"id": "2"}, {"id": "1"}]}}, False),
    # One element of an array of objects must match the whole object pattern; absence holds in every element.
    ({"e": {"first": ["Anna"], "last": ["Jones"]}}, {"e": [{"first": "Anna", "last": "Smith"}, {"first": "Peter", "last": "Jones"}]}, False),
    ({"e": {"first": ["Anna"], "last": ["Smith"]}}, {"e": [{"first": "Peter", "last": "Jones"}, {"first": "Anna", "last": "Smith"}]}, True),
    ({"arr": {"x": ["1"], "y": [{"exists": False}]}}, {"arr": [{"x": "1"}, {"y": 2}]}, True),
    ({"arr": {"y": [{"exists": False}]}}, {"arr": [{"y": 1}, {"z": 2}]}, False),
    ({"s": [{"anything-but": {"prefix": "x"}}]}, {"s": 5}, True),
    ({"s": [{"anything-but": {"prefix": "x"}}]}, {"s": None}, True),
    ({"ip": ["::1"]}, {"ip": "0:0:0:0:0:0:0:1"}, True),
    ({"ip": ["abcd::1"]}, {"ip": "ABCD::1"}, True),
    ({"s": [{"equals-ignore-case": "ß"}]}, {"s": "SS"}, True),
    ({"s": [{"equals-ignore-case": "k"}]}, {"s": "\u212a"}, False),
    ({"n": [{"numeric": [">", 0]}]}, {"n": 1700000000123456789}, False),
    ({"n": [300]}, {"n": 300.0}, True),
    ({"detail": {"n": [1]}}, {"detail": {"n": True}}, False),
    ({"detail": {"n": ["5"]}}, {"detail": {"n": 5}}, False),
    ({"detail": {"s": [None]}}, {"detail": {"s": None}}, True),
    ({"detail": {"s": [""]}}, {"detail": {"s": ""}}, True),
    ({}, {"anything": 1}, True),
]  # fmt: skip


@pytest.mark.parametrize(("pattern", "event", "matched"), CASES, ids=[json.dumps(c[0])[:60] for c in CASES])
def test_a_pattern_matches_as_eventbridge_matches_it(pattern, event, matched):
    assert matches(pattern, event) is matched


EVENT = {
    "version": "0",
    "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "Order Placed",
    "source": "shop.orders",
    "account": "123456789012",
    "time": "2026-12-06T10:00:00Z",
    "region": "us-east-1",
    "resources": [],
    "detail": {"lines": [{"sku": "a-1", "qty": 2}, {"sku": "b-7", "qty": 1}]},
}


def test_test_event_pattern_answers_with_the_rules_matcher(aws):
    events = aws("events")
    reaching_into_lines = json.dumps({"detail": {"lines": {"sku": [{"prefix": "b-"}]}}})
    assert events.test_event_pattern(EventPattern=reaching_into_lines, Event=json.dumps(EVENT))["Result"] is True
    on_time = json.dumps({"time": [{"prefix": "2026-12-06T"}]})
    assert events.test_event_pattern(EventPattern=on_time, Event=json.dumps(EVENT))["Result"] is True
    other = json.dumps({"source": ["shop.payments"]})
    assert events.test_event_pattern(EventPattern=other, Event=json.dumps(EVENT))["Result"] is False


def test_test_event_pattern_refuses_an_event_missing_a_mandatory_field(aws):
    event = {key: value for key, value in EVENT.items() if key != "account"}
    with pytest.raises(ClientError) as refused:
        aws("events").test_event_pattern(EventPattern='{"source": ["shop.orders"]}', Event=json.dumps(event))
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert refused.value.response["Error"]["Message"] == "Parameter Event is not valid."


@pytest.mark.parametrize(
    ("scope", "policy", "attributes", "message", "delivered"),
    [
        ("MessageAttributes", {"qty": [{"numeric": [">", 1]}]}, {"qty": ("Number", "2")}, "m", True),
        ("MessageAttributes", {"qty": [{"numeric": [">", 1]}]}, {"qty": ("String", "2")}, "m", False),
        ("MessageAttributes", {"tags": ["gift"]}, {"tags": ("String.Array", '["gift", "rush"]')}, "m", True),
        ("MessageAttributes", {"tier": [{"exists": False}]}, {"qty": ("Number", "2")}, "m", True),
        ("MessageBody", {"order": {"lines": {"sku": ["b-7"]}}}, {}, json.dumps({"order": EVENT["detail"]}), True),
        ("MessageBody", {"order": {"lines": {"sku": ["c-9"]}}}, {}, json.dumps({"order": EVENT["detail"]}), False),
        ("MessageBody", {"order": ["x"]}, {}, "not json", False),
    ],
    ids=["number-attribute", "string-is-not-a-number", "string-array", "absent", "body-array-of-objects",
         "body-no-match", "body-not-json"],
)  # fmt: skip
def test_an_sns_filter_policy_matches_with_the_same_matcher(aws, unique, scope, policy, attributes, message, delivered):
    sns, sqs = aws("sns"), aws("sqs")
    topic = sns.create_topic(Name=unique)["TopicArn"]
    queue = sqs.create_queue(QueueName=unique)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    allow = {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
             "Resource": queue_arn}  # fmt: skip
    sqs.set_queue_attributes(
        QueueUrl=queue, Attributes={"Policy": json.dumps({"Version": "2012-10-17", "Statement": [allow]})}
    )
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue_arn,
        Attributes={"FilterPolicy": json.dumps(policy), "FilterPolicyScope": scope, "RawMessageDelivery": "true"},
    )
    typed = {name: {"DataType": kind, "StringValue": value} for name, (kind, value) in attributes.items()}
    sns.publish(TopicArn=topic, Message=message, MessageAttributes=typed)
    received = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages", [])
    assert bool(received) is delivered


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("[]", "Filter is not an object"),
        ('{"source": "a"}', '"source" must be an object or an array'),
        ('{"detail": {}}', "Empty objects are not allowed"),
        ('{"source": []}', "Empty arrays are not allowed"),
        ('{"source": [{"prefix2": "a"}]}', "Unrecognized match type prefix2"),
        ('{"n": [{"numeric": [">", "a"]}]}', "Value of > must be numeric"),
        ('{"n": [{"numeric": ["~", 1]}]}', "Unrecognized numeric range operator: ~"),
        ('{"n": [{"numeric": [">", 1, ">", 2]}]}', "Bad numeric range operator: >"),
        ('{"s": [{"exists": "yes"}]}', "exists match pattern must be either true or false."),
        ('{"s": [{"anything-but": ["a", 1]}]}', "Inside anything but list, either all values are number or string"),
        ('{"s": [{"anything-but": {"regex": "a"}}]}', "Unsupported anything-but pattern: regex"),
        ('{"s": [{"prefix": "a", "suffix": "b"}]}', "Only one key allowed in match expression"),
        ('{"$or": [{"a": ["x"]}]}', "There must have at least 2 Objects in $or relationship."),
        ('{"source": ["a"', "Invalid JSON"),
        ('{"s": [{"wildcard": "a**b"}]}', "Consecutive wildcard characters at pos 2"),
        ('{"s": [{"wildcard": "a\\\\b"}]}', "Invalid escape character at pos 2"),
        ('{"ip": [{"cidr": "10.0.0.1"}]}', "Malformed CIDR, one '/' required"),
        ('{"ip": [{"cidr": "10.0.0.1/32"}]}', "IPv4 mask bits must be < 32"),
        ('{"n": [{"numeric": [">", 10, "<=", 1]}]}', "Bottom must be less than top"),
        ('{"n": [{"numeric": [">", 9007199254740993]}]}', "Cannot compare number : 9007199254740993"),
        (
            '{"$or": [{"prefix": ["a"]}, {"b": ["x"]}]}',
            "prefix is Ruler reserved fieldName which cannot be used inside $or.",
        ),
        ('{"s": [{"prefix": {"foo": "a"}}]}', "Unsupported prefix pattern: foo"),
    ],
)
def test_a_rule_pattern_eventbridge_refuses_is_refused_with_its_reason(aws, unique, pattern, reason):
    with pytest.raises(ClientError) as refused:
        aws("events").put_rule(Name=unique, EventPattern=pattern)
    assert refused.value.response["Error"]["Code"] == "InvalidEventPatternException"
    assert refused.value.response["Error"]["Message"].startswith(f"Event pattern is not valid. Reason: {reason}")


def test_the_newer_forms_of_a_pattern_are_accepted(aws, unique):
    pattern = {
        "detail": {
            "file": [{"anything-but": {"wildcard": "*.tmp"}}, {"prefix": {"equals-ignore-case": "REPORT"}}],
            "size": [{"numeric": [">=", 0, "<", 1e6]}],
        }
    }
    aws("events").put_rule(Name=unique, EventPattern=json.dumps(pattern))


def test_a_filter_policy_that_is_not_json_is_a_parameter_error(aws, unique):
    sns, sqs = aws("sns"), aws("sqs")
    topic = sns.create_topic(Name=unique)["TopicArn"]
    queue = sqs.create_queue(QueueName=unique)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
    with pytest.raises(ClientError) as refused:
        sns.set_subscription_attributes(
            SubscriptionArn=subscription, AttributeName="FilterPolicy", AttributeValue='{"a": ["x"'
        )
    assert refused.value.response["Error"]["Code"] == "InvalidParameter"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
