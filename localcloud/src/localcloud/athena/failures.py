"""How a query ends when it does not succeed, as Athena reports it: the state, the `StateChangeReason` and the
`AthenaError` (category 1 system, 2 user, 3 other; the error type from Athena's error reference).

The reasons are Athena's own where they are known from real answers (TABLE_NOT_FOUND, COLUMN_NOT_FOUND,
HIVE_BAD_DATA, "Permission denied on S3 path", "Access denied when writing output to url", "Bytes scanned
limit was exceeded"); engine errors without an Athena counterpart keep DuckDB's words after Athena's code.
"""

from __future__ import annotations

from typing import Any

USER, SYSTEM = 2, 1
ENTITY_NOT_FOUND, SYNTAX, DATA, NOT_SUPPORTED, PERMISSION, S3_PERMISSION, USER_ERROR = (
    1301, 1006, 1002, 1200, 1500, 1501, 1000,
)  # fmt: skip


class QueryFailed(Exception):
    def __init__(self, reason: str, category: int = USER, error_type: int = USER_ERROR, state: str = "FAILED") -> None:
        super().__init__(reason)
        self.reason, self.category, self.error_type, self.state = reason, category, error_type, state

    def error(self) -> dict[str, Any] | None:
        """The `AthenaError` of a failed query (a cancelled one carries none)."""
        if self.state != "FAILED":
            return None
        return {
            "ErrorCategory": self.category,
            "ErrorType": self.error_type,
            "Retryable": self.category == SYSTEM,
            "ErrorMessage": self.reason,
        }

    @classmethod
    def user(cls, reason: str) -> QueryFailed:
        code = reason.split(":", 1)[0]
        error_type = {
            "TABLE_NOT_FOUND": ENTITY_NOT_FOUND,
            "SCHEMA_NOT_FOUND": ENTITY_NOT_FOUND,
            "CATALOG_NOT_FOUND": ENTITY_NOT_FOUND,
            "COLUMN_NOT_FOUND": SYNTAX,
            "FUNCTION_NOT_FOUND": 1303,
            "TYPE_MISMATCH": SYNTAX,
            "HIVE_BAD_DATA": DATA,
            "HIVE_CURSOR_ERROR": DATA,
            "INVALID_CAST_ARGUMENT": DATA,
            "NOT_SUPPORTED": NOT_SUPPORTED,
            "CONSTRAINT_VIOLATION": USER_ERROR,
        }.get(code, USER_ERROR)
        return cls(reason, USER, error_type)

    @classmethod
    def scan_limit(cls) -> QueryFailed:
        return cls("Bytes scanned limit was exceeded", state="CANCELLED")

    @classmethod
    def from_s3(cls, error: Any, url: str) -> QueryFailed:
        """A refused read of the table's data, as the caller."""
        code = error.response.get("Error", {}).get("Code", "")
        if code in ("AccessDenied", "AccessDeniedException", "KMS.AccessDeniedException", "403"):
            return cls(f"Permission denied on S3 path: {url}", USER, S3_PERMISSION)
        if code == "NoSuchBucket":
            return cls(f"HIVE_FILESYSTEM_ERROR: The specified bucket does not exist: {url}", USER, 1306)
        return cls(f"HIVE_CANNOT_OPEN_SPLIT: Error opening Hive split {url}: {error}", SYSTEM, 200)

    @classmethod
    def from_glue(cls, error: Any) -> QueryFailed:
        """A refused read of the catalog, as the caller: Glue's own words."""
        message = error.response.get("Error", {}).get("Message", str(error))
        return cls(f"GENERIC_INTERNAL_ERROR: Forbidden: {message}", USER, PERMISSION)

    @classmethod
    def output_denied(cls, url: str) -> QueryFailed:
        return cls(
            f"Access denied when writing output to url: {url} . Please ensure you are allowed to access the S3 "
            "bucket. If you are encrypting query results with KMS key, please ensure you are allowed to access "
            "your KMS key",
            USER,
            S3_PERMISSION,
        )
