"""Posting rules with a session: list, read, add (at the end, or at a position with the rules from there on moving
down), change, move, delete, import a YAML or JSON file (all or nothing, replacing the company's rules or appended to
them), export them, and explain which rule decides each line of a document's voucher.

Every change goes one way: the company's rules are locked, the list the change leaves is planned in order, read and
checked whole (``validation``) and refused with every error, else stored, each rule it changes recorded in the audit
log with its values before and after. Callers check permissions (``MANAGE_MASTER_DATA`` to change) and commit.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal

import yaml
from sqlalchemy.orm import Session

from core import audit
from core.db import company_row
from core.errors import InvalidRequest
from models import Document, PostingRule, Vendor, Voucher, VoucherLine
from posting import service as posting_service
from posting.drafting import CannotDraft, DraftLine
from posting.masterdata.files import read_rows
from posting.masterdata.service import Editor
from posting.masterdata.validation import Row
from posting.rules import repository
from posting.rules.matching import Rule, RuleDecision
from posting.rules.promotion import promoted_rule
from posting.rules.validation import check_rules, read_rules, refusal

Mode = Literal["append", "replace"]
FILE_KEY = "posting-rules"
"""A file's rules are a list, or the list under ``posting_rules:`` (or ``posting-rules:``)."""
EXPENSE_ROLES = ("expense", "asset")
"""The roles of the voucher lines rules decide."""


@dataclass(frozen=True)
class Planned:
    """A rule as a change leaves it: its stored row (None for a new rule) and its values."""

    row: PostingRule | None
    rule: Rule


@dataclass(frozen=True)
class ImportSummary:
    created: int
    deleted: int
    """The company's rules an import with ``replace`` deleted."""


@dataclass(frozen=True)
class LineExplained:
    """An expense line of a document's voucher as drafting would make it now, and the rules that decide it."""

    line_no: int
    description: str
    amount: Decimal
    """Signed as a debit, in the document's currency."""
    account_code: str
    cost_centre_code: str | None
    project_code: str | None
    rules: tuple[RuleDecision, ...]
    reason: str


@dataclass(frozen=True)
class Explanation:
    document_id: uuid.UUID
    approval_route: str | None
    lines: tuple[LineExplained, ...]


def list_rules(session: Session, company_id: uuid.UUID) -> list[PostingRule]:
    """The company's rules in order."""
    return repository.company_rules(session, company_id)


def get_rule(session: Session, company_id: uuid.UUID, rule_id: uuid.UUID) -> PostingRule:
    return company_row(session, PostingRule, rule_id, company_id, "Posting rule")


def create_rule(session: Session, editor: Editor, values: dict[str, Any], position: int | None = None, *,
                via: str = "api") -> PostingRule:
    """Add a rule at ``position`` (default: after the last); the rules from there on move down one."""
    rows = repository.locked_rules(session, editor.company_id)
    plan = _planned(rows)
    index = _index(position, len(plan) + 1)
    plan.insert(index, Planned(None, _read_one(values)))
    return _write(session, editor, rows, plan, via)[index]


def promote_line(session: Session, editor: Editor, line_id: uuid.UUID, *, keywords: tuple[str, ...] | None = None,
                 name: str | None = None, position: int | None = None) -> PostingRule:
    """Make a voucher's expense or asset line a rule (``posting.rules.promotion``): its vendor's lines with its
    words go to its account. The audit log names the line it was promoted from."""
    line = company_row(session, VoucherLine, line_id, editor.company_id, "Voucher line")
    if line.kind not in EXPENSE_ROLES:
        raise InvalidRequest(f"Line {line.line_no} is a {line.kind} line: only expense and asset lines, whose account "
                             "is a choice, are made rules.")
    try:
        values = promoted_rule(vendor=_vendor_name(session, line), description=line.description,
                               account_code=line.account.code, account_name=line.account.name, keywords=keywords,
                               name=name)
    except ValueError as exc:
        raise InvalidRequest(f"Cannot make a rule of it: {exc}.") from exc
    return create_rule(session, editor, values, position, via=f"promoted from voucher line {line.id}")


def _vendor_name(session: Session, line: VoucherLine) -> str | None:
    """The vendor of the master the line's document was matched to, if any."""
    voucher = session.get(Voucher, line.voucher_id)
    document = session.get(Document, voucher.document_id) if voucher.document_id else None
    vendor = session.get(Vendor, document.vendor_id) if document and document.vendor_id else None
    return vendor.name if vendor else None


def update_rule(session: Session, editor: Editor, rule_id: uuid.UUID, values: dict[str, Any],
                position: int | None = None) -> PostingRule:
    """Give the rule the name, active flag, conditions and outcome of ``values`` (what they leave out is not kept),
    and move it to ``position`` if given."""
    rows = repository.locked_rules(session, editor.company_id)
    row = get_rule(session, editor.company_id, rule_id)
    plan = _planned(rows)
    index = rows.index(row)
    plan.pop(index)
    index = index if position is None else _index(position, len(plan) + 1)
    plan.insert(index, Planned(row, _read_one(values)))
    return _write(session, editor, rows, plan, "api")[index]


def delete_rule(session: Session, editor: Editor, rule_id: uuid.UUID) -> None:
    """Delete the rule; the rules after it move up one."""
    rows = repository.locked_rules(session, editor.company_id)
    row = get_rule(session, editor.company_id, rule_id)
    _write(session, editor, rows, [planned for planned in _planned(rows) if planned.row is not row], "api")


def import_rules(session: Session, editor: Editor, data: bytes, mode: Mode = "append",
                 filename: str = "") -> ImportSummary:
    """Add the rules of a YAML or JSON file in its order, after the company's (``append``) or instead of them
    (``replace``): every rule is read and the whole list checked first, then all are written, or none."""
    rules = read_rules(read_rows(_as_yaml(data), "yaml", FILE_KEY))
    rows = repository.locked_rules(session, editor.company_id)
    kept = _planned(rows) if mode == "append" else []
    _write(session, editor, rows, kept + [Planned(None, rule) for rule in rules], f"import {filename}".strip())
    return ImportSummary(created=len(rules), deleted=len(rows) - len(kept))


def export_rules(session: Session, company_id: uuid.UUID) -> str:
    """The company's rules as a YAML file that imports (with ``replace``) as the same rules."""
    rules = [repository.rule_of(row).as_json() for row in repository.company_rules(session, company_id)]
    return yaml.safe_dump({"posting_rules": rules}, sort_keys=False, allow_unicode=True)


def _as_yaml(data: bytes) -> bytes:
    """JSON is YAML, but for the tabs it may be indented with (never inside its strings, where JSON escapes them)."""
    try:
        json.loads(data)
    except ValueError:
        return data
    return data.replace(b"\t", b" ")


def _planned(rows: list[PostingRule]) -> list[Planned]:
    return [Planned(row, repository.rule_of(row)) for row in rows]


def _index(position: int | None, last: int) -> int:
    """The list index of ``position`` in a list of ``last`` places (``None``: the last)."""
    if position is None:
        return last - 1
    if not 1 <= position <= last:
        raise InvalidRequest(f"position must be from 1 to {last} (the company has {last - 1} rules besides this "
                             f"one), not {position}.")
    return position - 1


def _read_one(values: dict[str, Any]) -> Rule:
    return read_rules([Row(1, values)])[0]


def _write(session: Session, editor: Editor, rows: list[PostingRule], plan: list[Planned],
           via: str) -> list[PostingRule]:
    """Store the company's rules as ``plan`` orders them, if they pass the checks; each change in the audit log."""
    rules = [replace(planned.rule, position=number, id=planned.row.id if planned.row else None)
             for number, planned in enumerate(plan, start=1)]
    changed = [rule.position for rule, planned in zip(rules, plan)
               if planned.row is None or _values(planned.row) != rule.as_json()]
    problems = check_rules(rules, repository.known_records(session, editor.company_id), changed)
    if problems:
        raise refusal(problems)
    kept = {planned.row.id for planned in plan if planned.row is not None}
    for row in rows:
        if row.id not in kept:
            _delete(session, editor, row, via)
    stored = [_store(session, editor, planned.row, rule, via) for planned, rule in zip(plan, rules)]
    session.flush()
    return stored


def _values(row: PostingRule) -> dict[str, Any]:
    """A stored rule as ``Rule.as_json`` gives it."""
    return {"name": row.name, "active": row.active, "conditions": row.conditions, "outcome": row.outcome}


def _snapshot(row: PostingRule) -> dict[str, Any]:
    return {"position": row.position, **_values(row)}


def _store(session: Session, editor: Editor, row: PostingRule | None, rule: Rule, via: str) -> PostingRule:
    after = {"position": rule.position, **rule.as_json()}
    before = _snapshot(row) if row is not None else None
    if before == after:
        return row
    if row is None:
        row = PostingRule(id=uuid.uuid4(), company_id=editor.company_id)
        session.add(row)
    row.position, row.name, row.active = rule.position, rule.name, rule.active
    row.conditions, row.outcome = after["conditions"], after["outcome"]
    _record(session, editor, row.id, "created" if before is None else "updated", before, after, via)
    return row


def _delete(session: Session, editor: Editor, row: PostingRule, via: str) -> None:
    _record(session, editor, row.id, "deleted", _snapshot(row), None, via)
    session.delete(row)


def _record(session: Session, editor: Editor, rule_id: uuid.UUID, action: str, before: dict[str, Any] | None,
            after: dict[str, Any] | None, via: str) -> None:
    audit.record(session, company_id=editor.company_id, actor=editor.actor, action=f"posting_rule.{action}",
                 entity_type="posting_rule", entity_id=rule_id, data={"via": via, "before": before, "after": after})


def explain(session: Session, company_id: uuid.UUID, document_id: uuid.UUID) -> Explanation:
    """Which rules decide each expense line of the voucher the document's latest fields would draft now, and why.
    A dry run: whatever drafting would write (a company's first chart) is rolled back."""
    document = company_row(session, Document, document_id, company_id, "Document")
    if not posting_service.has_voucher(document):
        kind = f"a {document.doc_type}" if document.doc_type else "of no known type"
        raise InvalidRequest(f"Document {document_id} is {kind}; only invoices, receipts and expense claims have "
                             "vouchers whose rules can be explained.")
    with session.begin_nested() as dry_run:
        try:
            draft = posting_service.preview_draft(session, document)
        except CannotDraft as exc:
            raise InvalidRequest(f"No voucher can be drafted from document {document_id}: {exc}.") from exc
        finally:
            dry_run.rollback()
    lines = tuple(_explained(number, line) for number, line in enumerate(draft.lines, start=1)
                  if line.role in EXPENSE_ROLES)
    return Explanation(document_id, draft.approval_route, lines)


def _explained(number: int, line: DraftLine) -> LineExplained:
    return LineExplained(number, line.description, line.amount, line.account_code, line.cost_centre_code,
                         line.project_code, line.rules, line.reason)
