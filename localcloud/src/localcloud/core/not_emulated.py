"""An operation the local cloud does not emulate is refused at once, in the service's own error shape, naming it.

moto answers an action it has not implemented with an HTML 500, which SDKs and the AWS provider retry for
minutes and cannot read. It becomes a 501 `NotImplemented` error (never retried) whose message names the
service and operation, shaped as the service's protocol shapes its errors. So do the operations moto answers
with a fixed result whatever the input (a sentiment, labels, text found in an image): a test passing on those
proves nothing. A path moto has no route for still answers moto's HTML 404: moto answers some real "not
found"s (a deleted mapping, a missing bucket) the same way, and the provider waits on those.
"""

from __future__ import annotations

from typing import Any

from moto.core.exceptions import ServiceException

CODE = "NotImplemented"
STATUS = 501
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
    from moto.core.responses import BaseResponse

    from localcloud.core.authorization import error_answer

    _refuse_canned()

    original_call_action = BaseResponse.call_action

    def call_action(self: BaseResponse) -> Any:
        try:
            return original_call_action(self)
        except NotImplementedError:
            service = str(getattr(self, "service_name", "") or "this service")
            return error_answer(self, NotEmulated(service, self._get_action()), STATUS)

    BaseResponse.call_action = call_action  # type: ignore[method-assign]
