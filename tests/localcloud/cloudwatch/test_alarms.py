"""CloudWatch alarms are evaluated over the metrics the local cloud holds, and their actions reach SNS as
CloudWatch delivers them: as cloudwatch.amazonaws.com, so the topic's policy decides."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest

from harness import allow_topic_to_send

pytestmark = pytest.mark.localcloud

ACCOUNT = "123456789012"


def topic_with_queue(aws, name: str, admit_cloudwatch: bool) -> tuple[str, str]:
    """A topic (its policy admitting CloudWatch alarms of this account, or not) and a queue subscribed to it."""
    sns, sqs = aws("sns"), aws("sqs")
    topic = sns.create_topic(Name=name)["TopicArn"]
    statements = [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": ["SNS:Subscribe", "SNS:GetTopicAttributes"],
            "Resource": topic,
        }
    ]
    if admit_cloudwatch:
        statements.append(
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": "SNS:Publish",
                "Resource": topic,
                "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
            }
        )
    sns.set_topic_attributes(
        TopicArn=topic,
        AttributeName="Policy",
        AttributeValue=json.dumps({"Version": "2012-10-17", "Statement": statements}),
    )
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    allow_topic_to_send(sqs, url, arn, topic)
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    return topic, url


def alarm(aws, name: str, topic: str | None = None, **overrides) -> None:
    settings = {
        "AlarmName": name,
        "Namespace": "Local/Test",
        "MetricName": "Failures",
        "Dimensions": [{"Name": "Service", "Value": name}],
        "Statistic": "Sum",
        "Period": 60,
        "EvaluationPeriods": 1,
        "Threshold": 1.0,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "AlarmActions": [topic] if topic else [],
        **overrides,
    }
    aws("cloudwatch").put_metric_alarm(**settings)


def state_of(aws, name: str) -> dict:
    return aws("cloudwatch").describe_alarms(AlarmNames=[name])["MetricAlarms"][0]


def state_becomes(aws, name: str, state: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while (found := state_of(aws, name))["StateValue"] != state:
        assert time.monotonic() < deadline, f"{name} stayed {found['StateValue']}: {found['StateReason']}"
        time.sleep(0.5)
    return found


def received(aws, url: str, timeout: float = 10.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = aws("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages")
        if messages:
            return [json.loads(m["Body"]) for m in messages]
    return []


def test_a_new_alarm_waits_in_insufficient_data(aws, unique):
    alarm(aws, unique)
    found = state_of(aws, unique)
    assert (found["StateValue"], found["StateReason"]) == ("INSUFFICIENT_DATA", "Unchecked: Initial alarm creation")


def test_a_breaching_datapoint_puts_the_alarm_in_alarm_and_cloudwatch_tells_the_topic(aws, unique):
    topic, url = topic_with_queue(aws, unique, admit_cloudwatch=True)
    alarm(aws, unique, topic, AlarmDescription="failures of the test service")
    aws("cloudwatch").put_metric_data(
        Namespace="Local/Test",
        MetricData=[{"MetricName": "Failures", "Dimensions": [{"Name": "Service", "Value": unique}], "Value": 2.0}],
    )
    found = state_becomes(aws, unique, "ALARM")
    assert found["StateReason"].startswith("Threshold Crossed: 1 datapoint [2.0 (")
    assert found["StateReason"].endswith(")] was greater than or equal to the threshold (1.0).")
    assert json.loads(found["StateReasonData"])["recentDatapoints"] == [2.0]
    (envelope,) = received(aws, url)
    assert envelope["Subject"] == f'ALARM: "{unique}" in US East (N. Virginia)'
    message = json.loads(envelope["Message"])
    assert (message["AlarmName"], message["NewStateValue"], message["OldStateValue"]) == (
        unique,
        "ALARM",
        "INSUFFICIENT_DATA",
    )
    assert message["AlarmDescription"] == "failures of the test service" and message["AWSAccountId"] == ACCOUNT
    assert message["Trigger"]["MetricName"] == "Failures" and message["Trigger"]["Statistic"] == "SUM"
    assert message["Trigger"]["Dimensions"] == [{"value": unique, "name": "Service"}]


def test_missing_data_treated_as_not_breaching_is_ok(aws, unique):
    alarm(aws, unique, TreatMissingData="notBreaching")
    found = state_becomes(aws, unique, "OK")
    assert found["StateReason"] == (
        "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as "
        "[NonBreaching]."
    )


def test_a_metric_math_alarm_adds_its_metrics_up(aws, unique):
    metrics = [
        {
            "Id": query,
            "MetricStat": {
                "Metric": {
                    "Namespace": "Local/Test",
                    "MetricName": name,
                    "Dimensions": [{"Name": "Service", "Value": unique}],
                },
                "Period": 60,
                "Stat": "Sum",
            },
            "ReturnData": False,
        }
        for query, name in (("failed", "Failed"), ("aborted", "Aborted"))
    ]
    metrics.append({"Id": "lost", "Expression": "FILL(failed, 0) + FILL(aborted, 0)", "ReturnData": True})
    aws("cloudwatch").put_metric_alarm(
        AlarmName=unique,
        Metrics=metrics,
        EvaluationPeriods=1,
        Threshold=1.0,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )
    aws("cloudwatch").put_metric_data(
        Namespace="Local/Test",
        MetricData=[{"MetricName": "Aborted", "Dimensions": [{"Name": "Service", "Value": unique}], "Value": 1.0}],
    )
    assert state_becomes(aws, unique, "ALARM")["StateReason"].startswith("Threshold Crossed: 1 datapoint [1.0 (")


def test_set_alarm_state_runs_the_actions_and_a_topic_that_refuses_cloudwatch_gets_nothing(aws, unique):
    admitted, admitted_queue = topic_with_queue(aws, f"{unique}-ok", admit_cloudwatch=True)
    refused, refused_queue = topic_with_queue(aws, f"{unique}-no", admit_cloudwatch=False)
    alarm(aws, unique, AlarmActions=[admitted, refused])
    started = datetime.now(UTC)
    aws("cloudwatch").set_alarm_state(AlarmName=unique, StateValue="ALARM", StateReason="testing the pager")
    assert [json.loads(e["Message"])["NewStateReason"] for e in received(aws, admitted_queue)] == ["testing the pager"]
    assert received(aws, refused_queue, timeout=2) == []
    history = aws("cloudwatch").describe_alarm_history(AlarmName=unique, HistoryItemType="Action", StartDate=started)
    summaries = sorted(item["HistorySummary"] for item in history["AlarmHistoryItems"])
    assert summaries[0].startswith(f"Failed to execute action {refused}.")
    assert summaries[1] == f"Successfully executed action {admitted}"
