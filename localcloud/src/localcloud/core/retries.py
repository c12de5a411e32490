"""An SDK's retry of a create or delete call gets the call's first answer, not "already exists" or "not found".

An SDK retries a call whose answer it did not get (a connection reset while the local cloud is busy,
as when `make up` creates 500 resources at once), with the same `amz-sdk-invocation-id`. The resource
exists by then, so the retry got `EntityAlreadyExists` (IAM CreateRole), `ResourceConflictException`
(Lambda) or the like, and Terraform failed the apply where AWS, answering in time, would not. A create
from another call (another invocation id) for an existing name still fails, as in AWS.
(CreateFunction has had this since stop 15, in lambda_config; this covers every other Create action.)
Deletes likewise: a retried DeleteTable whose first answer was lost found no table, and the provider
failed the destroy (a CI run); another call deleting a missing resource still gets "not found".
The same holds for every call that is not idempotent in AWS: a retried RevokeSecurityGroupIngress found
its rule gone and failed an apply at aws_default_security_group (1 CI run in 5), a retried
AuthorizeSecurityGroupIngress would find it already there.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from moto.core.responses import BaseResponse

REMEMBERED = 2000
# Calls whose repetition AWS answers differently from the first call ("already exists", "not found").
NOT_IDEMPOTENT = (
    "Create", "Delete", "Authorize", "Revoke", "Add", "Remove", "Attach", "Detach",
    "Associate", "Disassociate", "Register", "Deregister", "Allocate", "Release",
)  # fmt: skip


def install() -> None:
    original = BaseResponse.call_action
    answers: OrderedDict[tuple[str, str], Any] = OrderedDict()
    lock = threading.Lock()

    def call_action(self: BaseResponse) -> Any:
        invocation = (self.headers or {}).get("amz-sdk-invocation-id") if hasattr(self, "headers") else None
        action = self._get_action() or ""
        if not invocation or not action.startswith(NOT_IDEMPOTENT):
            return original(self)
        key = (invocation, f"{self.service_name}:{action}")
        with lock:
            if key in answers:
                return answers[key]
        answer = original(self)
        status = answer[0] if isinstance(answer, tuple) and answer and isinstance(answer[0], int) else 200
        if status < 300:
            with lock:
                answers[key] = answer
                while len(answers) > REMEMBERED:
                    answers.popitem(last=False)
        return answer

    BaseResponse.call_action = call_action
