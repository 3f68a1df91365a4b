"""A bank statement file read in one call: what it is (from its bytes), its statements, their checks. Pure."""

from __future__ import annotations

from collections.abc import Callable

from core.errors import InvalidStatement
from reconciliation.statements.camt import parse_camt
from reconciliation.statements.checks import checked
from reconciliation.statements.detect import detect_format
from reconciliation.statements.model import Statement
from reconciliation.statements.mt940 import parse_mt940
from reconciliation.statements.ofx import parse_ofx
from reconciliation.statements.tabular import ColumnProfile, parse_table

READERS: dict[str, Callable[[bytes, str, ColumnProfile | None], list[Statement]]] = {
    "camt.053": lambda data, kind, _profile: parse_camt(data, kind),
    "camt.052": lambda data, kind, _profile: parse_camt(data, kind),
    "camt.054": lambda data, kind, _profile: parse_camt(data, kind),
    "mt940": lambda data, _kind, _profile: parse_mt940(data),
    "ofx": lambda data, _kind, _profile: parse_ofx(data),
    "csv": parse_table,
    "xlsx": parse_table,
}
"""The reader of each format ``detect_format`` tells."""


def read_statements(data: bytes, profile: ColumnProfile | None = None) -> list[Statement]:
    """Every statement in the file, each with the warnings of its checks. ``UnsupportedFileType`` when the file is no
    statement we read (a CSV or Excel file needs ``profile``), ``InvalidStatement`` naming where it broke."""
    kind = detect_format(data, profile=profile is not None)
    found = [checked(statement) for statement in READERS[kind](data, kind, profile) if _holds_anything(statement)]
    if not found:
        raise InvalidStatement("the file holds no transactions and no balances: there is nothing to import")
    return found


def _holds_anything(statement: Statement) -> bool:
    return bool(statement.transactions) or statement.opening is not None or statement.closing is not None
