"""Function and layer code from S3, read as Lambda reads it.

CreateFunction, UpdateFunctionCode and PublishLayerVersion may name the code
as ``S3Bucket``/``S3Key`` (and ``S3ObjectVersion``). Lambda copies the object
once, at that call, with the caller's credentials, so:
- the caller must be allowed ``s3:GetObject`` (``s3:GetObjectVersion`` for a
  version) by its own policies and the bucket's, and ``kms:Decrypt`` with the
  object's key when it is SSE-KMS; otherwise ``AccessDeniedException`` (403)
  ``Your access has been denied by S3, please make sure your request
  credentials have permission to GetObject for <bucket>/<key>. S3 Error Code:
  AccessDenied. S3 Error Message: Access Denied``;
- the bucket must be in the function's region: ``InvalidParameterValueException``
  ``Error occurred while GetObject. S3 Error Code: PermanentRedirect. S3 Error
  Message: The bucket is in this region: <region>. Please use this region to
  retry the request``;
- a missing bucket, key or version is ``InvalidParameterValueException`` with S3's
  code (``NoSuchBucket``, ``NoSuchKey``, ``NoSuchVersion``) in the same form; a caller
  who may not read the object gets the access error whether the key exists or not,
  as S3 answers such a caller 403.

moto read the latest object whatever version was named, answered a missing key
with a 500, and checked neither the caller nor the region.
"""

from __future__ import annotations

from typing import Any

from moto.awslambda import models as lambda_models
from moto.awslambda import responses as lambda_responses
from moto.awslambda.exceptions import InvalidParameterValueException, LambdaClientError

from localcloud.core import iam
from localcloud.core.authorization import bucket_named, s3_denied

_GET_OBJECT_FAILED = "Error occurred while GetObject. S3 Error Code: {code}. S3 Error Message: {message}"


class CodeAccessDenied(LambdaClientError):
    code = 403

    def __init__(self, bucket: str, key: str) -> None:
        super().__init__(
            "AccessDeniedException",
            "Your access has been denied by S3, please make sure your request credentials have permission to GetObject "
            f"for {bucket}/{key}. S3 Error Code: AccessDenied. S3 Error Message: Access Denied",
        )


def _failed(code: str, message: str) -> InvalidParameterValueException:
    return InvalidParameterValueException(_GET_OBJECT_FAILED.format(code=code, message=message))


def code_bucket(spec: dict[str, Any], region: str | None = None) -> Any:
    """The bucket a code spec names, in the function's region, or Lambda's error for it."""
    bucket = bucket_named(str(spec.get("S3Bucket", "")))
    if bucket is None:
        raise _failed("NoSuchBucket", "The specified bucket does not exist")
    if region is not None and bucket.region_name != region:
        raise _failed(
            "PermanentRedirect",
            f"The bucket is in this region: {bucket.region_name}. Please use this region to retry the request",
        )
    return bucket


def code_object(spec: dict[str, Any], region: str | None = None) -> Any:
    """The S3 object (the named version, else the latest) a code spec names, or Lambda's error for it."""
    bucket = code_bucket(spec, region)
    name, version = str(spec.get("S3Key", "")), spec.get("S3ObjectVersion")
    if version is None:
        found = bucket.keys.get(name)
    else:
        found = next((k for k in bucket.keys.getlist(name, []) if str(k.version_id) == str(version)), None)
        if found is None and name in bucket.keys:
            raise _failed("NoSuchVersion", "The specified version does not exist.")
    if not isinstance(found, lambda_models.FakeKey):  # missing, or a delete marker
        raise _failed("NoSuchKey", "The specified key does not exist.")
    return found


def _code_location(response: Any, operation: str) -> dict[str, Any] | None:
    body = response.json_body or {}
    spec = {"create_function": body.get("Code"), "publish_layer_version": body.get("Content")}.get(operation, body)
    return spec if isinstance(spec, dict) and spec.get("S3Bucket") and spec.get("S3Key") else None


def _check_caller(response: Any, spec: dict[str, Any]) -> None:
    code_bucket(spec, response.region)
    identity = iam.identity_of(response.get_access_key())
    if identity is None:
        code_object(spec)
        return  # the local cloud's root credentials: the administrator
    action = "s3:GetObjectVersion" if spec.get("S3ObjectVersion") else "s3:GetObject"
    context = {"aws:SecureTransport": "true", "aws:RequestedRegion": response.region}
    # Asked first: S3 answers a caller who may not read (nor list) the bucket 403 for a missing key too.
    if s3_denied(identity, action, spec["S3Bucket"], spec["S3Key"], context, response.region) is not None:
        raise CodeAccessDenied(spec["S3Bucket"], spec["S3Key"])
    code_object(spec)


def install() -> None:
    for operation in ("create_function", "update_function_code", "publish_layer_version"):
        original = getattr(lambda_responses.LambdaResponse, operation)

        def checked(self: Any, _original: Any = original, _operation: str = operation) -> Any:
            spec = _code_location(self, _operation)
            if spec is not None and not spec.get("DryRun"):
                _check_caller(self, spec)
            return _original(self)

        setattr(lambda_responses.LambdaResponse, operation, checked)

    def validate_s3_bucket_and_key(account_id: str, partition: str, data: dict[str, Any]) -> Any:
        return code_object(data)

    lambda_models._validate_s3_bucket_and_key = validate_s3_bucket_and_key

    set_function_code = lambda_models.LambdaFunction._set_function_code

    def set_code(self: Any, spec: dict[str, Any]) -> None:
        """The named version's bytes on update too (moto read the latest object)."""
        if spec is self.code or "S3Bucket" not in spec or "S3Key" not in spec or spec.get("DryRun"):
            return set_function_code(self, spec)
        self.code_bytes, self.code_size, self.code_sha_256, self.code_digest = lambda_models._s3_content(
            code_object(spec)
        )
        self.code.pop("ZipFile", None)
        self.code.pop("S3ObjectVersion", None)
        self.code.update({k: spec[k] for k in ("S3Bucket", "S3Key", "S3ObjectVersion") if spec.get(k)})
        return None

    lambda_models.LambdaFunction._set_function_code = set_code
