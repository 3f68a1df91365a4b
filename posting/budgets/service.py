"""Budgets with a session: a voucher's movements of the budgets its lines fall under, as posting's use cases call
them, and the budgets themselves (list, read, create, change, delete, import).

A voucher moves budgets at four steps, each a movement (``BudgetEntry``) per budget, so every change of what a
budget holds names its voucher, its reason and who made it:

- drafted or redrafted (``reserve_for_draft``): the draft's old reservation is released and what its lines spend
  now is reserved, except on a blocking budget it would overrun: that one gets nothing (the block is recorded, and
  ``budget_reasons`` sends the document to review);
- approved (``consume_on_approval``): refused with ``BudgetExceeded`` over a blocking budget; otherwise its
  reservation is released and what it spends is consumed;
- rejected (``release_on_rejection``): its reservation is released;
- reversed after posting (``give_back_on_reversal``): a negative consumption gives back what it consumed.

Each step locks the budgets it reads (``repository.lock``), so two drafts that reserve against one blocking budget
at the same time are checked one after the other: never both within.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from core import audit
from core.auth import Principal
from core.db import company_row
from core.errors import BudgetExceeded, Conflict, InvalidRequest
from models import Budget, BudgetEntry, BudgetEntryKind, Voucher
from posting.budgets import repository
from posting.budgets.checking import (OVER_BLOCK, BudgetLimit, Check, Usage, ancestors, budget_periods, charge_of,
                                      check_voucher)
from posting.budgets.records import BUDGETS, budget_period
from posting.masterdata import repository as masterdata_repository
from posting.masterdata.files import read_rows
from posting.masterdata.records import Invalid
from posting.masterdata.service import Editor
from posting.masterdata.validation import Change, Existing, ImportPlan, Row, parse_row, plan_import, rejection

KEY_COLUMNS = ("account_code", "cost_centre_code", "period")
"""What a budget budgets: fixed once it is made."""


@dataclass(frozen=True)
class Standing:
    """How a voucher stands against its budgets: a check of each, and what it holds of every budget it moved."""

    checks: list[Check]
    own: dict[uuid.UUID, Usage]


@dataclass(frozen=True)
class BudgetView:
    """A budget's row, and the budget as checking sees it (its name and what vouchers hold of it)."""

    row: Budget
    limit: BudgetLimit


# --- a voucher's movements ----------------------------------------------------------------------------------------


def reserve_for_draft(session: Session, voucher: Voucher, actor: str) -> None:
    """Replace the draft's reservation with what its lines spend now; over a blocking budget nothing is reserved
    on it and the block is recorded."""
    standing = _standing(session, voucher, lock=True)
    _release(session, voucher, standing.own, "redrafted", actor)
    for check in standing.checks:
        if check.verdict == OVER_BLOCK:
            _record_block(session, voucher, check, actor, "draft")
        elif check.amount:
            repository.add_entry(session, voucher, check.budget.id, BudgetEntryKind.RESERVED, check.amount, "drafted",
                                 actor)


def consume_on_approval(session: Session, voucher: Voucher, principal: Principal) -> None:
    """Turn the voucher's reservation into consumption; ``BudgetExceeded`` (recorded, nothing else changed) when it
    would overrun a blocking budget."""
    standing = _standing(session, voucher, lock=True)
    blocked = [check for check in standing.checks if check.verdict == OVER_BLOCK]
    if blocked:
        raise _refusal(blocked, voucher)
    _release(session, voucher, standing.own, "approved", principal.actor)
    for check in standing.checks:
        if check.amount:
            repository.add_entry(session, voucher, check.budget.id, BudgetEntryKind.CONSUMED, check.amount,
                                 "approved", principal.actor)


def release_on_rejection(session: Session, voucher: Voucher, actor: str) -> None:
    """Give back what the rejected draft reserved."""
    _release(session, voucher, _locked_own(session, voucher), "rejected", actor)


def give_back_on_reversal(session: Session, voucher: Voucher, reversal: Voucher, actor: str) -> None:
    """Give back what the reversed voucher consumed: a negative consumption on each budget, naming the reversal."""
    for budget_id, usage in _locked_own(session, voucher).items():
        if usage.consumed:
            repository.add_entry(session, voucher, budget_id, BudgetEntryKind.CONSUMED, -usage.consumed,
                                 f"reversed by voucher {reversal.id}", actor)


def budget_reasons(session: Session, voucher: Voucher) -> list[str]:
    """Why a person must look at the voucher's document: each budget it overruns, as a warning or a block."""
    return [check.review_reason for check in checks_of(session, voucher) if check.review_reason]


def checks_of(session: Session, voucher: Voucher) -> list[Check]:
    """How the voucher stands against each budget its lines fall under (read only: nothing is locked)."""
    return _standing(session, voucher, lock=False).checks


def _standing(session: Session, voucher: Voucher, *, lock: bool) -> Standing:
    rows = repository.budgets_for(session, voucher.company_id, budget_periods(voucher.date))
    own = repository.voucher_usage(session, voucher)
    if not rows and not own:
        return Standing([], own)  # most often: no budget of the voucher's month or year
    parents, names = repository.account_chart(session, voucher.company_id)
    charges = [charge for line in voucher.lines if (charge := charge_of(
        line.kind, line.account.code, line.cost_centre_code, line.base_debit, line.base_credit))]
    codes = {code for charge in charges for code in ancestors(charge.account_code, parents)}
    rows = [row for row in rows if row.account_code in codes]
    if lock:
        repository.lock(session, voucher.company_id, [row.id for row in rows] + list(own))
        rows = [row for row in rows if row.active]  # read again as locked: deactivated meanwhile, it is not checked
    usage = repository.usage_of(session, voucher.company_id, [row.id for row in rows])
    limits = [_limit(row, names, usage) for row in rows]
    return Standing(check_voucher(limits, voucher.date, charges, parents, own), own)


def _locked_own(session: Session, voucher: Voucher) -> dict[uuid.UUID, Usage]:
    own = repository.voucher_usage(session, voucher)
    repository.lock(session, voucher.company_id, own)
    return own


def _release(session: Session, voucher: Voucher, own: dict[uuid.UUID, Usage], reason: str, actor: str) -> None:
    for budget_id, usage in own.items():
        if usage.reserved:
            repository.add_entry(session, voucher, budget_id, BudgetEntryKind.RELEASED, -usage.reserved, reason, actor)


def _refusal(blocked: list[Check], voucher: Voucher) -> BudgetExceeded:
    """Why an approval is refused (it rolls back and changes nothing, so nothing of it is recorded)."""
    over = "; ".join(f"over {check.message}" for check in blocked)
    budgets = ", ".join(f"PUT /api/v1/budgets/{check.budget.id}" for check in blocked)
    return BudgetExceeded(f"Voucher {voucher.id} cannot be approved: it is {over}. Raise the budget ({budgets}) or "
                          "correct the document so that the voucher spends less; nothing was approved.")


def _record_block(session: Session, voucher: Voucher, check: Check, actor: str, step: str) -> None:
    """A block in the audit log, on the budget: a draft that reserves nothing on it."""
    audit.record(session, company_id=voucher.company_id, actor=actor, action="budget.blocked", entity_type="budget",
           entity_id=check.budget.id,
           data={"voucher_id": str(voucher.id), "document_id": str(voucher.document_id), "step": step,
                 "amount": str(check.amount), "excess": str(check.excess), "message": check.message})


def _limit(row: Budget, names: dict[str, str], usage: dict[uuid.UUID, Usage]) -> BudgetLimit:
    return BudgetLimit(row.id, row.name or names.get(row.account_code, ""), row.account_code, row.cost_centre_code,
                       row.period, row.amount, row.on_exceed, usage.get(row.id, Usage()))


# --- the budgets --------------------------------------------------------------------------------------------------


def list_budgets(session: Session, company_id: uuid.UUID, *, period: str | None, cost_centre: str | None,
                 limit: int, cursor: str | None) -> tuple[list[BudgetView], str | None]:
    """A page of the company's budgets, newest first, of ``period`` and ``cost_centre`` when given, each with what
    vouchers hold of it."""
    rows, next_cursor = repository.page(session, company_id, period=_period(period), cost_centre=cost_centre,
                                        limit=limit, cursor=cursor)
    return _views(session, company_id, rows), next_cursor


def get_budget(session: Session, company_id: uuid.UUID, budget_id: uuid.UUID) -> BudgetView:
    return _view(session, _budget(session, company_id, budget_id))


def list_entries(session: Session, company_id: uuid.UUID, budget_id: uuid.UUID, *, limit: int,
                 cursor: str | None) -> tuple[list[BudgetEntry], str | None]:
    """A page of the budget's movements, newest first."""
    return repository.entries_page(session, _budget(session, company_id, budget_id), limit=limit, cursor=cursor)


def create_budget(session: Session, editor: Editor, values: dict[str, Any]) -> BudgetView:
    """Add a budget; 422 with every error if it cannot be taken, 409 if its account, cost centre and period have
    one already."""
    spec, errors = parse_row(BUDGETS, Row(1, values), {})
    if errors:
        raise rejection(errors)
    existing = repository.company_budgets(session, editor.company_id)
    if spec.key in existing:
        taken = existing[spec.key].id
        raise Conflict(f"There is a budget {spec.key} already ({taken}); change it with PUT /api/v1/budgets/{taken}.")
    _write(session, editor, [Row(1, values)], existing, "api")
    return _view(session, existing[spec.key])


def update_budget(session: Session, editor: Editor, budget_id: uuid.UUID, values: dict[str, Any]) -> BudgetView:
    """Replace what the budget allows (amount, on_exceed, active, name, notes: those left out take their defaults);
    its account, cost centre and period stay. An amount below what vouchers hold of it is taken (the answer warns)."""
    row = _budget(session, editor.company_id, budget_id)
    key = {name: getattr(row, name) for name in KEY_COLUMNS}
    if any(name in values and values[name] != key[name] for name in KEY_COLUMNS):
        raise InvalidRequest(f"The account, cost centre and period of budget {budget_id} ({_key(row)}) are what it "
                             "budgets and cannot be changed: create another budget (and deactivate this one).")
    _write(session, editor, [Row(1, values | key)], repository.company_budgets(session, editor.company_id), "api")
    return _view(session, row)


def delete_budget(session: Session, editor: Editor, budget_id: uuid.UUID) -> None:
    """Delete a budget no voucher has moved yet; one with movements is kept for them (409: deactivate it)."""
    row = _budget(session, editor.company_id, budget_id)
    if repository.has_entries(session, row):
        raise Conflict(f"Budget {_key(row)} has movements by vouchers and is kept for them; deactivate it instead "
                       f"(PUT /api/v1/budgets/{budget_id} with \"active\": false).")
    audit.record(session, company_id=editor.company_id, actor=editor.actor, action="budget.deleted",
                 entity_type="budget", entity_id=row.id,
                 data={"key": _key(row), "values": asdict(repository.spec_of(row))})
    session.delete(row)
    session.flush()


def import_file(session: Session, editor: Editor, data: bytes, fmt: str, filename: str = "") -> ImportPlan:
    """Create and update budgets (by account, cost centre and period) from a CSV or YAML file: every row is checked
    first, then all are written, or none (``MasterDataRejected`` lists every error)."""
    rows = read_rows(data, fmt, BUDGETS.name)
    existing = repository.company_budgets(session, editor.company_id)
    return _write(session, editor, rows, existing, f"import {filename}".strip())


def _write(session: Session, editor: Editor, rows: list[Row], existing: dict[str, Budget], via: str) -> ImportPlan:
    """Store what ``rows`` change of the company's budgets ``existing`` (by key, which gains the new ones), each
    change recorded as made ``via``; nothing when any row is wrong."""
    plan = _plan(session, editor, rows, existing)
    for change in plan.changes:
        row = repository.store(session, editor.company_id, existing.get(change.after.key), change.after)
        existing[change.after.key] = row
        _record_change(session, editor, row, change, via)
    session.flush()
    return plan


def _plan(session: Session, editor: Editor, rows: list[Row], existing: dict[str, Budget]) -> ImportPlan:
    references = {table: masterdata_repository.active_keys(session, table, editor.company_id)
                  for table in ("accounts", "cost-centres")}
    specs = {key: repository.spec_of(row) for key, row in existing.items()}
    plan = plan_import(BUDGETS, rows, Existing(specs, references))
    if plan.errors:
        raise rejection(plan.errors)
    return plan


def _record_change(session: Session, editor: Editor, row: Budget, change: Change, via: str) -> None:
    """The change in the audit log: a new budget's values, or each changed value's old and new one."""
    after = asdict(change.after)
    data = {"values": after} if change.before is None else {
        "changes": {name: [old, after[name]] for name, old in asdict(change.before).items() if old != after[name]}}
    audit.record(session, company_id=editor.company_id, actor=editor.actor,
                 action=f"budget.{'created' if change.before is None else 'updated'}", entity_type="budget",
                 entity_id=row.id, data={"key": change.after.key, "via": via, **data})


def _period(text: str | None) -> str | None:
    try:
        return budget_period(text) if text else None
    except Invalid as invalid:
        raise InvalidRequest(f"period: {invalid}.") from None


def _budget(session: Session, company_id: uuid.UUID, budget_id: uuid.UUID) -> Budget:
    return company_row(session, Budget, budget_id, company_id, "Budget")


def _views(session: Session, company_id: uuid.UUID, rows: list[Budget]) -> list[BudgetView]:
    _, names = repository.account_chart(session, company_id)
    usage = repository.usage_of(session, company_id, [row.id for row in rows])
    return [BudgetView(row, _limit(row, names, usage)) for row in rows]


def _view(session: Session, row: Budget) -> BudgetView:
    return _views(session, row.company_id, [row])[0]


def _key(row: Budget) -> str:
    return repository.spec_of(row).key
