"""Athena's query API as Athena answers it, on queries that really run (`engine.py`).

- StartQueryExecution resolves the workgroup's result configuration (enforced, or the client's settings over
  the workgroup's), refuses what Athena refuses before a query exists (no output location, an output bucket
  that is not there, a statement that does not parse: MALFORMED_QUERY), and queues the query. It runs on a
  worker as the caller: Glue and S3 are read, and the result CSV written, with the caller's credentials.
- GetQueryExecution reports QUEUED, RUNNING, then SUCCEEDED, FAILED (reason and AthenaError) or CANCELLED,
  with the statistics (data scanned, times); BatchGetQueryExecution answers for several.
- GetQueryResults pages the result (header row first, at most 1,000 rows a page, Athena's types), refuses an
  unfinished, failed or cancelled query as Athena does, and reads the result file as the caller.
- StopQueryExecution cancels a query that has not finished.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.config import Config

from localcloud.athena import catalog, engine, values
from localcloud.athena.failures import SYSTEM, QueryFailed
from localcloud.core import iam
from localcloud.core.authorization import error_answer
from localcloud.core.not_emulated import NotEmulated

MAX_RESULTS = 1000
MIN_SCAN_CUTOFF = 10_000_000
CLIENT_CONFIG = Config(retries={"total_max_attempts": 2}, read_timeout=120, connect_timeout=5)


@dataclass
class Execution:
    id: str
    query: str
    database: str
    catalog_name: str
    workgroup: str
    output: str  # the result file's URL
    encryption: dict[str, Any] | None
    expected_owner: str | None
    credentials: dict[str, str]
    region: str
    account: str
    state: str = "QUEUED"
    reason: str | None = None
    error: dict[str, Any] | None = None
    submitted: float = field(default_factory=time.time)
    started: float | None = None
    completed: float | None = None
    columns: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    scanned: int = 0

    def finished(self) -> bool:
        return self.state in ("SUCCEEDED", "FAILED", "CANCELLED")

    def describe(self) -> dict[str, Any]:
        status: dict[str, Any] = {"State": self.state, "SubmissionDateTime": self.submitted}
        if self.completed is not None:
            status["CompletionDateTime"] = self.completed
        if self.reason:
            status["StateChangeReason"] = self.reason
        if self.error:
            status["AthenaError"] = self.error
        engine_ms = int(((self.completed or time.time()) - (self.started or self.submitted)) * 1000)
        total_ms = int(((self.completed or time.time()) - self.submitted) * 1000)
        queue_ms = int(((self.started or time.time()) - self.submitted) * 1000)
        configuration: dict[str, Any] = {"OutputLocation": self.output}
        if self.encryption:
            configuration["EncryptionConfiguration"] = self.encryption
        if self.expected_owner:
            configuration["ExpectedBucketOwner"] = self.expected_owner
        return {
            "QueryExecutionId": self.id,
            "Query": self.query,
            "StatementType": "DML",
            "SubstatementType": "SELECT",
            "ResultConfiguration": configuration,
            "ResultReuseConfiguration": {"ResultReuseByAgeConfiguration": {"Enabled": False}},
            "QueryExecutionContext": {"Database": self.database, "Catalog": self.catalog_name},
            "Status": status,
            "Statistics": {
                "EngineExecutionTimeInMillis": engine_ms if self.finished() else 0,
                "DataScannedInBytes": self.scanned if self.state == "SUCCEEDED" else 0,
                "TotalExecutionTimeInMillis": total_ms,
                "QueryQueueTimeInMillis": queue_ms,
                "ServicePreProcessingTimeInMillis": 0,
                "QueryPlanningTimeInMillis": 0,
                "ServiceProcessingTimeInMillis": 0,
                "ResultReuseInformation": {"ReusedPreviousResult": False},
            },
            "WorkGroup": self.workgroup,
            "EngineVersion": {
                "SelectedEngineVersion": "AUTO",
                "EffectiveEngineVersion": "Athena engine version 3",
            },
        }


_executions: dict[str, Execution] = {}
_lock = threading.Lock()


def _invalid(message: str, code: str | None = None) -> tuple[str, dict[str, int]]:
    body: dict[str, Any] = {"__type": "InvalidRequestException", "Message": message}
    if code:
        body["AthenaErrorCode"] = code
        body["ErrorCode"] = code
    return json.dumps(body), {"status": 400}


def _result_configuration(workgroup: Any, client: dict[str, Any]) -> dict[str, Any]:
    """The settings a query runs with: the workgroup's when it enforces them, else the client's over it."""
    configuration = workgroup.configuration or {}
    own = dict(configuration.get("ResultConfiguration") or {})
    if configuration.get("EnforceWorkGroupConfiguration", True):
        return own
    return {**own, **{k: v for k, v in (client or {}).items() if v}}


def _bucket_exists(name: str) -> bool:
    from localcloud.core.authorization import bucket_named

    return bucket_named(name) is not None


def _encryption_arguments(encryption: dict[str, Any] | None) -> dict[str, Any]:
    option = (encryption or {}).get("EncryptionOption")
    if option == "SSE_S3":
        return {"ServerSideEncryption": "AES256"}
    if option == "SSE_KMS":
        arguments = {"ServerSideEncryption": "aws:kms"}
        if encryption and encryption.get("KmsKey"):
            arguments["SSEKMSKeyId"] = encryption["KmsKey"]
        return arguments
    return {}


class Runner:
    """Runs queued queries, two at a time, each as its caller."""

    def __init__(self, endpoint_url: str) -> None:
        self.endpoint_url = endpoint_url
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="athena")

    def submit(self, execution: Execution, scan_limit: int | None) -> None:
        self.pool.submit(self._run, execution, scan_limit)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    def _client(self, service: str, execution: Execution) -> Any:
        return iam.session_client(service, execution.region, self.endpoint_url, execution.credentials, CLIENT_CONFIG)

    def _run(self, execution: Execution, scan_limit: int | None) -> None:
        if execution.state != "QUEUED":
            return
        execution.started, execution.state = time.time(), "RUNNING"
        try:
            s3 = self._client("s3", execution)
            outcome = engine.Query(
                execution.query, execution.database, self._client("glue", execution), s3, scan_limit
            ).run()
            if execution.state != "RUNNING":
                return  # stopped meanwhile
            self._write(execution, s3, outcome)
            execution.columns, execution.rows, execution.scanned = outcome.columns, outcome.rows, outcome.scanned_bytes
            self._end(execution, "SUCCEEDED")
        except QueryFailed as failed:
            self._end(execution, failed.state, failed.reason, failed.error())
        except Exception as error:  # the engine's own fault: a system error Athena would retry
            failed = QueryFailed(f"GENERIC_INTERNAL_ERROR: {error}", SYSTEM, 100)
            self._end(execution, "FAILED", failed.reason, failed.error())

    @staticmethod
    def _end(execution: Execution, state: str, reason: str | None = None, error: dict[str, Any] | None = None) -> None:
        if execution.finished():
            return
        execution.reason, execution.error = reason, error
        execution.completed, execution.state = time.time(), state

    @staticmethod
    def _write(execution: Execution, s3: Any, outcome: engine.Outcome) -> None:
        bucket, key = catalog.split_url(execution.output)
        body = values.csv_line([name for name, _ in outcome.columns]) + "".join(
            values.csv_line(list(row)) for row in outcome.rows
        )
        arguments = _encryption_arguments(execution.encryption)
        if execution.expected_owner:
            arguments["ExpectedBucketOwner"] = execution.expected_owner
        try:
            s3.put_object(Bucket=bucket, Key=key, Body=body.encode("utf-8"), ContentType="text/csv", **arguments)
        except s3.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("AccessDenied", "KMS.AccessDeniedException"):
                raise QueryFailed.output_denied(execution.output) from None
            raise QueryFailed(f"Failed to write query results to {execution.output}: {error}", SYSTEM, 401) from None


def _column_info(name: str, kind: str) -> dict[str, Any]:
    athena_kind, precision, scale = values.athena_type(kind)
    return {
        "CatalogName": "hive",
        "SchemaName": "",
        "TableName": "",
        "Name": name,
        "Label": name,
        "Type": athena_kind,
        "Precision": precision,
        "Scale": scale,
        "Nullable": "UNKNOWN",
        "CaseSensitive": athena_kind in ("varchar", "char"),
    }


def _datum(value: Any) -> dict[str, str]:
    return {} if value is None else {"VarCharValue": values.text(value)}


def install(endpoint_url: str) -> Runner:
    from moto.athena.models import Execution as MotoExecution
    from moto.athena.responses import AthenaResponse

    runner = Runner(endpoint_url)

    def start_query_execution(self: AthenaResponse) -> Any:
        query = self._get_param("QueryString") or ""
        context = self._get_param("QueryExecutionContext") or {}
        name = self._get_param("WorkGroup") or "primary"
        workgroup = self.athena_backend.work_groups.get(name)
        if workgroup is None:
            return _invalid(f"WorkGroup {name} is not found.")
        if workgroup.state != "ENABLED":
            return _invalid(f"WorkGroup {name} is disabled.")
        settings = _result_configuration(workgroup, self._get_param("ResultConfiguration") or {})
        location = settings.get("OutputLocation")
        if not location:
            return _invalid(
                "No output location provided. An output location is required either through the Workgroup result "
                "configuration setting or as an API input.",
                "INVALID_INPUT",
            )
        bucket, _ = catalog.split_url(location)
        if not _bucket_exists(bucket):
            return _invalid(f"Unable to verify/create output bucket {bucket}")
        try:
            engine.parse(query)
        except engine.Malformed as malformed:
            return _invalid(str(malformed), "MALFORMED_QUERY")
        except NotEmulated as refused:
            return error_answer(self, refused, refused.status)
        execution_id = str(uuid.uuid4())
        execution = Execution(
            id=execution_id,
            query=query,
            database=(context.get("Database") or "default").lower(),
            catalog_name=context.get("Catalog") or "AwsDataCatalog",
            workgroup=name,
            output=location.rstrip("/") + f"/{execution_id}.csv",
            encryption=settings.get("EncryptionConfiguration"),
            expected_owner=settings.get("ExpectedBucketOwner"),
            credentials=iam.credentials_of(self.get_access_key()),
            region=self.region,
            account=self.current_account,
        )
        listed = MotoExecution(query, context, {}, workgroup, None)  # for ListQueryExecutions
        listed.id = execution_id
        with _lock:
            _executions[execution_id] = execution
            self.athena_backend.executions[execution_id] = listed
        cutoff = (workgroup.configuration or {}).get("BytesScannedCutoffPerQuery")
        runner.submit(execution, int(cutoff) if cutoff else None)
        return json.dumps({"QueryExecutionId": execution_id})

    def _find(execution_id: str | None) -> Execution | None:
        with _lock:
            return _executions.get(execution_id or "")

    def get_query_execution(self: AthenaResponse) -> Any:
        execution_id = self._get_param("QueryExecutionId")
        execution = _find(execution_id)
        if execution is None:
            return _invalid(f"QueryExecution {execution_id} was not found", "INVALID_INPUT")
        return json.dumps({"QueryExecution": execution.describe()})

    def batch_get_query_execution(self: AthenaResponse) -> Any:
        found, missing = [], []
        for execution_id in self._get_param("QueryExecutionIds") or []:
            execution = _find(execution_id)
            if execution is None:
                missing.append(
                    {"QueryExecutionId": execution_id, "ErrorCode": "INVALID_INPUT", "ErrorMessage": "not found"}
                )
            else:
                found.append(execution.describe())
        return json.dumps({"QueryExecutions": found, "UnprocessedQueryExecutionIds": missing})

    def get_query_results(self: AthenaResponse) -> Any:
        execution_id = self._get_param("QueryExecutionId")
        execution = _find(execution_id)
        if execution is None:
            return _invalid(f"QueryExecution {execution_id} was not found", "INVALID_INPUT")
        if execution.state in ("QUEUED", "RUNNING"):
            return _invalid(
                f"Query has not yet finished. Current state: {execution.state}", "INVALID_QUERY_EXECUTION_STATE"
            )
        if execution.state == "FAILED":
            return _invalid(
                "Query did not finish successfully. Final query state: FAILED", "INVALID_QUERY_EXECUTION_STATE"
            )
        if execution.state == "CANCELLED":
            return _invalid("Could not find results", "RESULT_NOT_FOUND")
        denied = _read_denied(self, execution)
        if denied is not None:
            return denied
        limit = int(self._get_param("MaxResults") or MAX_RESULTS)
        if limit > MAX_RESULTS:
            return _invalid(f"MaxResults is more than maximum allowed length {MAX_RESULTS}", "INVALID_INPUT")
        token = self._get_param("NextToken")
        start = 0
        if token:
            try:
                start = int(base64.b64decode(token).decode().split(":")[1])
            except (ValueError, IndexError):
                return _invalid(f"Malformed nextPageToken {token}", "INVALID_INPUT")
        header = [[name for name, _ in execution.columns]]
        table = header + [list(row) for row in execution.rows]
        page = table[start : start + limit]
        answer: dict[str, Any] = {
            "UpdateCount": 0,
            "ResultSet": {
                "Rows": [{"Data": [_datum(v) for v in row]} for row in page],
                "ResultSetMetadata": {"ColumnInfo": [_column_info(n, k) for n, k in execution.columns]},
            },
        }
        if len(page) == limit:  # a full page says there may be more, as Athena's does
            answer["NextToken"] = base64.b64encode(f"{execution.id}:{start + limit}".encode()).decode()
        return json.dumps(answer)

    def stop_query_execution(self: AthenaResponse) -> Any:
        execution = _find(self._get_param("QueryExecutionId"))
        if execution is not None and not execution.finished():
            Runner._end(execution, "CANCELLED", "Query cancelled by user")
        return json.dumps({})

    AthenaResponse.start_query_execution = start_query_execution  # type: ignore[method-assign]
    AthenaResponse.get_query_execution = get_query_execution  # type: ignore[method-assign]
    AthenaResponse.batch_get_query_execution = batch_get_query_execution  # type: ignore[attr-defined]
    AthenaResponse.get_query_results = get_query_results  # type: ignore[method-assign]
    AthenaResponse.stop_query_execution = stop_query_execution  # type: ignore[method-assign]
    _validate_workgroups()
    return runner


def _read_denied(response: Any, execution: Execution) -> Any:
    """GetQueryResults reads the result file as its caller: s3:GetObject (and the key) are needed."""
    from localcloud.core.authorization import _request_context, s3_denied

    identity = iam.identity_of(response.get_access_key())
    if identity is None:
        return None
    bucket, key = catalog.split_url(execution.output)
    denied = s3_denied(identity, "s3:GetObject", bucket, key, _request_context(response), response.region)
    if denied is None:
        return None
    return _invalid(
        "You do not seem to have access to the S3 location of your query results. Please confirm your account has "
        "access to the S3 location where your query results are saved and try again. If specifying an expected "
        "bucket owner, confirm the bucket is owned by the expected account. If you are using KMS to encrypt query "
        "results, please ensure you have permission to access your KMS key. If you continue to see this issue, "
        "please contact customer support."
    )


def _validate_workgroups() -> None:
    """CreateWorkGroup refuses a per-query scan cutoff below Athena's minimum."""
    from moto.athena.responses import AthenaResponse

    create = AthenaResponse.create_work_group

    def create_work_group(self: AthenaResponse) -> Any:
        cutoff = (self._get_param("Configuration") or {}).get("BytesScannedCutoffPerQuery")
        if cutoff is not None and int(cutoff) < MIN_SCAN_CUTOFF:
            return json.dumps(
                {
                    "__type": "InvalidRequestException",
                    "Message": f"1 validation error detected: Value '{cutoff}' at "
                    "'configuration.bytesScannedCutoffPerQuery' failed to satisfy constraint: Member must have "
                    f"value greater than or equal to {MIN_SCAN_CUTOFF}",
                }
            ), {"status": 400}
        return create(self)

    AthenaResponse.create_work_group = create_work_group  # type: ignore[method-assign]
