"""Writes every event (or SQS record) it gets into a DynamoDB table.

The item also records this process's id and cold-start time, things only the
handler running in a worker can know. An event or record whose body asks to
fail raises instead.
"""

import json
import os
import time

import boto3

_table = os.environ["PROBE_TABLE"]
_dynamodb = boto3.client("dynamodb")
_started = str(time.time())


def _record(key, payload, source):
    _dynamodb.put_item(
        TableName=_table,
        Item={
            "pk": {"S": key},
            "payload": {"S": json.dumps(payload)},
            "source": {"S": source},
            "pid": {"N": str(os.getpid())},
            "cold_start": {"S": _started},
        },
    )


def handler(event, context):
    records = event.get("Records") if isinstance(event, dict) else None
    if records:
        for record in records:
            if "fail" in record.get("body", ""):
                raise RuntimeError(f"probe asked to fail on {record['messageId']}")
            _record(record["messageId"], record, record.get("eventSource", "unknown"))
        return {"processed": len(records)}
    print(f"probe got {json.dumps(event)}")
    if event.get("fail"):
        raise RuntimeError(f"probe asked to fail: {event.get('id')}")
    _record(event["id"], event, "direct")
    return {"id": event["id"], "function": context.function_name, "pid": os.getpid()}
