"""Master data use cases with a session: list, create, update, deactivate, import a file, apply a seed chart.

Every write goes one way: rows are planned against what the company has (``validation.plan_import``), refused whole
with every error if any row is wrong, else stored and each change recorded in the audit log. Callers check
permissions (``Permission.MANAGE_MASTER_DATA`` to change anything) and commit.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from core import audit
from core.errors import Conflict, InvalidRequest, MasterDataRejected, NotFound
from posting.masterdata import repository
from posting.masterdata.files import read_rows
from posting.masterdata.records import TABLES, ExchangeRateSpec, Invalid, Table, table_named
from posting.masterdata.seeds import SEEDED_TABLES, Mode, load_seed, seed_rows
from posting.masterdata.validation import Existing, ImportPlan, Row, RowError, parse_row, plan_import, rejection


@dataclass(frozen=True)
class Editor:
    """Who changes master data, and of which company."""

    company_id: uuid.UUID
    actor: str
    """As the audit log names them: ``user:ada@example.com``, ``system:cli``."""


@dataclass(frozen=True)
class Loaded:
    rows: dict[str, Any]
    """The company's ORM rows of the table, by key."""
    existing: Existing


def list_records(session: Session, company_id: uuid.UUID, table_name: str, *, active: bool | None = None,
                 limit: int = 50, cursor: str | None = None) -> tuple[list[Any], str | None]:
    """A page of the company's records in the order of their keys, and the cursor of the next page."""
    table = table_named(table_name)
    rows, next_cursor = repository.page(session, table, company_id, active=active, limit=limit, cursor=cursor)
    return [repository.record_of(table, row) for row in rows], next_cursor


def get_record(session: Session, company_id: uuid.UUID, table_name: str, key: str) -> Any:
    table = table_named(table_name)
    return repository.record_of(table, _row(session, table, company_id, key))


def create_record(session: Session, editor: Editor, table_name: str, values: dict[str, Any]) -> Any:
    """Add one record; 409 if its key is taken, 422 with every error if it cannot be taken."""
    table = table_named(table_name)
    loaded = _load(session, table, editor.company_id)
    key = _read_key(table, values.get(table.key))
    if key in loaded.rows:
        raise Conflict(f"There is a {table.label} {key} already; change it with PATCH, or choose another {table.key}.")
    return _only_record(_write(session, editor, table, loaded, [Row(1, values)], "api"), loaded, key)


def update_record(session: Session, editor: Editor, table_name: str, key: str, values: dict[str, Any]) -> Any:
    """Change the columns ``values`` gives of the record ``key``; the key itself stays."""
    table = table_named(table_name)
    _row(session, table, editor.company_id, key)
    if table.key in values and _read_key(table, values[table.key]) != key:
        raise InvalidRequest(f"The {table.key} of a {table.label} cannot be changed; deactivate it and add a new one.")
    loaded = _load(session, table, editor.company_id)
    plan = _write(session, editor, table, loaded, [Row(1, values | {table.key: key})], "api")
    return _only_record(plan, loaded, key)


def deactivate_record(session: Session, editor: Editor, table_name: str, key: str) -> Any:
    """Mark the record inactive: it stays for what refers to it, but nothing new may use it."""
    if not table_named(table_name).can_deactivate:
        raise InvalidRequest(f"{table_name} are not deactivated.")
    return update_record(session, editor, table_name, key, {"active": False})


def list_rates(session: Session, company_id: uuid.UUID, *, from_currency: str | None = None,
               to_currency: str | None = None, limit: int = 50,
               cursor: str | None = None) -> tuple[list[ExchangeRateSpec], str | None]:
    """A page of the company's exchange rates, newest date first, and the cursor of the next page."""
    rows, next_cursor = repository.rate_page(session, company_id, from_currency=from_currency,
                                             to_currency=to_currency, limit=limit, cursor=cursor)
    return [repository.record_of(TABLES["exchange-rates"], row) for row in rows], next_cursor


def create_rate(session: Session, editor: Editor, values: dict[str, Any]) -> ExchangeRateSpec:
    """Add the rate of a pair on a day; 409 if the company has that pair's rate of the day (an import changes it),
    422 with every error if it cannot be taken."""
    table = TABLES["exchange-rates"]
    record, errors = parse_row(table, Row(1, values), {})
    if errors:
        raise rejection(errors)
    loaded = _load(session, table, editor.company_id)
    if record.key in loaded.rows:
        raise Conflict(f"There is a {record.from_currency}->{record.to_currency} rate of {record.date} already; "
                       "to change it, import the rate again (POST /api/v1/exchange-rates/import).")
    return _only_record(_write(session, editor, table, loaded, [Row(1, values)], "api"), loaded, record.key)


def import_file(session: Session, editor: Editor, table_name: str, data: bytes, fmt: str,
                filename: str = "") -> ImportPlan:
    """Create and update records from a CSV or YAML file: every row is checked first, then all are written, or none
    (``MasterDataRejected`` lists every error)."""
    rows = read_rows(data, fmt, table_named(table_name).name)
    return import_rows(session, editor, table_name, rows, f"import {filename}".strip())


def import_rows(session: Session, editor: Editor, table_name: str, rows: list[Row], via: str) -> ImportPlan:
    """``import_file`` for rows already read; ``via`` says where they came from in the audit log."""
    table = table_named(table_name)
    return _write(session, editor, table, _load(session, table, editor.company_id), rows, via)


def seed_chart(session: Session, editor: Editor, chart: str, mode: Mode = "merge", *,
               audited: bool = True) -> dict[str, ImportPlan]:
    """Apply the seed ``chart`` (``posting.masterdata.seeds.CHARTS``): its accounts, then its tax codes. A new
    company's first chart is not ``audited`` record by record: its ``company.created`` event names the chart."""
    seed = load_seed(chart)
    plans = {}
    for table_name in SEEDED_TABLES:
        table = table_named(table_name)
        loaded = _load(session, table, editor.company_id)
        rows = seed_rows(seed.rows[table_name], table.key, loaded.existing.records, mode)
        via = f"chart {chart}" if audited else None
        try:
            plans[table_name] = _write(session, editor, table, loaded, rows, via)
        except MasterDataRejected as refused:
            if mode != "replace":
                refused.detail += " To switch to this chart, apply it with replace (deactivating the others)."
            raise
    return plans


def _write(session: Session, editor: Editor, table: Table, loaded: Loaded, rows: list[Row],
           via: str | None) -> ImportPlan:
    """Store what ``rows`` change, each change recorded in the audit log as made ``via`` (None: not recorded)."""
    plan = plan_import(table, rows, loaded.existing)
    if plan.errors:
        raise rejection(plan.errors)
    users = repository.user_ids(session, editor.company_id) if table.name == "employees" else {}
    for change in plan.changes:
        key = getattr(change.after, table.key)
        row = repository.store(session, table, editor.company_id, loaded.rows.get(key), change.after, users)
        if via is not None:
            _record(session, editor, table, row.id, change.before, change.after, via)
    session.flush()
    return plan


def _record(session: Session, editor: Editor, table: Table, entity_id: uuid.UUID, before: Any | None, after: Any,
            via: str) -> None:
    """The change in the audit log: a new record's values, or each changed column's old and new value."""
    values = asdict(after)
    data = {"values": values} if before is None else {
        "changes": {name: [old, values[name]] for name, old in asdict(before).items() if old != values[name]}}
    audit.record(session, company_id=editor.company_id, actor=editor.actor,
                 action=f"{table.entity}.{'created' if before is None else 'updated'}", entity_type=table.entity,
                 entity_id=entity_id, data={table.key: getattr(after, table.key), "via": via, **data})


def _load(session: Session, table: Table, company_id: uuid.UUID) -> Loaded:
    rows = repository.company_rows(session, table, company_id)
    references = {ref.table: repository.active_keys(session, ref.table, company_id)
                  for ref in table.references if ref.table != table.name}
    return Loaded(rows, Existing({key: repository.record_of(table, row) for key, row in rows.items()}, references))


def _row(session: Session, table: Table, company_id: uuid.UUID, key: str) -> Any:
    row = repository.row_by_key(session, table, company_id, key)
    if row is None:
        raise NotFound(f"There is no {table.label} {key}.")
    return row


def _read_key(table: Table, value: Any) -> str:
    column = next(column for column in table.columns if column.name == table.key)
    try:
        return column.read(value)
    except Invalid as invalid:
        raise rejection([RowError(1, table.key, str(invalid))]) from None


def _only_record(plan: ImportPlan, loaded: Loaded, key: str) -> Any:
    """The record a one-row write left: the changed one, or the one it did not change."""
    return plan.changes[0].after if plan.changes else loaded.existing.records[key]
