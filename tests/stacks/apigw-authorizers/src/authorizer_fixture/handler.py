import json


def _stage_prefix(method_arn):
    # arn:aws:execute-api:region:account:api/stage/METHOD/path -> arn:...:api/stage
    api_part, stage = method_arn.split("/")[:2]
    return f"{api_part}/{stage}"


def _policy(effect, resource):
    return {
        "Version": "2012-10-17",
        "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
    }


def token(event, context):
    """TOKEN authorizer: allow-<user> may GET /me and /proxied only; deny is denied; anything else is 401."""
    value = event["authorizationToken"]
    print(f"authorizing {value}")
    prefix = _stage_prefix(event["methodArn"])
    if value.startswith("allow-"):
        return {
            "principalId": value[6:],
            "policyDocument": _policy("Allow", [f"{prefix}/GET/me", f"{prefix}/GET/proxied"]),
            "context": {"user": value[6:], "tier": "gold", "vip": True},
        }
    if value == "deny":
        return {"principalId": "intruder", "policyDocument": _policy("Deny", f"{prefix}/*")}
    if value == "broken":
        return {"not": "a policy"}
    raise Exception("Unauthorized")


def request(event, context):
    """REQUEST authorizer: the X-Client header must be trusted; the tenant comes from the query."""
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    tenant = (event.get("queryStringParameters") or {}).get("tenant")
    print(f"authorizing request for {tenant}")
    if headers.get("x-client") != "trusted":
        raise Exception("Unauthorized")
    return {
        "principalId": f"tenant-{tenant}",
        "policyDocument": _policy("Allow", event["methodArn"]),
        "context": {"tenant": tenant},
    }


def echo(event, context):
    return {"statusCode": 200, "body": json.dumps({"authorizer": event["requestContext"].get("authorizer")})}
