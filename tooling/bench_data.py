"""`make bench`'s streams-and-data figures (build/bench/athena.json, build/bench/firehose.json).

- Athena: a GROUP BY over 10 MB and 100 MB of CSV and of Parquet (the same rows), from StartQueryExecution
  to SUCCEEDED, each against the 10 MB CSV query of the same run.
- Firehose: records per second delivered to S3 through a pass-through transform, against the same stream
  without one.
"""

from __future__ import annotations

import base64
import io
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from localcloud.control import LocalCloud
from tooling.bench_kit import percentiles, zip_source

REGIONS = ("north", "south", "east", "west")
ROW = "{region},product-{n:07d},{amount:.2f}\n"
PASS_THROUGH = """
def handler(event, context):
    return {"records": [{"recordId": r["recordId"], "result": "Ok", "data": r["data"]} for r in event["records"]]}
"""


def _csv_objects(megabytes: int, object_mb: int = 10) -> list[bytes]:
    objects: list[bytes] = []
    buffer, size, n = io.StringIO(), 0, 0
    while len(objects) * object_mb + size / 1e6 < megabytes:
        line = ROW.format(region=REGIONS[n % 4], n=n, amount=(n % 10000) / 100)
        buffer.write(line)
        size += len(line)
        n += 1
        if size >= object_mb * 1_000_000:
            objects.append(buffer.getvalue().encode())
            buffer, size = io.StringIO(), 0
    if size:
        objects.append(buffer.getvalue().encode())
    return objects


def _parquet(csv_objects: list[bytes], workdir: Path) -> bytes:
    source = workdir / "rows.csv"
    source.write_bytes(b"".join(csv_objects))
    target = workdir / "rows.parquet"
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{source}', header=false, columns={{'region': 'VARCHAR', 'product': "
        f"'VARCHAR', 'amount': 'DOUBLE'}})) TO '{target}' (FORMAT parquet)"
    )
    return target.read_bytes()


def athena_query_latency(cloud: LocalCloud, runs: int = 3) -> dict[str, Any]:
    s3, glue, athena = cloud.client("s3"), cloud.client("glue"), cloud.client("athena")
    s3.create_bucket(Bucket="bench-lake")
    s3.create_bucket(Bucket="bench-results")
    glue.create_database(DatabaseInput={"Name": "bench"})
    columns = [{"Name": "region", "Type": "string"}, {"Name": "product", "Type": "string"},
               {"Name": "amount", "Type": "double"}]  # fmt: skip
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as work:
        for megabytes in (10, 100):
            csv_objects = _csv_objects(megabytes)
            tables = {
                f"csv_{megabytes}mb": (
                    csv_objects,
                    {
                        "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                        "Parameters": {"field.delim": ","},
                    },  # fmt: skip
                    "org.apache.hadoop.mapred.TextInputFormat",
                ),
                f"parquet_{megabytes}mb": (
                    [_parquet(csv_objects, Path(work))],
                    {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
                    "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                ),
            }
            for name, (objects, serde, input_format) in tables.items():
                for index, body in enumerate(objects):
                    s3.put_object(Bucket="bench-lake", Key=f"{name}/part-{index}", Body=body)
                glue.create_table(
                    DatabaseName="bench",
                    TableInput={
                        "Name": name,
                        "StorageDescriptor": {
                            "Location": f"s3://bench-lake/{name}/",
                            "Columns": columns,
                            "SerdeInfo": serde,
                            "InputFormat": input_format,
                        },
                    },
                )
                samples, scanned = [], 0
                for _ in range(runs):
                    started = time.perf_counter()
                    execution_id = athena.start_query_execution(
                        QueryString=f"SELECT region, count(*), sum(amount) FROM {name} GROUP BY region",
                        QueryExecutionContext={"Database": "bench"},
                        ResultConfiguration={"OutputLocation": "s3://bench-results/"},
                    )["QueryExecutionId"]
                    while (execution := athena.get_query_execution(QueryExecutionId=execution_id)["QueryExecution"])[
                        "Status"
                    ]["State"] in ("QUEUED", "RUNNING"):
                        time.sleep(0.02)
                    assert execution["Status"]["State"] == "SUCCEEDED", execution["Status"]
                    samples.append((time.perf_counter() - started) * 1000)
                    scanned = execution["Statistics"]["DataScannedInBytes"]
                results[name] = {**percentiles(samples), "scanned_mb": round(scanned / 1e6, 1)}
    baseline = results["csv_10mb"]["p50_ms"]
    for stats in results.values():
        stats["p50_vs_csv_10mb"] = round(stats["p50_ms"] / baseline, 2) if baseline else None
    return results


def firehose_throughput(cloud: LocalCloud, role: str, records: int = 5000) -> dict[str, Any]:
    s3, firehose, lam = cloud.client("s3"), cloud.client("firehose"), cloud.client("lambda")
    s3.create_bucket(Bucket="bench-archive")
    transform = lam.create_function(
        FunctionName="bench-pass-through", Runtime="python3.11", Role=role, Handler="fn.handler",
        Code={"ZipFile": zip_source(PASS_THROUGH)},
    )["FunctionArn"]  # fmt: skip
    iam = cloud.client("iam")
    iam.create_role(
        RoleName="bench-firehose",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "firehose.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
    )  # fmt: skip
    iam.put_role_policy(
        RoleName="bench-firehose",
        PolicyName="deliver",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:*", "lambda:InvokeFunction", "lambda:GetFunctionConfiguration"],
             "Resource": "*"}]}),
    )  # fmt: skip
    firehose_role = "arn:aws:iam::123456789012:role/bench-firehose"
    results: dict[str, Any] = {}
    for label, processing in (
        ("without_transform", None),
        ("through_transform", {"Enabled": True, "Processors": [{"Type": "Lambda", "Parameters": [
            {"ParameterName": "LambdaArn", "ParameterValue": transform},
            {"ParameterName": "BufferIntervalInSeconds", "ParameterValue": "0"}]}]}),
    ):  # fmt: skip
        destination: dict[str, Any] = {
            "RoleARN": firehose_role,
            "BucketARN": "arn:aws:s3:::bench-archive",
            "Prefix": f"{label}/",
            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 0},
        }
        if processing:
            destination["ProcessingConfiguration"] = processing
        firehose.create_delivery_stream(
            DeliveryStreamName=f"bench-{label}", DeliveryStreamType="DirectPut",
            ExtendedS3DestinationConfiguration=destination,
        )  # fmt: skip
        line = base64.b64encode(json.dumps({"sensor": "s", "value": 1.5}).encode() + b"\n")
        started = time.perf_counter()
        for offset in range(0, records, 500):
            batch = [{"Data": base64.b64decode(line)} for _ in range(min(500, records - offset))]
            firehose.put_record_batch(DeliveryStreamName=f"bench-{label}", Records=batch)
        delivered = 0
        deadline = time.monotonic() + 300
        while delivered < records and time.monotonic() < deadline:
            delivered = sum(
                s3.get_object(Bucket="bench-archive", Key=o["Key"])["Body"].read().count(b"\n")
                for o in s3.list_objects_v2(Bucket="bench-archive", Prefix=f"{label}/").get("Contents", [])
            )
            if delivered < records:
                time.sleep(0.2)
        seconds = time.perf_counter() - started
        results[label] = {"records": records, "delivered": delivered, "seconds": round(seconds, 2),
                          "records_per_s": round(delivered / seconds, 1)}  # fmt: skip
    baseline = results["without_transform"]["records_per_s"]
    results["through_transform"]["vs_without_transform"] = (
        round(results["through_transform"]["records_per_s"] / baseline, 2) if baseline else None
    )
    return results
