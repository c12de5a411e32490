"""Types and values as Athena shows them: Glue column types into DuckDB's, DuckDB's results into Athena's
type names and text (`GetQueryResults`' `VarCharValue`, the result CSV)."""

from __future__ import annotations

import datetime
import decimal
import re
from typing import Any

_SIMPLE_TO_DUCKDB = {
    "string": "VARCHAR",
    "varchar": "VARCHAR",
    "char": "VARCHAR",
    "boolean": "BOOLEAN",
    "tinyint": "TINYINT",
    "smallint": "SMALLINT",
    "int": "INTEGER",
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "float": "REAL",
    "real": "REAL",
    "double": "DOUBLE",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "binary": "BLOB",
}


class BadType(ValueError):
    """A Glue column type Athena would not read."""


def _split_top(text: str) -> list[str]:
    """Split `a:int,b:map<string,int>` at the commas outside angle brackets."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "<(":
            depth += 1
        elif char in ">)":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def duckdb_type(glue_type: str) -> str:
    """A Glue (Hive) column type as DuckDB spells it: `array<struct<a:int>>` -> `STRUCT("a" INTEGER)[]`."""
    text = glue_type.strip()
    lower = text.lower()
    if lower.startswith("array<") and lower.endswith(">"):
        return f"{duckdb_type(text[6:-1])}[]"
    if lower.startswith("map<") and lower.endswith(">"):
        key, value = _split_top(text[4:-1])
        return f"MAP({duckdb_type(key)}, {duckdb_type(value)})"
    if lower.startswith("struct<") and lower.endswith(">"):
        fields = []
        for part in _split_top(text[7:-1]):
            name, _, kind = part.partition(":")
            fields.append(f'"{name.strip().lower()}" {duckdb_type(kind)}')
        return f"STRUCT({', '.join(fields)})"
    match = re.fullmatch(r"decimal\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)", lower)
    if match:
        return f"DECIMAL({match.group(1)}, {match.group(2) or 0})"
    if lower == "decimal":
        return "DECIMAL(10, 0)"
    base = re.sub(r"\(.*\)$", "", lower).strip()
    if base not in _SIMPLE_TO_DUCKDB:
        raise BadType(glue_type)
    return _SIMPLE_TO_DUCKDB[base]


def athena_type(duckdb_type_name: str) -> tuple[str, int, int]:
    """DuckDB's result column type as Athena names it, with its precision and scale."""
    name = duckdb_type_name.upper()
    if name.endswith("[]"):
        return "array", 0, 0
    if name.startswith("STRUCT"):
        return "row", 0, 0
    if name.startswith("MAP"):
        return "map", 0, 0
    match = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", name)
    if match:
        return "decimal", int(match.group(1)), int(match.group(2))
    mapped = {
        "VARCHAR": ("varchar", 2147483647),
        "BOOLEAN": ("boolean", 0),
        "TINYINT": ("tinyint", 3),
        "SMALLINT": ("smallint", 5),
        "INTEGER": ("integer", 10),
        "BIGINT": ("bigint", 19),
        "HUGEINT": ("bigint", 19),  # DuckDB sums integers wider; Athena's sum is a bigint
        "UBIGINT": ("bigint", 19),
        "UINTEGER": ("bigint", 19),
        "FLOAT": ("float", 17),
        "DOUBLE": ("double", 17),
        "DATE": ("date", 0),
        "TIMESTAMP": ("timestamp", 3),
        "TIMESTAMP WITH TIME ZONE": ("timestamp with time zone", 3),
        "TIME": ("time", 3),
        "BLOB": ("varbinary", 2147483647),
        "INTERVAL": ("interval day to second", 0),
        "UUID": ("uuid", 0),
        "JSON": ("json", 0),
    }.get(name)
    if mapped is None:
        return name.lower(), 0, 0
    return mapped[0], mapped[1], 0


def _double(value: float) -> str:
    """Java's Double.toString, which Athena's text follows: 1.0, 0.5, 1.0E10, NaN, Infinity."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0.0" if str(value)[0] != "-" else "-0.0"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e7:
        return repr(value)  # Python's shortest round-trip digits, as Java's; always with a "."
    for digits in range(17):  # the fewest digits that give the value back
        mantissa, exponent = f"{value:.{digits}e}".split("e")
        if float(f"{mantissa}e{exponent}") == value:
            break
    return f"{mantissa if '.' in mantissa else mantissa + '.0'}E{int(exponent)}"


def text(value: Any) -> str:
    """A value as Athena writes it in `VarCharValue` and the result CSV (callers skip NULLs)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _double(value)
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime):
        base = value.strftime("%Y-%m-%d %H:%M:%S")
        return f"{base}.{value.microsecond // 1000:03d}" + (
            f" {value.tzname()}" if value.tzinfo is not None and value.tzname() else ""
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return " ".join(f"{b:02x}" for b in bytes(value))
    if isinstance(value, list):
        return "[" + ", ".join("null" if v is None else text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={'null' if v is None else text(v)}" for k, v in value.items()) + "}"
    return str(value)


def csv_line(values: list[Any]) -> str:
    """One line of Athena's result CSV: every value quoted (quotes doubled), NULL left empty."""
    return ",".join("" if v is None else '"' + text(v).replace('"', '""') + '"' for v in values) + "\n"
