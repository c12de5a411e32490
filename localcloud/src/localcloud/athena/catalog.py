"""What a query reads: a Glue table's columns and format, and the S3 objects of each of its partitions.

Everything is read as the caller, through the server, as Athena reads with the caller's credentials: the
table and its partitions from Glue (`glue:GetTable`, `glue:GetPartitions`), the objects from S3
(`s3:ListBucket`, `s3:GetObject`, and `kms:Decrypt` for an object under a customer managed key).

- A table without partition keys reads every object under its location, in sub-folders too.
- A partitioned table reads its Glue partitions' locations, or with partition projection
  (`projection.enabled`) the locations the projection describes: `storage.location.template`, or
  `<location>/<key>=<value>/` by default, keeping the values the projection's type and range admit.
- Objects whose names start with `_` or `.`, and folder markers, are not data.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from localcloud.athena.failures import QueryFailed

JSON_SERDES = ("org.openx.data.jsonserde.JsonSerDe", "org.apache.hive.hcatalog.data.JsonSerDe")
DELIMITED_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
OPEN_CSV_SERDE = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"


@dataclass(frozen=True)
class Column:
    name: str
    glue_type: str


@dataclass(frozen=True)
class S3Object:
    bucket: str
    key: str
    size: int

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


@dataclass
class Slice:
    """A partition (or a whole unpartitioned table): its values for the partition keys and its objects."""

    values: tuple[str, ...]
    location: str
    objects: list[S3Object] = field(default_factory=list)


@dataclass
class Table:
    database: str
    name: str
    location: str
    serde: str
    serde_params: dict[str, str]
    params: dict[str, str]
    input_format: str
    columns: list[Column]
    partition_keys: list[Column]

    @property
    def kind(self) -> str:
        """json, delimited, opencsv or parquet; anything else is refused when the query runs."""
        if self.serde in JSON_SERDES:
            return "json"
        if self.serde == DELIMITED_SERDE:
            return "delimited"
        if self.serde == OPEN_CSV_SERDE:
            return "opencsv"
        if self.serde == PARQUET_SERDE or self.input_format == PARQUET_INPUT:
            return "parquet"
        return ""

    @property
    def projected(self) -> bool:
        return self.params.get("projection.enabled", "").lower() == "true"


def split_url(url: str) -> tuple[str, str]:
    rest = url.split("://", 1)[1] if "://" in url else url
    bucket, _, prefix = rest.partition("/")
    return bucket, prefix


def _columns(items: list[dict[str, Any]] | None) -> list[Column]:
    return [Column(c["Name"].lower(), c.get("Type") or "string") for c in items or []]


def table(glue: Any, database: str, name: str, line: str) -> Table:
    """The Glue table `database.name`, read as the caller; TABLE_NOT_FOUND/SCHEMA_NOT_FOUND as Athena says."""
    try:
        glue.get_database(Name=database)
    except glue.exceptions.EntityNotFoundException:
        raise QueryFailed.user(f"SCHEMA_NOT_FOUND: {line}: Schema '{database}' does not exist") from None
    except glue.exceptions.ClientError as error:
        raise QueryFailed.from_glue(error) from None
    try:
        found = glue.get_table(DatabaseName=database, Name=name)["Table"]
    except glue.exceptions.EntityNotFoundException:
        raise QueryFailed.user(
            f"TABLE_NOT_FOUND: {line}: Table 'awsdatacatalog.{database}.{name}' does not exist"
        ) from None
    except glue.exceptions.ClientError as error:
        raise QueryFailed.from_glue(error) from None
    storage = found.get("StorageDescriptor") or {}
    serde = storage.get("SerdeInfo") or {}
    location = storage.get("Location") or ""
    return Table(
        database=database,
        name=name,
        location=location if location.endswith("/") or not location else location + "/",
        serde=serde.get("SerializationLibrary") or "",
        serde_params={k.lower(): v for k, v in (serde.get("Parameters") or {}).items()},
        params={k: v for k, v in (found.get("Parameters") or {}).items()},
        input_format=storage.get("InputFormat") or "",
        columns=_columns(storage.get("Columns")),
        partition_keys=_columns(found.get("PartitionKeys")),
    )


def list_objects(s3: Any, location: str) -> list[S3Object]:
    """The data objects under a location, as the caller (Permission denied on S3 path, as Athena says)."""
    bucket, prefix = split_url(location)
    found: list[S3Object] = []
    try:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents") or []:
                key = item["Key"]
                base = key.rsplit("/", 1)[-1]
                if key.endswith("/") or not base or base[0] in "_." or key.endswith("_$folder$"):
                    continue
                if any(part.startswith(("_", ".")) for part in key[len(prefix) :].split("/")[:-1]):
                    continue
                found.append(S3Object(bucket, key, int(item.get("Size") or 0)))
    except s3.exceptions.ClientError as error:
        raise QueryFailed.from_s3(error, location) from None
    return found


def slices(table: Table, glue: Any, s3: Any) -> list[Slice]:
    """The table's partitions (or itself) with their objects."""
    if not table.partition_keys:
        return [Slice((), table.location, list_objects(s3, table.location))]
    if table.projected:
        return _projected(table, s3)
    found: list[Slice] = []
    try:
        pages = glue.get_paginator("get_partitions").paginate(DatabaseName=table.database, TableName=table.name)
        for page in pages:
            for partition in page.get("Partitions") or []:
                location = (partition.get("StorageDescriptor") or {}).get("Location") or ""
                location = location if location.endswith("/") else location + "/"
                found.append(Slice(tuple(partition.get("Values") or ()), location, list_objects(s3, location)))
    except glue.exceptions.ClientError as error:
        raise QueryFailed.from_glue(error) from None
    return found


def _projected(table: Table, s3: Any) -> list[Slice]:
    keys = [c.name for c in table.partition_keys]
    template = table.params.get("storage.location.template") or (
        table.location + "".join(f"{k}=${{{k}}}/" for k in keys)
    )
    if not template.endswith("/"):
        template += "/"
    constant = template.split("${", 1)[0]
    pattern = re.escape(template)
    for index, key in enumerate(keys):
        pattern = pattern.replace(re.escape(f"${{{key}}}"), f"(?P<k{index}>{_value_pattern(table.params, key)})", 1)
    matcher = re.compile(pattern)
    by_values: dict[tuple[str, ...], Slice] = {}
    for item in list_objects(s3, constant):
        match = matcher.match(item.url)
        if match is None:
            continue
        values = tuple(match.group(f"k{i}") for i in range(len(keys)))
        if not all(_admitted(table.params, key, value) for key, value in zip(keys, values, strict=True)):
            continue
        location = match.group(0)
        by_values.setdefault(values, Slice(values, location)).objects.append(item)
    return [by_values[v] for v in sorted(by_values)]


_JAVA_TO_STRPTIME = (
    ("yyyy", "%Y"), ("yy", "%y"), ("MM", "%m"), ("dd", "%d"), ("HH", "%H"), ("mm", "%M"), ("ss", "%S"),
)  # fmt: skip
_UNITS = {"YEARS": 365 * 86400, "MONTHS": 31 * 86400, "WEEKS": 7 * 86400, "DAYS": 86400, "HOURS": 3600,
          "MINUTES": 60, "SECONDS": 1}  # fmt: skip


def _value_pattern(params: dict[str, str], key: str) -> str:
    """What a projected value looks like in a key: a date in its format (which may hold "/"), else one segment."""
    if params.get(f"projection.{key}.type", "").lower() != "date":
        return "[^/]+"
    pattern = re.escape(params.get(f"projection.{key}.format", "yyyy-MM-dd"))
    for token, digits in (("yyyy", 4), ("yy", 2), ("MM", 2), ("dd", 2), ("HH", 2), ("mm", 2), ("ss", 2)):
        pattern = pattern.replace(token, rf"\d{{{digits}}}")
    return pattern


def _strptime_format(java: str) -> str:
    result = java
    for token, replacement in _JAVA_TO_STRPTIME:
        result = result.replace(token, replacement)
    return result


def _date_bound(text: str, fmt: str) -> datetime.datetime:
    """A range end, at the format's own granularity (NOW with a day format is today)."""
    text = text.strip()
    match = re.fullmatch(r"NOW\s*(?:([+-])\s*(\d+)\s*([A-Z]+))?", text.upper())
    if not match:
        return datetime.datetime.strptime(text, fmt)
    moment = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    if match.group(1):
        seconds = int(match.group(2)) * _UNITS.get(match.group(3).rstrip("S") + "S", 86400)
        moment += datetime.timedelta(seconds=seconds if match.group(1) == "+" else -seconds)
    return datetime.datetime.strptime(moment.strftime(fmt), fmt)


def _admitted(params: dict[str, str], key: str, value: str) -> bool:
    """Whether a projected partition value is one the projection's type and range produce."""
    kind = params.get(f"projection.{key}.type", "").lower()
    bounds = params.get(f"projection.{key}.range") or params.get(f"projection.{key}.values") or ""
    if kind == "enum":
        return value in [v.strip() for v in bounds.split(",")]
    if kind == "integer":
        low, _, high = bounds.partition(",")
        try:
            return int(low) <= int(value) <= int(high)
        except ValueError:
            return False
    if kind == "date":
        fmt = _strptime_format(params.get(f"projection.{key}.format", "yyyy-MM-dd"))
        low, _, high = bounds.partition(",")
        try:
            moment = datetime.datetime.strptime(value, fmt)
            return _date_bound(low, fmt) <= moment <= _date_bound(high, fmt)
        except ValueError:
            return False
    return kind == "injected"
