"""What the benchmarks share (`make bench`): the functions they deploy, the role they run as, statistics."""

from __future__ import annotations

import io
import json
import statistics
import zipfile
from pathlib import Path

from localcloud.control import LocalCloud

NOOP = "def handler(event, context):\n    return {'ok': True}\n"
NOOP_NODEJS = "exports.handler = async () => ({ ok: true });\n"
PUT_ITEM = """
import os, boto3
table = boto3.client("dynamodb")
def handler(event, context):
    table.put_item(TableName=os.environ["TABLE"], Item={"pk": {"S": str(event["n"])}})
    return {"ok": True}
"""


# The same call with the local cloud's root credentials: the request IAM enforcement does not evaluate.
PUT_ITEM_AS_ROOT = PUT_ITEM.replace(
    'boto3.client("dynamodb")',
    'boto3.client("dynamodb", aws_access_key_id="root", aws_secret_access_key="root", aws_session_token=None)',
)
BENCH_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"Service": ["lambda.amazonaws.com", "apigateway.amazonaws.com"]},
        }
    ],
}


def bench_role(cloud: LocalCloud) -> str:
    """The role every benchmark function and integration runs as: it may do anything (the benchmarks
    measure the local cloud, not a policy), but its calls are authorized like any function's."""
    iam = cloud.client("iam")
    arn = iam.create_role(RoleName="bench", AssumeRolePolicyDocument=json.dumps(BENCH_TRUST))["Role"]["Arn"]
    iam.put_role_policy(
        RoleName="bench",
        PolicyName="everything",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        ),
    )
    return str(arn)


def allow_api(cloud: LocalCloud, function_arn: str, api: str) -> None:
    cloud.client("lambda").add_permission(
        FunctionName=function_arn,
        StatementId=f"api-{api}",
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
        SourceArn=f"arn:aws:execute-api:us-east-1:123456789012:{api}/*",
    )


# PUT_ITEM traced by the real aws-xray-sdk (its calls subsegments, sent to the daemon) when the
# invocation is sampled.
TRACED_PUT_ITEM = PUT_ITEM.replace(
    "import os, boto3", "import os, boto3\nfrom aws_xray_sdk.core import patch\npatch(['botocore'])"
)


def zip_with_xray_sdk(source: str | None = None, folder: str = "") -> bytes:
    """The aws-xray-sdk (and wrapt, which it needs) from this interpreter's packages under `folder` (a layer's
    is "python/"), with `source` as fn.py when given: as a function's package or a layer vendors them."""
    import aws_xray_sdk
    import wrapt

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        if source is not None:
            zf.writestr("fn.py", source)
        for package in (aws_xray_sdk, wrapt):
            root = Path(str(package.__file__)).parent
            for path in root.rglob("*"):
                if path.is_file() and "__pycache__" not in path.parts:
                    zf.write(path, f"{folder}{root.name}/{path.relative_to(root)}")
    return buffer.getvalue()


def zip_source(source: str, name: str = "fn.py") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(name, source)
    return buffer.getvalue()


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
        "max_ms": round(ordered[-1], 2),
    }
