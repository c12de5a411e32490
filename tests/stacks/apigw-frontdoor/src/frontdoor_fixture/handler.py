import json
import time


def proxy(event, context):
    """Lambda proxy: echo what API Gateway sent; ?malformed=1 answers what API Gateway rejects."""
    if (event.get("queryStringParameters") or {}).get("malformed"):
        return "not a proxy response"
    return {
        "statusCode": 200,
        "headers": {"X-Fixture": "proxy"},
        "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
        "body": json.dumps({"event": event}),
    }


def custom(event, context):
    """Lambda custom integration: the mapping template shaped the event."""
    if event.get("name") == "missing":
        raise LookupError("NotFound: nobody called missing")
    return {"greeting": f"hello {event['name']}"}


def slow(event, context):
    time.sleep(3)
    return {"statusCode": 200, "body": "too late"}
