"""Athena through its API: queries over Glue tables really run on the S3 objects, as their caller, and end as
Athena ends them (results, failures with Athena's reasons, the scan cutoff)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import time
from collections import Counter
from typing import Any

import duckdb
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import ROOT_TRUST, make_role
from harness import client_as_role

pytestmark = pytest.mark.localcloud

JSON_SERDE = {"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe"}
TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"


def glue_table(
    aws: Any,
    database: str,
    name: str,
    location: str,
    columns: dict[str, str],
    serde: dict[str, Any] = JSON_SERDE,
    partitions: dict[str, str] | None = None,
    parameters: dict[str, str] | None = None,
    input_format: str = TEXT_INPUT,
) -> None:
    glue = aws("glue")
    try:
        glue.create_database(DatabaseInput={"Name": database})
    except glue.exceptions.AlreadyExistsException:
        pass
    glue.create_table(
        DatabaseName=database,
        TableInput={
            "Name": name,
            "TableType": "EXTERNAL_TABLE",
            "Parameters": parameters or {},
            "PartitionKeys": [{"Name": k, "Type": v} for k, v in (partitions or {}).items()],
            "StorageDescriptor": {
                "Location": location,
                "InputFormat": input_format,
                "Columns": [{"Name": k, "Type": v} for k, v in columns.items()],
                "SerdeInfo": serde,
            },
        },
    )


def put(aws: Any, bucket: str, key: str, body: bytes | str) -> int:
    data = body.encode() if isinstance(body, str) else body
    aws("s3").put_object(Bucket=bucket, Key=key, Body=data)
    return len(data)


def lines(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def finished(athena: Any, execution_id: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        execution = athena.get_query_execution(QueryExecutionId=execution_id)["QueryExecution"]
        if execution["Status"]["State"] not in ("QUEUED", "RUNNING"):
            return execution  # type: ignore[no-any-return]
        assert time.monotonic() < deadline, f"query {execution_id} never finished"
        time.sleep(0.1)


def run(athena: Any, sql: str, database: str, output: str | None, **extra: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {"QueryString": sql, "QueryExecutionContext": {"Database": database}, **extra}
    if output:
        arguments["ResultConfiguration"] = {"OutputLocation": output}
    return finished(athena, athena.start_query_execution(**arguments)["QueryExecutionId"])


def rows_of(athena: Any, execution_id: str) -> list[list[str | None]]:
    rows: list[list[str | None]] = []
    for page in athena.get_paginator("get_query_results").paginate(QueryExecutionId=execution_id):
        rows += [[d.get("VarCharValue") for d in r["Data"]] for r in page["ResultSet"]["Rows"]]
    return rows


@pytest.fixture
def lake(aws, unique) -> dict[str, str]:
    """A data bucket, a results bucket and a Glue database."""
    s3 = aws("s3")
    data, results = f"{unique}-data", f"{unique}-results"
    s3.create_bucket(Bucket=data)
    s3.create_bucket(Bucket=results)
    database = unique.replace("-", "_")
    aws("glue").create_database(DatabaseInput={"Name": database})
    return {"data": data, "results": results, "db": database, "out": f"s3://{results}/athena/"}


def test_a_query_over_json_objects_answers_what_python_computes_and_writes_athenas_csv(aws, lake):
    readings = [{"Sensor": f"s{i % 3}", "value": i, "at": f"2026-12-07 08:00:{i % 60:02d}"} for i in range(40)]
    sizes = put(aws, lake["data"], "readings/2026/12/07/a.json", lines(readings[:25]))
    sizes += put(aws, lake["data"], "readings/2026/12/07/b.json.gz", gzip.compress(lines(readings[25:]).encode()))
    put(aws, lake["data"], "readings/_SUCCESS", "not data")
    put(aws, lake["data"], "readings/.hidden.json", lines([{"sensor": "ghost", "value": 1}]))
    glue_table(aws, lake["db"], "readings", f"s3://{lake['data']}/readings/",
               {"sensor": "string", "value": "int", "at": "timestamp"})  # fmt: skip
    athena = aws("athena")

    execution = run(
        athena,
        "SELECT sensor, count(*) AS n, sum(value) AS total, avg(value) AS mean FROM readings GROUP BY sensor "
        "ORDER BY sensor",
        lake["db"],
        lake["out"],
    )

    assert execution["Status"]["State"] == "SUCCEEDED", execution["Status"]
    expected = Counter(r["Sensor"] for r in readings)
    totals = Counter()
    for r in readings:
        totals[r["Sensor"]] += r["value"]
    rows = rows_of(athena, execution["QueryExecutionId"])
    assert rows[0] == ["sensor", "n", "total", "mean"]
    assert rows[1:] == [[s, str(expected[s]), str(totals[s]), repr(totals[s] / expected[s])] for s in sorted(expected)]
    assert execution["Statistics"]["DataScannedInBytes"] == sizes
    info = athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])["ResultSet"]["ResultSetMetadata"]
    assert [(c["Name"], c["Type"]) for c in info["ColumnInfo"]] == [
        ("sensor", "varchar"),
        ("n", "bigint"),
        ("total", "bigint"),
        ("mean", "double"),
    ]
    output = execution["ResultConfiguration"]["OutputLocation"]
    assert output == f"{lake['out']}{execution['QueryExecutionId']}.csv"
    written = aws("s3").get_object(Bucket=lake["results"], Key=output.split("/", 3)[3])["Body"].read().decode()
    assert written.splitlines()[0] == '"sensor","n","total","mean"'
    assert list(csv.reader(io.StringIO(written)))[1:] == [[v or "" for v in r] for r in rows[1:]]


def test_json_keys_match_case_insensitively_missing_keys_are_null_and_a_bad_value_fails_with_hive_bad_data(aws, lake):
    put(aws, lake["data"], "t/a.json", lines([{"ID": "1", "Name": "a"}, {"id": 2}]))
    glue_table(aws, lake["db"], "t", f"s3://{lake['data']}/t/", {"id": "int", "name": "string"})
    athena = aws("athena")

    good = run(athena, "SELECT id, name FROM t ORDER BY id", lake["db"], lake["out"])
    assert rows_of(athena, good["QueryExecutionId"])[1:] == [["1", "a"], ["2", None]]

    put(aws, lake["data"], "t/b.json", lines([{"id": "0.5"}]))
    bad = run(athena, "SELECT id FROM t", lake["db"], lake["out"])
    assert bad["Status"]["State"] == "FAILED"
    assert bad["Status"]["StateChangeReason"] == (
        "HIVE_BAD_DATA: Error parsing field value '0.5' for field 0: For input string: \"0.5\""
    )
    assert bad["Status"]["AthenaError"]["ErrorCategory"] == 2
    with pytest.raises(ClientError) as refused:
        athena.get_query_results(QueryExecutionId=bad["QueryExecutionId"])
    assert refused.value.response["Error"]["Message"] == "Query did not finish successfully. Final query state: FAILED"

    put(aws, lake["data"], "t/b.json", "{not json\n")
    malformed = run(athena, "SELECT id FROM t", lake["db"], lake["out"])
    assert malformed["Status"]["StateChangeReason"].startswith(
        "HIVE_CURSOR_ERROR: Row is not a valid JSON Object - JSONException:"
    )


def test_delimited_text_reads_a_bad_number_as_null_and_opencsv_fails_on_it(aws, lake):
    put(aws, lake["data"], "plain/a.csv", "name,count\na,1\nb,x\nc,\n")
    glue_table(
        aws, lake["db"], "plain", f"s3://{lake['data']}/plain/", {"name": "string", "count": "bigint"},
        serde={"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
               "Parameters": {"field.delim": ","}},
        parameters={"skip.header.line.count": "1"},
    )  # fmt: skip
    put(aws, lake["data"], "quoted/a.csv", '"a","1"\n"b,c","x"\n')
    glue_table(
        aws, lake["db"], "quoted", f"s3://{lake['data']}/quoted/", {"name": "string", "count": "bigint"},
        serde={"SerializationLibrary": "org.apache.hadoop.hive.serde2.OpenCSVSerde"},
    )  # fmt: skip
    athena = aws("athena")

    plain = run(athena, "SELECT name, count FROM plain ORDER BY name", lake["db"], lake["out"])
    assert rows_of(athena, plain["QueryExecutionId"])[1:] == [["a", "1"], ["b", None], ["c", None]]

    quoted = run(athena, "SELECT name, count FROM quoted", lake["db"], lake["out"])
    assert quoted["Status"]["State"] == "FAILED"
    assert quoted["Status"]["StateChangeReason"] == (
        "HIVE_BAD_DATA: Error parsing field value 'x' for field 1: For input string: \"x\""
    )


def test_parquet_columns_are_matched_by_name_and_a_missing_one_is_null(aws, lake, tmp_path):
    path = tmp_path / "part.parquet"
    duckdb.sql(f"COPY (SELECT range AS Value, 'k' || range AS key FROM range(5)) TO '{path}' (FORMAT parquet)")
    put(aws, lake["data"], "pq/part-0.parquet", path.read_bytes())
    glue_table(
        aws, lake["db"], "pq", f"s3://{lake['data']}/pq/", {"key": "string", "value": "bigint", "extra": "string"},
        serde={"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
        input_format="org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    )  # fmt: skip
    athena = aws("athena")

    execution = run(
        athena,
        "SELECT key, value, extra, value / 2 AS half FROM pq WHERE value >= 3 ORDER BY value",
        lake["db"],
        lake["out"],
    )

    # Trino divides integers as integers
    assert rows_of(athena, execution["QueryExecutionId"])[1:] == [["k3", "3", None, "1"], ["k4", "4", None, "2"]]


def test_a_partitioned_table_reads_only_the_partitions_its_where_admits(aws, lake):
    glue_table(
        aws, lake["db"], "events", f"s3://{lake['data']}/events/", {"kind": "string"}, partitions={"dt": "string"}
    )
    glue = aws("glue")
    sizes = {}
    for day, count in (("2026-12-06", 2), ("2026-12-07", 3)):
        sizes[day] = put(aws, lake["data"], f"events/dt={day}/a.json", lines([{"kind": "k"}] * count))
        glue.create_partition(
            DatabaseName=lake["db"], TableName="events",
            PartitionInput={"Values": [day], "StorageDescriptor": {"Location": f"s3://{lake['data']}/events/dt={day}/"}},
        )  # fmt: skip
    put(aws, lake["data"], "events/dt=2026-12-08/a.json", lines([{"kind": "unregistered"}]))
    athena = aws("athena")

    one = run(athena, "SELECT dt, count(*) FROM events WHERE dt = '2026-12-07' GROUP BY dt", lake["db"], lake["out"])
    every = run(athena, "SELECT dt, count(*) FROM events GROUP BY dt ORDER BY dt", lake["db"], lake["out"])

    assert rows_of(athena, one["QueryExecutionId"])[1:] == [["2026-12-07", "3"]]
    assert one["Statistics"]["DataScannedInBytes"] == sizes["2026-12-07"]
    assert rows_of(athena, every["QueryExecutionId"])[1:] == [["2026-12-06", "2"], ["2026-12-07", "3"]]


def test_partition_projection_reads_the_templates_locations_within_its_range(aws, lake):
    glue_table(
        aws, lake["db"], "archive", f"s3://{lake['data']}/archive/", {"kind": "string"},
        partitions={"day": "string", "source": "string"},
        parameters={
            "projection.enabled": "true",
            "projection.day.type": "date", "projection.day.format": "yyyy/MM/dd",
            "projection.day.range": "2026/12/01,NOW",
            "projection.source.type": "injected",
            "storage.location.template": f"s3://{lake['data']}/archive/${{source}}/${{day}}/",
        },
    )  # fmt: skip
    put(aws, lake["data"], "archive/web/2026/12/06/a.json", lines([{"kind": "a"}] * 2))
    put(aws, lake["data"], "archive/web/2026/11/30/a.json", lines([{"kind": "before the range"}]))
    put(aws, lake["data"], "archive/app/2026/12/06/a.json", lines([{"kind": "other source"}]))
    athena = aws("athena")

    web = run(athena, "SELECT day, count(*) FROM archive WHERE source = 'web' GROUP BY day", lake["db"], lake["out"])
    unconstrained = run(athena, "SELECT count(*) FROM archive", lake["db"], lake["out"])

    assert rows_of(athena, web["QueryExecutionId"])[1:] == [["2026/12/06", "2"]]
    assert unconstrained["Status"]["StateChangeReason"] == (
        "CONSTRAINT_VIOLATION: Injected projected partition column source must have only (and at least one) "
        "equality conditions in the WHERE clause!"
    )


def test_missing_tables_schemas_and_columns_fail_with_athenas_reasons_and_positions(aws, lake):
    put(aws, lake["data"], "t/a.json", lines([{"id": 1}]))
    glue_table(aws, lake["db"], "t", f"s3://{lake['data']}/t/", {"id": "int"})
    athena = aws("athena")

    table = run(athena, "SELECT * FROM nothing_here", lake["db"], lake["out"])
    schema = run(athena, "SELECT * FROM nowhere.t", lake["db"], lake["out"])
    column = run(athena, "SELECT id, colour FROM t", lake["db"], lake["out"])

    assert table["Status"]["StateChangeReason"] == (
        f"TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.{lake['db']}.nothing_here' does not exist"
    )
    assert table["Status"]["AthenaError"] == {
        "ErrorCategory": 2, "ErrorType": 1301, "Retryable": False, "ErrorMessage": table["Status"]["StateChangeReason"]
    }  # fmt: skip
    assert schema["Status"]["StateChangeReason"] == "SCHEMA_NOT_FOUND: line 1:15: Schema 'nowhere' does not exist"
    assert column["Status"]["StateChangeReason"] == (
        "COLUMN_NOT_FOUND: line 1:12: Column 'colour' cannot be resolved or requester is not authorized to access "
        "requested resources"
    )
    assert column["Statistics"]["DataScannedInBytes"] == 0


def test_what_athena_refuses_before_a_query_exists(aws, lake):
    athena = aws("athena")

    def refused(**arguments: Any) -> dict[str, Any]:
        with pytest.raises(ClientError) as error:
            athena.start_query_execution(**arguments)
        return error.value.response

    malformed = refused(QueryString="SELEC 1", ResultConfiguration={"OutputLocation": lake["out"]})
    assert malformed["Error"]["Code"] == "InvalidRequestException"
    assert malformed["Error"]["Message"].startswith("line 1:1: mismatched input 'SELEC'. Expecting: 'ALTER', ")
    assert malformed["AthenaErrorCode"] == "MALFORMED_QUERY"
    nowhere = refused(QueryString="SELECT 1")
    assert nowhere["Error"]["Message"] == (
        "No output location provided. An output location is required either through the Workgroup result "
        "configuration setting or as an API input."
    )
    no_bucket = refused(QueryString="SELECT 1", ResultConfiguration={"OutputLocation": "s3://no-such-bucket-here/x/"})
    assert no_bucket["Error"]["Message"] == "Unable to verify/create output bucket no-such-bucket-here"
    ddl = refused(QueryString="CREATE DATABASE x", ResultConfiguration={"OutputLocation": lake["out"]})
    assert ddl["Error"]["Code"] == "NotImplemented"
    assert ddl["ResponseMetadata"]["HTTPStatusCode"] == 501


def test_an_enforced_workgroup_writes_where_and_how_it_says_whatever_the_client_asks(aws, lake, unique):
    athena = aws("athena")
    athena.create_work_group(
        Name=unique,
        Configuration={
            "EnforceWorkGroupConfiguration": True,
            "ResultConfiguration": {
                "OutputLocation": f"s3://{lake['results']}/enforced/",
                "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"},
            },
        },
    )

    execution = run(athena, "SELECT 1 AS one", lake["db"], f"s3://{lake['results']}/client/", WorkGroup=unique)

    assert execution["Status"]["State"] == "SUCCEEDED", execution["Status"]
    key = f"enforced/{execution['QueryExecutionId']}.csv"
    written = aws("s3").get_object(Bucket=lake["results"], Key=key)
    assert written["ServerSideEncryption"] == "AES256"
    assert written["Body"].read() == b'"one"\n"1"\n'
    assert aws("s3").list_objects_v2(Bucket=lake["results"], Prefix="client/").get("KeyCount") == 0


def test_a_query_past_the_workgroups_scan_cutoff_is_cancelled(aws, lake, unique):
    athena = aws("athena")
    unchecked = aws("athena", config=Config(parameter_validation=False))  # the SDK checks the minimum too
    with pytest.raises(ClientError) as too_low:
        unchecked.create_work_group(Name=f"{unique}-low", Configuration={"BytesScannedCutoffPerQuery": 1000})
    assert "greater than or equal to 10000000" in too_low.value.response["Error"]["Message"]
    athena.create_work_group(
        Name=unique,
        Configuration={
            "BytesScannedCutoffPerQuery": 10_000_000,
            "ResultConfiguration": {"OutputLocation": lake["out"]},
        },
    )
    row = json.dumps({"padding": "x" * 1000}) + "\n"
    put(aws, lake["data"], "big/a.json", row * 10_500)  # ~10.5 MB
    glue_table(aws, lake["db"], "big", f"s3://{lake['data']}/big/", {"padding": "string"})

    execution = run(athena, "SELECT count(*) FROM big", lake["db"], None, WorkGroup=unique)

    assert execution["Status"]["State"] == "CANCELLED"
    assert execution["Status"]["StateChangeReason"] == "Bytes scanned limit was exceeded"
    with pytest.raises(ClientError) as results:
        athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])
    assert results.value.response["Error"]["Message"] == "Could not find results"


def test_results_come_in_pages_of_at_most_1000_rows_header_first(aws, lake):
    put(aws, lake["data"], "n/a.json", lines([{"n": i} for i in range(1500)]))
    glue_table(aws, lake["db"], "n", f"s3://{lake['data']}/n/", {"n": "int"})
    athena = aws("athena")
    execution_id = run(athena, "SELECT n FROM n ORDER BY n", lake["db"], lake["out"])["QueryExecutionId"]

    first = athena.get_query_results(QueryExecutionId=execution_id)
    second = athena.get_query_results(QueryExecutionId=execution_id, NextToken=first["NextToken"])

    assert len(first["ResultSet"]["Rows"]) == 1000
    assert first["ResultSet"]["Rows"][0] == {"Data": [{"VarCharValue": "n"}]}
    assert [r["Data"][0]["VarCharValue"] for r in second["ResultSet"]["Rows"]] == [str(i) for i in range(999, 1500)]
    assert "NextToken" not in second
    with pytest.raises(ClientError) as too_many:
        athena.get_query_results(QueryExecutionId=execution_id, MaxResults=1001)
    assert too_many.value.response["Error"]["Message"] == "MaxResults is more than maximum allowed length 1000"


def test_a_query_reads_and_writes_as_its_caller(aws, lake, unique):
    put(aws, lake["data"], "t/a.json", lines([{"id": 1}]))
    glue_table(aws, lake["db"], "t", f"s3://{lake['data']}/t/", {"id": "int"})
    region, account = "us-east-1", "123456789012"
    workgroup = f"arn:aws:athena:{region}:{account}:workgroup/primary"
    glue_read = {
        "Effect": "Allow",
        "Action": ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
        "Resource": [f"arn:aws:glue:{region}:{account}:catalog", f"arn:aws:glue:{region}:{account}:database/{lake['db']}",
                     f"arn:aws:glue:{region}:{account}:table/{lake['db']}/t"],
    }  # fmt: skip
    data_read = {
        "Effect": "Allow",
        "Action": ["s3:ListBucket", "s3:GetObject"],
        "Resource": [f"arn:aws:s3:::{lake['data']}", f"arn:aws:s3:::{lake['data']}/*"],
    }
    results_write = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{lake['results']}/*"}
    results_read = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{lake['results']}/*"}
    athena_calls = {
        "Effect": "Allow",
        "Action": ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"],
        "Resource": workgroup,
    }
    iam, sts, endpoint = aws("iam"), aws("sts"), aws("s3").meta.endpoint_url

    def athena_as(name: str, *statements: dict[str, Any]) -> Any:
        return client_as_role(
            sts, endpoint, make_role(iam, f"{unique}-{name}", *statements, trust=ROOT_TRUST), "athena"
        )

    query = "SELECT id FROM t"
    everything = athena_as("all", athena_calls, glue_read, data_read, results_write, results_read)
    assert rows_of(everything, run(everything, query, lake["db"], lake["out"])["QueryExecutionId"]) == [["id"], ["1"]]

    no_data = run(athena_as("nodata", athena_calls, glue_read, results_write), query, lake["db"], lake["out"])
    assert no_data["Status"]["StateChangeReason"] == f"Permission denied on S3 path: s3://{lake['data']}/t/"

    no_glue = run(athena_as("noglue", athena_calls, data_read, results_write), query, lake["db"], lake["out"])
    assert no_glue["Status"]["State"] == "FAILED"
    assert "is not authorized to perform: glue:GetDatabase" in no_glue["Status"]["StateChangeReason"]

    no_output = run(athena_as("noout", athena_calls, glue_read, data_read), query, lake["db"], lake["out"])
    assert no_output["Status"]["StateChangeReason"].startswith(
        f"Access denied when writing output to url: {lake['out']}{no_output['QueryExecutionId']}.csv ."
    )

    cannot_read = athena_as("noread", athena_calls, glue_read, data_read, results_write)
    finished_id = run(cannot_read, query, lake["db"], lake["out"])["QueryExecutionId"]
    with pytest.raises(ClientError) as unreadable:
        cannot_read.get_query_results(QueryExecutionId=finished_id)
    assert unreadable.value.response["Error"]["Message"].startswith(
        "You do not seem to have access to the S3 location of your query results."
    )

    other_workgroup = athena_as("otherwg", {**athena_calls, "Resource": workgroup.replace("primary", "other")})
    with pytest.raises(ClientError) as denied:
        other_workgroup.start_query_execution(QueryString=query, ResultConfiguration={"OutputLocation": lake["out"]})
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"


def test_results_under_the_workgroups_customer_managed_key_need_the_callers_key_permissions(aws, lake, unique):
    key = aws("kms").create_key(Description="athena results")["KeyMetadata"]["Arn"]
    athena = aws("athena")
    athena.create_work_group(
        Name=unique,
        Configuration={
            "EnforceWorkGroupConfiguration": True,
            "ResultConfiguration": {
                "OutputLocation": lake["out"],
                "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS", "KmsKey": key},
            },
        },
    )
    calls = {
        "Effect": "Allow",
        "Action": ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"],
        "Resource": f"arn:aws:athena:us-east-1:123456789012:workgroup/{unique}",
    }
    results = {
        "Effect": "Allow",
        "Action": ["s3:PutObject", "s3:GetObject"],
        "Resource": f"arn:aws:s3:::{lake['results']}/*",
    }
    use_key = {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": key}
    iam, sts, endpoint = aws("iam"), aws("sts"), aws("s3").meta.endpoint_url
    without_key = client_as_role(
        sts, endpoint, make_role(iam, f"{unique}-nokey", calls, results, trust=ROOT_TRUST), "athena"
    )
    with_key = client_as_role(
        sts, endpoint, make_role(iam, f"{unique}-key", calls, results, use_key, trust=ROOT_TRUST), "athena"
    )

    refused = run(without_key, "SELECT 1 AS one", lake["db"], None, WorkGroup=unique)
    written = run(with_key, "SELECT 1 AS one", lake["db"], None, WorkGroup=unique)

    assert refused["Status"]["StateChangeReason"].startswith("Access denied when writing output to url:")
    assert written["Status"]["State"] == "SUCCEEDED", written["Status"]
    stored = aws("s3").head_object(Bucket=lake["results"], Key=f"athena/{written['QueryExecutionId']}.csv")
    assert (stored["ServerSideEncryption"], stored["SSEKMSKeyId"]) == ("aws:kms", key)
    assert rows_of(with_key, written["QueryExecutionId"]) == [["one"], ["1"]]
