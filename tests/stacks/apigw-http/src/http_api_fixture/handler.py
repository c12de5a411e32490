import json
import time


def echo_v2(event, context):
    """Payload 2.0, structured response with cookies."""
    return {
        "statusCode": 200,
        "headers": {"X-Payload": event.get("version", "?")},
        "cookies": ["session=abc; Path=/", "theme=dark"],
        "body": json.dumps({"event": event}),
    }


def echo_v1(event, context):
    """Payload 1.0 (the REST API shape)."""
    return {
        "statusCode": 201,
        "headers": {"X-Payload": event.get("version", "?")},
        "body": json.dumps({"event": event}),
    }


def bare(event, context):
    """Payload 2.0 lets a function return only its body."""
    return {"hello": "world"}


def slow(event, context):
    time.sleep(3)
    return "late"


def authorize(event, context):
    """Lambda REQUEST authorizer with simple responses."""
    allowed = (event.get("headers") or {}).get("x-key") == "open"
    return {"isAuthorized": allowed, "context": {"plan": "gold"}}
