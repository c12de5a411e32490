"""A query run for real: Athena's SQL (Trino's dialect) translated by sqlglot, the Glue tables it names loaded
from their S3 objects into an in-memory DuckDB, and the query executed there.

Tables are read as Athena's SerDes read them:
- JSON (OpenX and Hive): one object per line, keys matched case-insensitively, missing keys NULL; a line that
  is not a JSON object fails the query (HIVE_CURSOR_ERROR) unless `ignore.malformed.json` is true; a value
  that does not fit its column fails it (HIVE_BAD_DATA).
- LazySimpleSerDe text: `field.delim` (Ctrl-A by default), no quoting, `\\N` is NULL, a value that does not
  parse as its column's type is NULL, missing trailing fields NULL; `skip.header.line.count` honoured.
- OpenCSVSerde: `separatorChar`, `quoteChar`, `escapeChar`; a value that does not fit its column fails.
- Parquet: columns matched by name case-insensitively; a missing column is NULL.
GZIP objects (`.gz`) are read transparently. A partitioned table's partitions are pruned by the conditions on
its partition keys in the query's WHERE, so only their objects are read and counted as scanned.
"""

from __future__ import annotations

import gzip
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from localcloud.athena import catalog, values
from localcloud.athena.failures import QueryFailed
from localcloud.core.not_emulated import NotEmulated


@dataclass
class Outcome:
    columns: list[tuple[str, str]]  # (name, DuckDB type)
    rows: list[tuple[Any, ...]]
    scanned_bytes: int


def position(sql: str, offset: int) -> str:
    """Trino's `line L:C` for a character offset of the query."""
    before = sql[:offset]
    return f"line {before.count(chr(10)) + 1}:{offset - (before.rfind(chr(10)) + 1) + 1}"


def _start(node: exp.Expression) -> int:
    for part in (node.args.get("catalog"), node.args.get("db"), node.this):
        meta = getattr(part, "meta", None) or {}
        if "start" in meta:
            return int(meta["start"])
    return 0


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class _Reference:
    node: exp.Table
    database: str
    name: str


class Malformed(ValueError):
    """A statement Athena refuses at StartQueryExecution (MALFORMED_QUERY), before any execution exists."""


# What a Trino statement may start with, as its parser lists them when the first word is none of these.
_STATEMENTS = (
    "ALTER", "ANALYZE", "CALL", "COMMENT", "COMMIT", "CREATE", "DEALLOCATE", "DELETE", "DENY", "DESC", "DESCRIBE",
    "DROP", "EXECUTE", "EXPLAIN", "GRANT", "INSERT", "MERGE", "PREPARE", "REFRESH", "RESET", "REVOKE", "ROLLBACK",
    "SET", "SHOW", "START", "TRUNCATE", "UNLOAD", "UPDATE", "USE",
)  # fmt: skip
_QUERY_STARTS = ("SELECT", "WITH", "VALUES", "TABLE", "(")


def _first_word(sql: str) -> None:
    match = re.match(r"\s*(\(|[^\s(;]+)", sql)
    word = match.group(1) if match else ""
    if word.upper() not in _STATEMENTS + _QUERY_STARTS:
        offset = match.start(1) if match else 0
        expecting = ", ".join(f"'{w}'" for w in _STATEMENTS)
        raise Malformed(f"{position(sql, offset)}: mismatched input '{word}'. Expecting: {expecting}, <query>")


def parse(sql: str) -> exp.Query:
    """The one SELECT statement of a query; Malformed as Athena words it, NotEmulated for other statements."""
    _first_word(sql)
    try:
        statements = [s for s in sqlglot.parse(sql, read="athena") if s is not None]
    except sqlglot.errors.ParseError as error:
        detail = error.errors[0] if error.errors else {}
        token = str(detail.get("highlight") or "").strip()
        line, end = int(detail.get("line") or 1), int(detail.get("col") or 1)
        raise Malformed(
            f"line {line}:{max(end - len(token) + 1, 1)}: mismatched input '{token}'. "
            f"{detail.get('description') or 'Invalid expression'}"
        ) from None
    except sqlglot.errors.SqlglotError as error:
        raise Malformed(f"line 1:1: {error}") from None
    if len(statements) != 1:
        raise Malformed(f"Only one sql statement is allowed. Got: {sql}")
    statement = statements[0]
    if not isinstance(statement, exp.Query):
        raise NotEmulated(
            "athena",
            f"StartQueryExecution of a {statement.key.upper()} statement (it runs SELECT queries over "
            "tables defined in Glue)",
        )
    return statement


class Query:
    """One statement: its tables located and loaded, then run."""

    def __init__(self, sql: str, database: str, glue: Any, s3: Any, scan_limit: int | None) -> None:
        self.sql, self.database, self.glue, self.s3, self.scan_limit = sql, database.lower(), glue, s3, scan_limit

    def run(self) -> Outcome:
        tree = parse(self.sql)
        references = self._references(tree)
        loaded: dict[tuple[str, str], tuple[catalog.Table, list[catalog.Slice]]] = {}
        for reference in references:
            key = (reference.database, reference.name)
            if key in loaded:
                continue
            line = position(self.sql, _start(reference.node))
            table = catalog.table(self.glue, reference.database, reference.name, line)
            if not table.kind:
                raise QueryFailed.user(
                    f"NOT_SUPPORTED: the local cloud does not read tables with SerDe '{table.serde}' "
                    f"(it reads JSON, LazySimpleSerDe and OpenCSVSerde text, and Parquet)"
                )
            slices = self._pruned(table, catalog.slices(table, self.glue, self.s3), references, tree)
            loaded[key] = (table, slices)
        scanned = sum(o.size for _, slices in loaded.values() for s in slices for o in s.objects)
        if self.scan_limit is not None and scanned > self.scan_limit:
            raise QueryFailed.scan_limit()
        # Trino divides integers as integers
        connection = duckdb.connect(config={"threads": 2, "integer_division": True})
        with tempfile.TemporaryDirectory(prefix="localcloud-athena-") as workdir:
            for table, slices in loaded.values():
                _Loader(connection, table, Path(workdir), self.s3).load(slices)
            for reference in references:
                reference.node.set("catalog", None)
                reference.node.set("db", exp.to_identifier(reference.database, quoted=True))
                reference.node.set("this", exp.to_identifier(reference.name, quoted=True))
            translated = tree.sql(dialect="duckdb")
            try:
                cursor = connection.execute(translated)
                rows = cursor.fetchall()
            except duckdb.Error as error:
                raise self._failure(error) from None
            columns = [(d[0], str(d[1])) for d in cursor.description or []]
        connection.close()
        return Outcome(columns, rows, scanned)

    def _references(self, tree: exp.Expression) -> list[_Reference]:
        ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
        found: list[_Reference] = []
        for node in tree.find_all(exp.Table):
            if not isinstance(node.this, exp.Identifier):
                continue  # a table function (UNNEST, VALUES ...)
            name = node.name.lower()
            if not node.args.get("db") and name in ctes:
                continue
            catalog_name = node.catalog.lower() if node.catalog else "awsdatacatalog"
            if catalog_name != "awsdatacatalog":
                raise QueryFailed.user(
                    f"CATALOG_NOT_FOUND: {position(self.sql, _start(node))}: Catalog '{catalog_name}' does not exist"
                )
            found.append(_Reference(node, (node.db or self.database).lower(), name))
        return found

    def _pruned(
        self, table: catalog.Table, slices: list[catalog.Slice], references: list[_Reference], tree: exp.Expression
    ) -> list[catalog.Slice]:
        """Keep the partitions the WHERE of every select reading this table admits (all, when any reading
        select has no condition only on partition keys)."""
        if not table.partition_keys or not slices:
            return slices
        keys = {c.name for c in table.partition_keys}
        kept: set[int] = set()
        for reference in references:
            if (reference.database, reference.name) != (table.database, table.name):
                continue
            select = reference.node.find_ancestor(exp.Select)
            where = select.args.get("where") if select is not None else None
            names = {reference.name, (reference.node.alias or "").lower()} - {""}
            conditions = [
                c
                for c in (list(where.this.flatten()) if isinstance(where.this, exp.And) else [where.this])
                if _only_keys(c, keys, names)
            ] if where is not None else []  # fmt: skip
            for key in _injected(table):
                if not any(isinstance(c, exp.EQ) and c.find(exp.Column).name.lower() == key for c in conditions):
                    raise QueryFailed.user(
                        f"CONSTRAINT_VIOLATION: Injected projected partition column {key} must have only (and at "
                        "least one) equality conditions in the WHERE clause!"
                    )
            if not conditions:
                return slices
            kept |= _admitted(table, slices, conditions)
        return [s for i, s in enumerate(slices) if i in kept]

    def _failure(self, error: duckdb.Error) -> QueryFailed:
        message = str(error).split("\n")[0]
        column = re.search(r'Referenced column "([^"]+)" not found', message)
        if column:
            name = column.group(1)
            offset = next(
                (int(c.this.meta.get("start", 0)) for c in parse(self.sql).find_all(exp.Column) if c.name == name), 0
            )
            return QueryFailed.user(
                f"COLUMN_NOT_FOUND: {position(self.sql, offset)}: Column '{name}' cannot be resolved or requester "
                "is not authorized to access requested resources"
            )
        function = re.search(r"Function with name (\w+) does not exist", message)
        if function:
            return QueryFailed.user(f"FUNCTION_NOT_FOUND: line 1:1: Function '{function.group(1)}' not registered")
        if isinstance(error, duckdb.ConversionException):
            return QueryFailed.user(f"INVALID_CAST_ARGUMENT: {message.removeprefix('Conversion Error: ')}")
        if isinstance(error, duckdb.BinderException):
            return QueryFailed.user(f"TYPE_MISMATCH: line 1:1: {message.removeprefix('Binder Error: ')}")
        return QueryFailed.user(f"GENERIC_USER_ERROR: {message}")


def _injected(table: catalog.Table) -> list[str]:
    if not table.projected:
        return []
    return [c.name for c in table.partition_keys if table.params.get(f"projection.{c.name}.type", "") == "injected"]


def _only_keys(condition: exp.Expression, keys: set[str], names: set[str]) -> bool:
    columns = list(condition.find_all(exp.Column))
    if not columns or condition.find(exp.Subquery, exp.Select):
        return False
    return all(c.name.lower() in keys and (not c.table or c.table.lower() in names) for c in columns)


def _admitted(table: catalog.Table, slices: list[catalog.Slice], conditions: list[exp.Expression]) -> set[int]:
    keys = [c.name for c in table.partition_keys]
    connection = duckdb.connect()
    try:
        columns = ", ".join(
            f"TRY_CAST(v{i} AS {values.duckdb_type(c.glue_type)}) AS {_quote(c.name)}"
            for i, c in enumerate(table.partition_keys)
        )
        rows = ", ".join(
            "(" + ", ".join([str(index)] + [_literal(v) for v in s.values]) + ")" for index, s in enumerate(slices)
        )
        names = ", ".join(["idx"] + [f"v{i}" for i in range(len(keys))])
        condition = " AND ".join(
            c.copy()
            .transform(lambda n: exp.column(n.name.lower(), quoted=True) if isinstance(n, exp.Column) else n)
            .sql(dialect="duckdb")
            for c in conditions
        )
        found = connection.execute(
            f"SELECT idx FROM (SELECT idx, {columns} FROM (VALUES {rows}) AS p({names})) WHERE {condition}"
        ).fetchall()
        return {int(r[0]) for r in found}
    except duckdb.Error:
        return set(range(len(slices)))  # a condition the partitions alone cannot decide: read them all
    finally:
        connection.close()


_INTEGER = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT")
_NESTED = ("[]", "STRUCT(", "MAP(")


def _converted(raw: str, kind: str) -> str:
    """A raw text value as its column's type, NULL where the SerDe could not parse it (Hive parses integers
    as digits only: DuckDB's cast alone would round "0.5")."""
    if kind == "VARCHAR":
        return raw
    if kind in _INTEGER:
        return f"CASE WHEN regexp_full_match(trim({raw}), '[+-]?[0-9]+') THEN TRY_CAST(trim({raw}) AS {kind}) END"
    return f"TRY_CAST({raw} AS {kind})"


class _Loader:
    """Reads one table's objects into a DuckDB table named `"database"."name"`.

    Each format gives its rows as raw columns (text, or typed where nested); each is converted to its column's
    type. A SerDe that fails on bad data (JSON, OpenCSV) fails the query naming the first bad value, as
    HIVE_BAD_DATA does; LazySimpleSerDe reads it as NULL.
    """

    def __init__(self, connection: Any, table: catalog.Table, workdir: Path, s3: Any) -> None:
        self.connection, self.table, self.workdir, self.s3 = connection, table, workdir, s3
        self.types = [values.duckdb_type(c.glue_type) for c in table.columns]
        self.key_types = [values.duckdb_type(c.glue_type) for c in table.partition_keys]
        self.strict = table.kind in ("json", "opencsv")

    @property
    def target(self) -> str:
        return f"{_quote(self.table.database)}.{_quote(self.table.name)}"

    def load(self, slices: list[catalog.Slice]) -> None:
        self.connection.execute(f"CREATE SCHEMA IF NOT EXISTS {_quote(self.table.database)}")
        definition = ", ".join(
            f"{_quote(c.name)} {t}"
            for c, t in zip(self.table.columns + self.table.partition_keys, self.types + self.key_types, strict=True)
        )
        self.connection.execute(f"CREATE TABLE IF NOT EXISTS {self.target} ({definition})")
        for number, piece in enumerate(slices):
            files = [self._download(item, f"{number}-{index}") for index, item in enumerate(piece.objects)]
            source = getattr(self, f"_{self.table.kind}")(files) if files else None
            if source is None:
                continue
            raws = [f"r{i}" for i in range(len(self.types))]
            converted = [
                raw if any(m in kind for m in _NESTED) else _converted(raw, kind)
                for raw, kind in zip(raws, self.types, strict=True)
            ]
            if self.table.kind == "parquet":  # typed already: a column that does not fit fails the insert
                converted = [f"CAST({raw} AS {kind})" for raw, kind in zip(raws, self.types, strict=True)]
            if self.strict:
                self._refuse_bad_data(source, raws, converted)
            constants = [
                f"TRY_CAST({_literal(value)} AS {kind})"
                for value, kind in zip(piece.values, self.key_types, strict=True)
            ]
            try:
                self.connection.execute(
                    f"INSERT INTO {self.target} SELECT {', '.join(converted + constants)} FROM {source}"
                )
            except duckdb.Error as error:
                raise QueryFailed.user(f"HIVE_BAD_DATA: {str(error).splitlines()[0]}") from None

    def _refuse_bad_data(self, source: str, raws: list[str], converted: list[str]) -> None:
        checks = [(i, r, c) for i, (r, c) in enumerate(zip(raws, converted, strict=True)) if r != c]
        if not checks:
            return
        bad = " OR ".join(f"({r} IS NOT NULL AND ({c}) IS NULL)" for _, r, c in checks)
        try:
            found = self.connection.execute(
                f"SELECT {', '.join(f'CASE WHEN {r} IS NOT NULL AND ({c}) IS NULL THEN {r} END' for _, r, c in checks)} "
                f"FROM {source} WHERE {bad} LIMIT 1"
            ).fetchone()
        except duckdb.Error as error:
            raise QueryFailed.user(f"HIVE_BAD_DATA: {str(error).splitlines()[0]}") from None
        if found is None:
            return
        field, value = next((i, v) for (i, _, _), v in zip(checks, found, strict=True) if v is not None)
        raise QueryFailed.user(
            f"HIVE_BAD_DATA: Error parsing field value '{value}' for field {field}: For input string: \"{value}\""
        )

    def _download(self, item: catalog.S3Object, stem: str) -> Path:
        suffix = "".join(Path(item.key).suffixes[-2:]) if item.key.endswith(".gz") else Path(item.key).suffix
        path = self.workdir / f"{self.table.database}.{self.table.name}.{stem}{suffix}"
        try:
            body = self.s3.get_object(Bucket=item.bucket, Key=item.key)["Body"].read()
        except self.s3.exceptions.ClientError as error:
            raise QueryFailed.from_s3(error, item.url) from None
        path.write_bytes(body)
        return path

    @staticmethod
    def _files(files: list[Path]) -> str:
        return "[" + ", ".join(_literal(str(f)) for f in files) + "]"

    def _json(self, files: list[Path]) -> str | None:
        names = [c.name for c in self.table.columns]
        ignore_malformed = self.table.serde_params.get("ignore.malformed.json", "").lower() == "true"
        normalized = (
            self.workdir / f"{self.table.database}.{self.table.name}.{len(list(self.workdir.iterdir()))}.ndjson"
        )
        lines = 0
        with normalized.open("w", encoding="utf-8") as out:
            for file in files:
                raw = file.read_bytes()
                text = (gzip.decompress(raw) if file.suffix == ".gz" else raw).decode("utf-8", errors="replace")
                for line in text.splitlines():
                    if not line.strip():
                        continue
                    try:
                        row = json.loads(line)
                        if not isinstance(row, dict):
                            raise ValueError("A JSONObject text must begin with '{'")
                        row = _lower_keys(row)
                    except ValueError as error:
                        if not ignore_malformed:
                            raise QueryFailed.user(
                                f"HIVE_CURSOR_ERROR: Row is not a valid JSON Object - JSONException: {error}"
                            ) from None
                        row = {}
                    out.write(json.dumps({f"r{i}": _scalar_text(row.get(n)) for i, n in enumerate(names)}) + "\n")
                    lines += 1
        if not lines:
            return None
        columns = ", ".join(
            f"'r{i}': {_literal(t if any(m in t for m in _NESTED) else 'VARCHAR')}" for i, t in enumerate(self.types)
        )
        return f"read_json({_literal(str(normalized))}, format='newline_delimited', columns={{{columns}}})"

    def _text(self, files: list[Path], delim: str, quote: str, escape: str) -> str:
        header = int(self.table.params.get("skip.header.line.count") or 0)
        columns = "{" + ", ".join(f"'r{i}': 'VARCHAR'" for i in range(len(self.table.columns))) + "}"
        return (
            f"read_csv({self._files(files)}, header=false, auto_detect=false, delim={_literal(delim)}, "
            f"quote={_literal(quote)}, escape={_literal(escape)}, columns={columns}, null_padding=true, "
            f"strict_mode=false, skip={header}, nullstr='\\N')"
        )

    def _delimited(self, files: list[Path]) -> str:
        params = self.table.serde_params
        delim = params.get("field.delim") or params.get("serialization.format") or "\x01"
        if delim.isdigit():  # the serde takes a delimiter's code too ("1" is Ctrl-A)
            delim = chr(int(delim))
        return self._text(files, delim, "", params.get("escape.delim") or "")

    def _opencsv(self, files: list[Path]) -> str:
        params = self.table.serde_params
        return self._text(
            files, params.get("separatorchar") or ",", params.get("quotechar") or '"', params.get("escapechar") or "\\"
        )

    def _parquet(self, files: list[Path]) -> str:
        source = f"read_parquet({self._files(files)}, union_by_name=true)"
        present = {
            str(d[0]).lower(): str(d[0]) for d in self.connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        }
        selected = ", ".join(
            f"{_quote(present[c.name]) if c.name in present else 'NULL'} AS r{i}"
            for i, c in enumerate(self.table.columns)
        )
        return f"(SELECT {selected} FROM {source})"


def _scalar_text(value: Any) -> Any:
    """A JSON value as the raw text a scalar column converts (nested values stay JSON for DuckDB)."""
    if value is None or isinstance(value, (dict, list)):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _lower_keys(value: Any) -> Any:
    """Keys as the OpenX SerDe sees them (case.insensitive); two that collide fail as it fails."""
    if isinstance(value, dict):
        lowered: dict[str, Any] = {}
        for key, item in value.items():
            name = str(key).lower()
            if name in lowered:
                raise ValueError(f'Duplicate key "{name}"')
            lowered[name] = _lower_keys(item)
        return lowered
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value
