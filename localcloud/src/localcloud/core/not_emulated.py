"""An operation the local cloud does not emulate is refused at once, in the service's own error shape, naming it.

moto answers an action it has not implemented with an HTML 500 and a path it has no route for with an HTML 404;
SDKs and the AWS provider retry a 500 for minutes and cannot read either. Both become a 501 `NotImplemented`
error (never retried) whose message names the service and operation, shaped as the service's protocol shapes
its errors: JSON (`__type`, `x-amzn-ErrorType`) or XML. So do the operations moto answers with a fixed result
whatever the input (a sentiment, labels, text found in an image): a test passing on those proves nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from moto.core.exceptions import ServiceException

from localcloud.core.http import signing_scope

CODE = "NotImplemented"
STATUS = 501
# Services whose REST protocol answers errors in XML; the other REST services answer JSON.
REST_XML = {"s3", "route53", "cloudfront"}
SEE = "what it emulates: moto's implemented operations and localcloud/README.md"
# Backend methods whose answer is canned: refused rather than answered.
CANNED = {
    ("moto.comprehend.models", "ComprehendBackend"): ("detect_pii_entities", "detect_key_phrases", "detect_sentiment"),
    ("moto.rekognition.models", "RekognitionBackend"): (
        "start_face_search", "start_text_detection", "get_face_search", "get_text_detection", "compare_faces",
        "detect_labels", "detect_text", "detect_custom_labels",
    ),
    ("moto.textract.models", "TextractBackend"): ("detect_document_text", "get_document_text_detection"),
}  # fmt: skip


def message(service: str, operation: str) -> str:
    return f"The local cloud does not emulate {service}:{operation} ({SEE})."


class NotEmulated(ServiceException):
    def __init__(self, service: str, operation: str) -> None:
        super().__init__(CODE, message(service, operation))
        self.status = STATUS


def _refuse_canned() -> None:
    import importlib

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("moto answers it with a fixed result")

    for (module, backend), methods in CANNED.items():
        cls = getattr(importlib.import_module(module), backend)
        for method in methods:
            setattr(cls, method, refused)


def install() -> None:
    from moto.core.responses import ActionResult, BaseResponse

    _refuse_canned()

    original_call_action = BaseResponse.call_action

    def call_action(self: BaseResponse) -> Any:
        try:
            return original_call_action(self)
        except NotImplementedError:
            refused = NotEmulated(str(getattr(self, "service_name", "") or "this service"), self._get_action())
            status, headers, body = self.serialized(ActionResult(refused))
            headers["status"] = STATUS
            headers.setdefault("x-amzn-RequestId", str(uuid.uuid4()))
            return STATUS, headers, body

    BaseResponse.call_action = call_action  # type: ignore[method-assign]


class UnroutedRequests:
    """A signed request moto has no route for (an HTML 404) answers the service's NotImplemented error."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        answered: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answered.update(status=status, headers=headers)
            if status.startswith("404") and _html(headers) and signing_scope(environ)[0] not in (None, "execute-api"):
                return lambda data: None  # the HTML page is replaced below
            return start_response(status, headers, exc_info)

        body = self.app(environ, capture)
        status, headers = answered.get("status", ""), answered.get("headers", [])
        service = signing_scope(environ)[0]
        if not (status.startswith("404") and _html(headers) and service not in (None, "execute-api")):
            return body
        if hasattr(body, "close"):
            body.close()
        operation = f"{environ.get('REQUEST_METHOD', '')} {environ.get('PATH_INFO', '')}"
        text = message(str(service), operation)
        request_id = str(uuid.uuid4())
        if service in REST_XML:
            payload = (
                f"<Error><Code>{CODE}</Code><Message>{_xml(text)}</Message><RequestId>{request_id}</RequestId></Error>"
            ).encode()
            content_type = "application/xml"
        else:
            import json

            payload = json.dumps({"__type": CODE, "message": text}).encode()
            content_type = "application/json"
        start_response(
            f"{STATUS} Not Implemented",
            [
                ("Content-Type", content_type),
                ("Content-Length", str(len(payload))),
                ("x-amzn-ErrorType", CODE),
                ("x-amzn-RequestId", request_id),
            ],
        )
        return [payload]


def _html(headers: list[tuple[str, str]]) -> bool:
    return any(name.lower() == "content-type" and "text/html" in value for name, value in headers)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
