"""The same contract as ../nodejs/index.mjs: say which interpreter ran, and record each event it handled."""

import json
import os
import platform

import boto3

table = boto3.client("dynamodb")
RUNTIME = os.environ["AWS_EXECUTION_ENV"].removeprefix("AWS_Lambda_")


def record(event_id: str, source: str) -> None:
    item = {"id": {"S": event_id}, "source": {"S": source}, "runtime": {"S": RUNTIME}}
    item["version"] = {"S": platform.python_version()}
    table.put_item(TableName=os.environ["TABLE"], Item=item)


def handler(event, context):
    if "requestContext" in event:  # API Gateway, payload 2.0
        return {"statusCode": 200, "body": json.dumps({"runtime": RUNTIME, "version": platform.python_version()})}
    if event.get("Records"):  # SQS
        for message in event["Records"]:
            record(message["body"], message["eventSource"])
        return {"batchItemFailures": []}
    record(event["id"], event["source"])
    return {"runtime": RUNTIME, "version": platform.python_version(), "requestId": context.aws_request_id}
