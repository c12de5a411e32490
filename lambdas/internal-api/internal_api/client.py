"""What a calling function uses: one call per operation, every failure as an `InventoryError` it can handle.

A business error (the service's envelope), the service crashing or timing out
(Lambda's function error), and the call itself being refused or throttled all
raise `InventoryError` with a `type` to branch on and whether retrying may help.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError


class InventoryError(Exception):
    def __init__(self, type_: str, message: str, retryable: bool) -> None:
        super().__init__(message)
        self.type, self.retryable = type_, retryable

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "message": str(self), "retryable": self.retryable}


@dataclass
class InventoryClient:
    lambda_client: Any
    function_name: str

    def _call(self, request: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self.lambda_client.invoke(FunctionName=self.function_name, Payload=json.dumps(request))
        except ClientError as error:
            code = error.response["Error"]["Code"]
            retryable = code in ("TooManyRequestsException", "ServiceException", "ResourceNotReadyException")
            raise InventoryError(
                "Unavailable", f"{code}: {error.response['Error'].get('Message', '')}", retryable
            ) from error
        except BotoCoreError as error:  # a connection or read timeout
            raise InventoryError("Unavailable", str(error), True) from error
        body = json.loads(response["Payload"].read() or b"null")
        if response.get("FunctionError"):
            detail = body if isinstance(body, dict) else {}
            raise InventoryError(
                "ServiceFailure",
                f"{detail.get('errorType', 'Error')}: {detail.get('errorMessage', 'the service failed')}",
                True,
            )
        if not isinstance(body, dict) or "ok" not in body:
            raise InventoryError("ServiceFailure", f"unexpected answer: {body!r}"[:500], False)
        if not body["ok"]:
            raise InventoryError(body["error"]["type"], body["error"]["message"], False)
        return dict(body["result"])

    def available(self, sku: str) -> int:
        return int(self._call({"action": "get", "sku": sku})["available"])

    def reserve(self, sku: str, quantity: int, reservation_id: str) -> dict[str, Any]:
        return self._call({"action": "reserve", "sku": sku, "quantity": quantity, "reservationId": reservation_id})
