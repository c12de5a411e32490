"""Athena: queries over Glue tables run for real, on DuckDB, as their caller."""

from __future__ import annotations

from localcloud.extension import Context, Extension, Feature


def install(context: Context) -> None:
    from localcloud.athena import queries

    runner = queries.install(context.endpoint)
    context.on_stop(runner.shutdown)


EXTENSION = Extension(
    service="athena",
    summary="SELECT queries over Glue tables run on DuckDB as their caller; results, states and failures as Athena's",
    install=install,
    features=(
        Feature(
            title="Athena runs the query.",
            does=(
                "`StartQueryExecution` translates the SELECT from Athena's SQL with sqlglot and runs it on an "
                "embedded DuckDB over the S3 objects of the Glue tables it names, read as the caller (Glue's "
                "`GetTable`/`GetPartitions`, S3's `ListBucket`/`GetObject` and the objects' KMS keys checked): JSON "
                "(keys case-insensitive), LazySimpleSerDe and OpenCSVSerde text, Parquet, GZIP; Glue partitions and "
                "partition projection, pruned by the WHERE. The result CSV is written as the caller to the output "
                "location (the workgroup's when enforced, with its encryption); `GetQueryExecution` reports "
                "QUEUED, RUNNING, SUCCEEDED, FAILED with Athena's reason and `AthenaError` (TABLE_NOT_FOUND, "
                "COLUMN_NOT_FOUND, HIVE_BAD_DATA, Permission denied on S3 path, Access denied when writing output) "
                "or CANCELLED past the workgroup's bytes-scanned cutoff, with data scanned; `GetQueryResults` "
                "pages with the header row and Athena's types, and refuses unfinished, failed and cancelled "
                "queries and callers who cannot read the result. A statement that does not parse, a missing "
                "output location or bucket are refused at StartQueryExecution as Athena refuses them; statements "
                "other than SELECT are refused as not emulated. Glue's API is authorized on the catalog, database and "
                "table ARNs, Athena's on the workgroup's. Where Athena's SQL and DuckDB's differ: localcloud/README.md, "
                "Athena's SQL."
            ),
            moto_without=(
                "no query runs: every query SUCCEEDED at once with no rows (or rows queued by hand), nothing "
                "read, no permission checked, an empty result file written as moto"
            ),
            code=(
                "athena/queries.py",
                "athena/engine.py",
                "athena/catalog.py",
                "athena/values.py",
                "athena/failures.py",
            ),
            tests=("localcloud/athena/test_athena.py",),
        ),
    ),
)
