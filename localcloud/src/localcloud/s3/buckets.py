"""S3 event notifications validated, and bucket policies read with their conditions.

Notifications: moto accepts any notification configuration. S3 refuses one
whose SNS topic, SQS queue or Lambda function does not exist or whose policy
(for a function: its AddPermission statements) does not let
`s3.amazonaws.com` in from this bucket (`aws:SourceArn` = the bucket,
`aws:SourceAccount` = its owner): `InvalidArgument: Unable to validate the
following destination configurations`. A module that forgets its topic, queue
or invoke permission now fails at apply here too, instead of at the first
upload in AWS.

Bucket policies: moto evaluates them without their conditions, so the usual
"deny unless aws:SecureTransport" statement denies every object request. Here
conditions apply, and the local endpoint counts as TLS (it stands in for
AWS's HTTPS endpoint).

Delete markers: a bucket whose versioning was suspended could not be emptied
once it held a delete marker (moto answered 500 to DeleteObjects, and
Terraform's force_destroy retried until it timed out). The caller is not known at that point: statements
naming specific principals do not match, `*` ones do.
"""

from __future__ import annotations

import itertools
import json
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from moto.s3 import models as s3_models
from moto.s3.exceptions import S3ClientError
from moto.sns import models as sns_models
from moto.sqs import sqs_backends

from localcloud.core import kms, policy
from localcloud.lambda_.invoke import find_function, service_may_invoke


class UnableToValidateDestinations(S3ClientError):
    def __init__(self, arns: list[str]) -> None:
        super().__init__(
            "InvalidArgument", "Unable to validate the following destination configurations: " + ", ".join(arns)
        )


def _destination_policy(arn: str) -> tuple[str, dict[str, Any], kms.Key | None] | None:
    """(action, policy document, encryption key) of a topic or queue; None when it does not exist."""
    _, _, service, region, account, name = arn.split(":", 5)
    if service == "sns":
        topic = sns_models.sns_backends[account][region].topics.get(arn)
        if topic is None:
            return None
        return "SNS:Publish", topic._policy_json, kms.topic_key(topic, account, region)
    try:
        queue = sqs_backends[account][region].get_queue(name)
    except Exception:
        return None
    return "sqs:SendMessage", queue._policy_json, kms.queue_key(queue, account, region)


def refused_destinations(bucket: Any, config: dict[str, Any]) -> list[str]:
    s3 = policy.Caller(
        service="s3.amazonaws.com",
        context={"aws:SourceArn": f"arn:aws:s3:::{bucket.name}", "aws:SourceAccount": bucket.account_id},
    )
    refused = []
    for kind, key in (("TopicConfiguration", "Topic"), ("QueueConfiguration", "Queue")):
        for entry in config.get(kind) or []:
            arn = entry[key]
            found = _destination_policy(arn)
            if found is None or policy.evaluate(found[1], found[0], arn, s3) != "Allow":
                refused.append(arn)
            elif found[2] is not None and not kms.service_may_use(
                "s3.amazonaws.com", found[2], kms.DELIVERY_ACTIONS, f"arn:aws:s3:::{bucket.name}", bucket.account_id
            ):
                refused.append(arn)  # encrypted with a key whose policy does not admit S3
    for entry in config.get("CloudFunctionConfiguration") or []:
        arn = entry["CloudFunction"]
        try:
            function = find_function(arn)
        except Exception:
            refused.append(arn)
            continue
        if not service_may_invoke(function, "s3.amazonaws.com", f"arn:aws:s3:::{bucket.name}", bucket.account_id):
            refused.append(arn)
    return refused


# What every request to the local endpoint presents, as a request to AWS over HTTPS would.
REQUEST_CONTEXT = {"aws:SecureTransport": "true"}


def bucket_permission(bucket: Any, action: str, resource: str) -> Any:
    from moto.iam.access_control import PermissionResult

    if bucket.policy is None:
        return PermissionResult.NEUTRAL
    document = json.loads(bucket.policy.decode() if isinstance(bucket.policy, bytes) else bucket.policy)
    effect = policy.evaluate(document, action, resource, policy.Caller(context=dict(REQUEST_CONTEXT)))
    return {"Deny": PermissionResult.DENIED, "Allow": PermissionResult.PERMITTED}.get(
        effect or "", PermissionResult.NEUTRAL
    )


def install() -> None:
    # A delete marker holds no data to release; without this, emptying a bucket whose versioning was
    # suspended (Terraform's force_destroy after the versioning resource is gone) fails with a 500.
    if not hasattr(s3_models.FakeDeleteMarker, "dispose"):
        s3_models.FakeDeleteMarker.dispose = lambda self, garbage=False: None  # type: ignore[attr-defined]
    s3_models.FakeBucket.get_permission = bucket_permission
    original = s3_models.FakeBucket.set_notification_configuration

    def set_notification_configuration(self: Any, notification_config: dict[str, Any] | None) -> None:
        refused = refused_destinations(self, notification_config or {})
        if refused:
            raise UnableToValidateDestinations(refused)
        original(self, notification_config)

    s3_models.FakeBucket.set_notification_configuration = set_notification_configuration
    _install_event_records()
    _favicon_is_an_object()


# A bucket's own host: <bucket>.s3.amazonaws.com, <bucket>.s3.<region>.amazonaws.com, <bucket>.s3-<region>...
VIRTUAL_HOST = re.compile(r"^[a-z0-9][a-z0-9.-]*\.s3[.-]([a-z0-9-]+\.)*amazonaws\.com(:\d+)?$")


def _favicon_is_an_object() -> None:
    """moto's server answers /favicon.ico itself, whatever the host: a site's favicon.ico in its bucket, read
    on the bucket's own host (as CloudFront and browsers read it), was moto's 404 page. S3 serves the object."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original = DomainDispatcherApplication.get_application
    if getattr(original, "localcloud", False):
        return

    def get_application(self: Any, environ: dict[str, Any]) -> Any:
        if environ.get("PATH_INFO") == "/favicon.ico" and VIRTUAL_HOST.match(str(environ.get("HTTP_HOST", "")).lower()):
            # moto picks the backend by host for any other path; the request itself keeps its path.
            return original(self, {**environ, "PATH_INFO": "/favicon.ico/object"})
        return original(self, environ)

    get_application.localcloud = True  # type: ignore[attr-defined]
    DomainDispatcherApplication.get_application = get_application  # type: ignore[method-assign]
    _install_delete_marker_events()


EMPTY_ETAG = "d41d8cd98f00b204e9800998ecf8427e"  # a delete marker has no content


@dataclass(frozen=True)
class DeleteMarkerView:
    """What S3's event records say about a delete marker: its key and version, no content."""

    name: str
    version_id: str
    etag: str = EMPTY_ETAG
    size: int = 0


def _install_delete_marker_events() -> None:
    """A delete in a versioned bucket (no version named) creates a delete marker, and S3 reports it as
    `s3:ObjectRemoved:DeleteMarkerCreated` (moto sent nothing)."""
    from moto.s3 import notifications

    set_marker = s3_models.S3Backend._set_delete_marker

    def set_delete_marker(self: Any, bucket_name: str, key_name: str) -> Any:
        marker = set_marker(self, bucket_name, key_name)
        notifications.send_event(
            self.account_id,
            notifications.S3NotificationEvent.OBJECT_REMOVED_DELETE_MARKER_CREATED_EVENT,
            self.get_bucket(bucket_name),
            DeleteMarkerView(marker.name, marker.version_id),
        )
        return marker

    s3_models.S3Backend._set_delete_marker = set_delete_marker


def _install_event_records() -> None:
    """S3's event record carries what moto leaves out: the object's versionId (versioned buckets), a
    sequencer ordering events of one key, and who made the request."""
    from moto.s3 import notifications

    original = notifications._get_s3_event
    sequence = itertools.count(1)

    def get_s3_event(event_name: str, bucket: Any, key: Any, notification_id: str) -> dict[str, Any]:
        event = original(event_name, bucket, key, notification_id)
        for record in event["Records"]:
            record["userIdentity"] = {"principalId": f"AWS:{bucket.account_id}"}
            record["requestParameters"] = {"sourceIPAddress": "127.0.0.1"}
            record["responseElements"] = {
                "x-amz-request-id": uuid.uuid4().hex[:16].upper(),
                "x-amz-id-2": uuid.uuid4().hex,
            }
            record["s3"]["bucket"]["ownerIdentity"] = {"principalId": bucket.account_id}
            version = getattr(key, "version_id", None)
            if getattr(bucket, "is_versioned", False) and version and version != "null":
                record["s3"]["object"]["versionId"] = version
            record["s3"]["object"]["sequencer"] = f"{time.time_ns():016X}{next(sequence):08X}"
            if isinstance(key, DeleteMarkerView):  # a marker has a version, no size or content
                record["s3"]["object"].pop("size", None)
                record["s3"]["object"].pop("eTag", None)
        return event

    notifications._get_s3_event = get_s3_event
