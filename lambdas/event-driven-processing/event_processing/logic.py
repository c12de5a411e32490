"""Sales CSVs summarised into reports: plain functions, no AWS.

An upload that can never be processed (not UTF-8, no `region`/`amount` columns,
an amount that is not a number) raises `Unreadable` with the reason and the line:
the handler records it as failed where a user finds it, rather than retrying it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

REQUIRED_COLUMNS = ("region", "amount")


class Unreadable(ValueError):
    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason if line is None else f"line {line}: {reason}")
        self.reason, self.line = reason, line


@dataclass(frozen=True)
class Upload:
    bucket: str
    key: str
    version_id: str | None
    size: int


def summarize(data: bytes) -> dict[str, Any]:
    """Rows and the total amount per region, in cents exactly."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not UTF-8 text (byte {exc.start})") from exc
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise Unreadable(f"no {' or '.join(missing)} column (found: {', '.join(columns) or 'nothing'})", 1)
    reader.fieldnames = columns
    totals: dict[str, Decimal] = {}
    rows = 0
    for rows, row in enumerate(reader, start=1):
        region = (row.get("region") or "").strip()
        if not region:
            raise Unreadable("region is empty", rows + 1)
        try:
            amount = Decimal((row.get("amount") or "").strip())
        except InvalidOperation:
            raise Unreadable(f"amount {row.get('amount')!r} is not a number", rows + 1) from None
        if not amount.is_finite():
            raise Unreadable(f"amount {row.get('amount')!r} is not a number", rows + 1)
        totals[region] = totals.get(region, Decimal(0)) + amount
    return {"rows": rows, "totals": {region: f"{total:.2f}" for region, total in sorted(totals.items())}}


def output_key(input_key: str, input_prefix: str, output_prefix: str) -> str:
    """incoming/2026/sales.csv -> reports/2026/sales.json (the same name under the other prefix)."""
    relative = input_key[len(input_prefix) :] if input_key.startswith(input_prefix) else input_key
    stem = relative.rsplit(".", 1)[0] if "." in relative.rsplit("/", 1)[-1] else relative
    return f"{output_prefix}{stem}.json"
