"""What the local cloud does not emulate is refused at once, as an AWS error naming it, never an HTML page."""

from __future__ import annotations

import time

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

pytestmark = pytest.mark.localcloud

# The SDK's default retries: a 500 would be retried, and the answer would take seconds.
RETRYING = Config(retries={"mode": "standard", "max_attempts": 3})


@pytest.mark.parametrize(
    ("service", "call", "arguments", "operation"),
    [
        ("dynamodb", "describe_contributor_insights", {"TableName": "t"}, "dynamodb:DescribeContributorInsights"),
        ("sqs", "list_message_move_tasks", {"SourceArn": "arn:aws:sqs:us-east-1:123456789012:q"},
         "sqs:ListMessageMoveTasks"),
        ("comprehend", "detect_sentiment", {"Text": "I hate waiting", "LanguageCode": "en"},
         "comprehend:DetectSentiment"),
    ],
    ids=["json", "query", "canned-answer"],
)  # fmt: skip
def test_an_operation_the_local_cloud_does_not_emulate_is_refused_once_naming_it(
    aws, service, call, arguments, operation
):
    client = aws(service, config=RETRYING)
    started = time.monotonic()
    with pytest.raises(ClientError) as refused:
        getattr(client, call)(**arguments)
    error = refused.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert error["Error"]["Code"] == "NotImplemented"
    assert f"The local cloud does not emulate {operation}" in error["Error"]["Message"]
    assert error["ResponseMetadata"].get("RetryAttempts", 0) == 0 and time.monotonic() - started < 2


def test_a_missing_resource_still_answers_not_found_not_not_emulated(aws, unique):
    """moto answers some real not-founds as a page of its router (the provider waits on them when destroying)."""
    with pytest.raises(ClientError) as missing:
        aws("s3", config=RETRYING).head_bucket(Bucket=f"{unique}-never-created")
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
