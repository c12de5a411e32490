"""AWS_IAM authorization of API Gateway methods and routes: the signer must be allowed execute-api:Invoke.

API Gateway identifies the caller by the SigV4 signature's access key and
authorizes `execute-api:Invoke` on the request's ARN
(`arn:aws:execute-api:region:account:api-id/stage/METHOD/path`) with the
caller's policies and the API's resource policy (REST APIs). The local
cloud's own root credentials stay the administrator's, as everywhere else.
The signature itself is not recomputed: a wrong secret is not refused.
"""

from __future__ import annotations

import json
import re
from typing import Any

from localcloud.core import iam

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/")


def access_key_of(authorization: str) -> str | None:
    found = _CREDENTIAL.search(authorization or "")
    return found.group(1) if found else None


def invoke_arn(partition: str, region: str, account: str, api_id: str, stage: str, method: str, path: str) -> str:
    return f"arn:{partition}:execute-api:{region}:{account}:{api_id}/{stage}/{method}/{path.lstrip('/')}"


def refusal(
    authorization: str,
    account: str,
    region: str,
    api_id: str,
    stage: str,
    method: str,
    path: str,
    resource_policy: Any = None,
) -> str | None:
    """Why API Gateway refuses this signer (AWS's message), or None when it may invoke."""
    identity = iam.identity_of(access_key_of(authorization))
    if identity is None:
        return None
    arn = invoke_arn(identity.partition, region, account, api_id, stage, method, path)
    document = json.loads(resource_policy) if isinstance(resource_policy, str) and resource_policy else None
    decision = iam.decide(identity, "execute-api:Invoke", arn, resource_policy=document, resource_account=account)
    if decision.allowed:
        return None
    shown = invoke_arn(identity.partition, region, "********" + account[-4:], api_id, stage, method, path)
    return f"User: {identity.arn} is not authorized to perform: execute-api:Invoke on resource: {shown}"
