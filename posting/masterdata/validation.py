"""Whether rows of master data may be written, all of them checked before any is: what each would create or change,
or every error, row by row. Pure: rows and what the company has in, a plan out.

A row names a record by its key (an account's code, an employee's number, a vendor's name): a new key creates the
record, a known one updates the columns the row gives and keeps the others. Errors are never raised one at a time:
``plan_import`` returns all of them (unknown columns, values that cannot be read, a key twice, a reference to a
record that is not there or not active, a role held twice, an account that is its own ancestor ...).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from core.errors import MasterDataRejected
from posting.chart import AccountSpec, TaxCodeSpec
from posting.masterdata.records import REFERENCE_LABELS, Invalid, Table


@dataclass(frozen=True)
class Row:
    number: int
    """Where a person finds it: the spreadsheet row of a CSV line (the header is row 1), the position of a YAML
    entry (from 1); 1 for a record sent alone."""
    values: dict[str, Any]


@dataclass(frozen=True, order=True)
class RowError:
    row: int
    field: str
    message: str


@dataclass(frozen=True)
class Existing:
    """What the company has: the table's records by key, and the active keys of every table referred to."""

    records: dict[str, Any]
    references: dict[str, frozenset[str]]


@dataclass(frozen=True)
class Parsed:
    row: int
    record: Any


@dataclass(frozen=True)
class Change:
    before: Any | None
    """None for a record the row creates."""
    after: Any


@dataclass(frozen=True)
class ImportPlan:
    changes: tuple[Change, ...] = ()
    unchanged: int = 0
    errors: tuple[RowError, ...] = ()

    @property
    def created(self) -> int:
        return sum(change.before is None for change in self.changes)

    @property
    def updated(self) -> int:
        return len(self.changes) - self.created


def plan_import(table: Table, rows: list[Row], existing: Existing) -> ImportPlan:
    """Every change ``rows`` make to ``table``, or (if any row is wrong) every error and no change."""
    parsed, errors = parse_rows(table, rows, existing.records)
    final = existing.records | {_key(table, p.record): p.record for p in parsed}
    errors += [error for p in parsed for error in reference_errors(table, p, final, existing.references)]
    errors += unique_errors(table, parsed, final)
    errors += [error for check in CHECKS.get(table.name, ()) for error in check(parsed, final)]
    if errors:
        return ImportPlan(errors=tuple(sorted(set(errors))))
    return _changes(table, parsed, existing.records)


def rejection(errors: list[RowError] | tuple[RowError, ...]) -> MasterDataRejected:
    """The error that refuses rows with ``errors``: nothing of them is written."""
    rows = len({error.row for error in errors})
    detail = (f"{len(errors)} error{'s' * (len(errors) != 1)} in {rows} row{'s' * (rows != 1)}; nothing was "
              f"written. Correct {'them' if len(errors) != 1 else 'it'} and send the whole file again.")
    return MasterDataRejected(detail, [{"row": e.row, "field": e.field, "message": e.message} for e in errors])


def parse_rows(table: Table, rows: list[Row], records: dict[str, Any]) -> tuple[list[Parsed], list[RowError]]:
    """The records the rows make (each merged into the record of its key, if there is one), and the errors."""
    parsed, errors, first_row = [], unknown_columns(table, rows), {}
    for row in rows:
        record, row_errors = parse_row(table, row, records)
        key = _key(table, record) if record else None
        if key in first_row:
            row_errors.append(RowError(row.number, table.key, f"{key} is on row {first_row[key]} already"))
        elif key is not None:
            first_row[key] = row.number
        errors += row_errors
        parsed += [Parsed(row.number, record)] if record and not row_errors else []
    return parsed, errors


def unknown_columns(table: Table, rows: list[Row]) -> list[RowError]:
    """One error for each column the table does not have, at the first row that gives it."""
    first: dict[str, int] = {}
    for row in rows:
        for name in row.values:
            first.setdefault(name, row.number)
    return [RowError(number, name, f"{table.label}s have no column {name!r}; they have {', '.join(table.column_names)}")
            for name, number in first.items() if name not in table.column_names]


def parse_row(table: Table, row: Row, records: dict[str, Any]) -> tuple[Any | None, list[RowError]]:
    """The record of one row (merged into the one of its key, if there is one), or None and why."""
    values, errors = {}, []
    for column in table.columns:
        if column.name in row.values:
            try:
                values[column.name] = column.read(row.values[column.name])
            except Invalid as invalid:
                errors.append(RowError(row.number, column.name, str(invalid)))
    if errors:
        return None, errors
    before = records.get(values.get(table.key))
    missing = [c.name for c in table.columns if c.required and c.name not in values and before is None]
    if missing:
        return None, [RowError(row.number, name, f"required for a new {table.label}") for name in missing]
    return (replace(before, **values) if before else table.record(**values)), []


def reference_errors(table: Table, parsed: Parsed, final: dict[str, Any],
                     references: dict[str, frozenset[str]]) -> list[RowError]:
    """A column of an active record that names a record which is not there, or not active (in the table as the rows
    leave it). An inactive record may keep naming inactive ones."""
    errors = []
    for reference in table.references if _is_active(parsed.record) else ():
        value = getattr(parsed.record, reference.column)
        available = _active_keys(table, final) if reference.table == table.name else references[reference.table]
        if value is not None and value not in available:
            errors.append(RowError(parsed.row, reference.column, _not_available(reference.table, value)))
    return errors


def _not_available(table_name: str, value: str) -> str:
    if table_name == "users":
        return f"no active user of the company has the e-mail {value}; create the user first or leave it empty"
    return (f"{value} is not an active {REFERENCE_LABELS[table_name]}: add it first "
            f"(ledgerdesk import-master {table_name}, or in the same file for accounts) or correct the code")


def unique_errors(table: Table, parsed: list[Parsed], final: dict[str, Any]) -> list[RowError]:
    """A value of a ``unique`` column that two active records would share, at each row that gives it."""
    errors = []
    for column in table.unique:
        holders = defaultdict(list)
        for key, record in final.items():
            if _is_active(record) and getattr(record, column) is not None:
                holders[getattr(record, column)].append(key)
        errors += [RowError(p.row, column, _shared(table, column, p, holders)) for p in parsed
                   if len(holders.get(getattr(p.record, column), ())) > 1 and _is_active(p.record)]
    return errors


def _shared(table: Table, column: str, parsed: Parsed, holders: dict[Any, list[str]]) -> str:
    value = getattr(parsed.record, column)
    others = ", ".join(sorted(key for key in holders[value] if key != _key(table, parsed.record)))
    return (f"{column} {value} is also that of {table.label} {others}; no two active {table.label}s share it: clear it "
            f"on one, or deactivate one")


def parent_loops(parsed: list[Parsed], final: dict[str, AccountSpec]) -> list[RowError]:
    """An account that would be its own parent, or its parent's parent ..."""
    return [RowError(p.row, "parent_code", f"the parents of account {p.record.code} go round in a circle")
            for p in parsed if _is_own_ancestor(p.record.code, final)]


def _is_own_ancestor(code: str, final: dict[str, AccountSpec]) -> bool:
    parent = final[code].parent_code
    for _ in range(len(final)):
        if parent is None or parent not in final:
            return False
        if parent == code:
            return True
        parent = final[parent].parent_code
    return True


def shared_categories(parsed: list[Parsed], final: dict[str, AccountSpec]) -> list[RowError]:
    """A spending category drafts to one account: no two active accounts name it."""
    holders = defaultdict(list)
    for code, account in final.items():
        for category in account.categories if account.active else ():
            holders[category].append(code)
    return [RowError(p.row, "categories", f"the category {category} is also that of account "
                                          f"{', '.join(sorted(set(holders[category]) - {p.record.code}))}; no two "
                                          "active accounts share one: remove it from one")
            for p in parsed if p.record.active for category in p.record.categories if len(holders[category]) > 1]


def one_currency_pairs(parsed: list[Parsed], final: dict[str, Any]) -> list[RowError]:
    """An exchange rate converts one currency into another."""
    return [RowError(p.row, "to_currency", f"a rate converts {p.record.from_currency} into another currency")
            for p in parsed if p.record.from_currency == p.record.to_currency]


def tax_accounts(parsed: list[Parsed], final: dict[str, TaxCodeSpec]) -> list[RowError]:
    """Deductible input tax and output tax are posted to an account of their own; only a non-deductible input tax
    code may go without one (its tax adds to the expense)."""
    return [RowError(p.row, "account_code", f"a {_tax_label(p.record)} code needs the account its tax is posted to")
            for p in parsed if p.record.account_code is None and (p.record.deductible or p.record.kind == "output")]


def _tax_label(record: TaxCodeSpec) -> str:
    return "output tax" if record.kind == "output" else "deductible input tax"


CHECKS = {"accounts": (parent_loops, shared_categories), "tax-codes": (tax_accounts,),
          "exchange-rates": (one_currency_pairs,)}
"""Checks of a whole table as the rows would leave it, besides references and unique columns."""


def _changes(table: Table, parsed: list[Parsed], records: dict[str, Any]) -> ImportPlan:
    changes = [Change(records.get(_key(table, p.record)), p.record) for p in parsed]
    changed = tuple(change for change in changes if change.before != change.after)
    return ImportPlan(changed, len(changes) - len(changed))


def _key(table: Table, record: Any) -> str:
    return getattr(record, table.key)


def _is_active(record: Any) -> bool:
    return getattr(record, "active", True)


def _active_keys(table: Table, final: dict[str, Any]) -> frozenset[str]:
    return frozenset(key for key, record in final.items() if _is_active(record))
