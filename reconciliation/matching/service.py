"""Matching use cases with a session: match a statement's lines (a job: read, match outside any transaction, store),
confirm, reject and make matches by hand, learn counterparty aliases from confirmations, keep the company's settings.

A statement's lines are matched by the job ``match_statement`` (``workers.matching``), staged through the outbox when
the statement is imported (``stage_matching``) and whenever someone asks again (``request_matching``): the engine
(``engine``) sees the company's open items in the statement's currency, its vendors and learned aliases and its
settings, as they were when the job read them; storing re-checks every line (still unmatched?) and every automatic
match's items (still as open?), so nothing is matched twice.

An automatic or confirmed match posts its clearing voucher (``posting.clearing``): the items' payables debited, the
bank account credited (the bank account's own ledger account, else the settings', else the chart's ``bank``), a
difference to the account of its kind; the items' open amounts shrink, the line is ``matched``. Rejecting an automatic
or confirmed match reverses its clearing voucher and gives the items their amounts back; the line is unmatched again
and the items rejected for it are never proposed for it again. Everything is scoped by company and audited; each
decision is all or nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from core import audit, outbox
from core.auth import Principal, principal_for
from core.db import company_row, utcnow
from core.errors import InvalidRequest, InvalidStatusTransition, LedgerdeskError
from core.identity import User
from core.permissions import Permission
from models import (BankAccount, BankStatement, BankTransaction, BankTransactionStatus, CounterpartyAlias, Match,
                    MatchAllocation, MatchStatus, OpenItem, ReconciliationSettings, Vendor, Voucher)
from posting.clearing.drafting import BankPayment
from posting.clearing.service import post_clearing, undo_clearing
from posting.masterdata.repository import active_keys
from reconciliation.matching import repository
from reconciliation.matching.manual import CannotMatch, by_hand
from reconciliation.matching.model import Item, LearnedAlias, Payment, Proposal, Rules
from reconciliation.matching.model import Vendor as VendorFacts
from reconciliation.matching.names import normalised_name

MATCH_JOB = "match_statement"
"""``workers.jobs.match_statement(statement_id, requested_by)``."""
ACCOUNT_SETTINGS = ("bank_account_code", "fee_account_code", "discount_account_code", "rounding_account_code")


@dataclass(frozen=True)
class Settings:
    """A company's reconciliation settings: the engine's rules and the accounts clearing vouchers use (None: the
    chart's account of the role)."""

    rules: Rules = field(default_factory=Rules)
    bank_account_code: str | None = None
    fee_account_code: str | None = None
    discount_account_code: str | None = None
    rounding_account_code: str | None = None

    def difference_account(self, kind: str | None) -> str | None:
        return getattr(self, f"{kind}_account_code") if kind else None


@dataclass(frozen=True)
class MatchingTask:
    """What a matching job read: the lines to match and everything they are matched with."""

    principal: Principal
    """Who imported the statement or asked to match it again: automatic matches are posted in their name."""
    statement_id: uuid.UUID
    payments: tuple[Payment, ...]
    items: tuple[Item, ...]
    vendors: tuple[VendorFacts, ...]
    aliases: tuple[LearnedAlias, ...]
    rules: Rules


@dataclass
class Stored:
    """What a run did with its lines (counted as its proposals are stored)."""

    automatic: int = 0
    suggested: int = 0
    unmatched: int = 0
    """Lines nothing fits well enough to suggest."""
    skipped: int = 0
    """Lines matched meanwhile (by a person, or a concurrent run): left as they were."""

    def describe(self) -> str:
        return (f"{self.automatic} matched automatically, {self.suggested} suggested, {self.unmatched} left unmatched, "
                f"{self.skipped} skipped")


# --- settings ---------------------------------------------------------------------------------------------------------


def settings_of(session: Session, company_id: uuid.UUID) -> Settings:
    """The company's settings, or the defaults when it has none."""
    row = repository.settings_row(session, company_id)
    if row is None:
        return Settings()
    rules = Rules(**{name.name: getattr(row, name.name) for name in fields(Rules)})
    return Settings(rules, **{name: getattr(row, name) for name in ACCOUNT_SETTINGS})


def change_settings(session: Session, principal: Principal, values: dict[str, Any]) -> Settings:
    """Replace the company's settings with ``values`` (those not given take their defaults); 422 naming every
    account that is not an active one of the chart, or thresholds the wrong way round."""
    principal.require(Permission.MANAGE_LEDGER)
    wanted = Settings(Rules(**{name.name: values[name.name] for name in fields(Rules) if name.name in values}),
                      **{name: values.get(name) for name in ACCOUNT_SETTINGS})
    _check_settings(session, principal.company_id, wanted)
    row = repository.settings_row(session, principal.company_id)
    before = settings_of(session, principal.company_id)
    if row is None:
        row = ReconciliationSettings(company_id=principal.company_id)
        session.add(row)
    for name in fields(Rules):
        setattr(row, name.name, getattr(wanted.rules, name.name))
    for name in ACCOUNT_SETTINGS:
        setattr(row, name, getattr(wanted, name))
    row.updated_by_id = principal.user_id
    audit.record(session, company_id=principal.company_id, actor=principal.actor,
                 action="reconciliation.settings_changed", entity_type="company", entity_id=principal.company_id,
                 data={"changes": _changes(before, wanted)})
    return wanted


def _check_settings(session: Session, company_id: uuid.UUID, wanted: Settings) -> None:
    accounts = active_keys(session, "accounts", company_id)
    problems = [f"{name}: {code} is not an active account of the chart" for name in ACCOUNT_SETTINGS
                if (code := getattr(wanted, name)) and code not in accounts]
    if wanted.rules.suggest_threshold > wanted.rules.auto_threshold:
        problems.append("suggest_threshold must not be above auto_threshold")
    if problems:
        raise InvalidRequest(f"The settings were not changed: {'; '.join(problems)}.")


def _changes(before: Settings, after: Settings) -> dict[str, list[Any]]:
    pairs = [(name.name, getattr(before.rules, name.name), getattr(after.rules, name.name)) for name in fields(Rules)]
    pairs += [(name, getattr(before, name), getattr(after, name)) for name in ACCOUNT_SETTINGS]
    return {name: [old, new] for name, old, new in pairs if old != new}


# --- running the engine -----------------------------------------------------------------------------------------------


def stage_matching(session: Session, statement: BankStatement, requested_by: uuid.UUID) -> None:
    """Have the statement's unmatched lines matched by a job, once the caller's transaction commits."""
    job_id = f"match-{statement.id}-{uuid.uuid4().hex[:12]}"
    outbox.stage_job(session, MATCH_JOB, [str(statement.id), str(requested_by)], job_id)


def request_matching(session: Session, principal: Principal, statement_id: uuid.UUID) -> tuple[BankStatement, int]:
    """Match the statement's unmatched lines again (new open items were posted, the settings changed ...): staged
    as a job; how many lines it will look at."""
    principal.require(Permission.RECONCILE)
    statement = company_row(session, BankStatement, statement_id, principal.company_id, "Bank statement")
    stage_matching(session, statement, principal.user_id)
    return statement, len(repository.lines_to_match(session, statement.id))


def matching_task(session: Session, statement_id: uuid.UUID, requested_by: uuid.UUID) -> MatchingTask | None:
    """What the job matches, read in one go; None when there is nothing to match or nobody to match it for."""
    statement, user = session.get(BankStatement, statement_id), session.get(User, requested_by)
    if statement is None or user is None or not user.is_active or user.company_id != statement.company_id:
        return None
    lines = repository.lines_to_match(session, statement.id)
    if not lines:
        return None
    rejected = repository.rejected_sets(session, [line.id for line in lines])
    items = repository.open_items(session, statement.company_id, statement.currency)
    return MatchingTask(principal_for(user), statement.id, tuple(payment_of(line, rejected.get(line.id, set()))
                                                                 for line in lines),
                        tuple(item_of(row) for row in items), *_directory(session, statement.company_id),
                        settings_of(session, statement.company_id).rules)


def payment_of(line: BankTransaction, rejected: set[frozenset[str]] = frozenset()) -> Payment:
    return Payment(str(line.id), line.amount, line.currency, line.booking_date, line.counterparty_name,
                   line.counterparty_iban, tuple(line.reference_tokens), line.creditor_reference, frozenset(rejected))


def item_of(row: Any) -> Item:
    return Item(str(row.id), row.open_amount, row.currency, row.issued, row.due_date, row.reference,
                str(row.vendor_id) if row.vendor_id else None, row.counterparty)


def _directory(session: Session, company_id: uuid.UUID) -> tuple[tuple[VendorFacts, ...], tuple[LearnedAlias, ...]]:
    vendors = tuple(VendorFacts(str(row.id), row.name, (row.iban or "").replace(" ", "").upper() or None,
                                tuple(row.aliases or ())) for row in repository.vendors(session, company_id))
    aliases = tuple(LearnedAlias(row.kind, row.value, str(row.vendor_id), row.confirmations)
                    for row in repository.aliases(session, company_id))
    return vendors, aliases


def store_proposals(session: Session, task: MatchingTask, proposals: list[Proposal], stored: Stored) -> None:
    """Store (some of) a run's proposals, counting into ``stored``: each line still unmatched gets its match; an
    automatic one is posted, or (its items changed meanwhile, its period closed, an account missing ...) stored as a
    suggestion saying why."""
    lines = repository.locked_lines(session, [uuid.UUID(proposal.payment_id) for proposal in proposals])
    settings = settings_of(session, task.principal.company_id)
    for proposal in proposals:
        line = lines.get(uuid.UUID(proposal.payment_id))
        if line is None or line.status != BankTransactionStatus.UNMATCHED:
            stored.skipped += 1
            continue
        match = _stored_match(session, task.principal, line, proposal, settings)
        stored.automatic += match.status == MatchStatus.AUTO
        stored.suggested += match.status == MatchStatus.SUGGESTED


def _stored_match(session: Session, principal: Principal, line: BankTransaction, proposal: Proposal,
                  settings: Settings) -> Match:
    match = _new_match(line, proposal, MatchStatus.AUTO if proposal.automatic else MatchStatus.SUGGESTED)
    if proposal.automatic:
        try:
            with session.begin_nested():
                match.clearing_voucher_id = _clear(session, principal, match, line, settings).id
        except LedgerdeskError as refused:
            match.status = MatchStatus.SUGGESTED
            match.reasons = [*match.reasons, f"not matched automatically: {refused.detail}"]
    _add(session, principal, match, line, f"match.{match.status}", {})
    return match


# --- people's decisions -----------------------------------------------------------------------------------------------


def list_matches(session: Session, principal: Principal, statement_id: uuid.UUID, *, status: str | None, limit: int,
                 cursor: str | None) -> tuple[list[Match], str | None]:
    principal.require(Permission.RECONCILE)
    company_row(session, BankStatement, statement_id, principal.company_id, "Bank statement")
    return repository.match_page(session, principal.company_id, statement_id, status=status, limit=limit,
                                 cursor=cursor)


def get_match(session: Session, principal: Principal, match_id: uuid.UUID) -> Match:
    principal.require(Permission.RECONCILE)
    return company_row(session, Match, match_id, principal.company_id, "Match")


def confirm(session: Session, principal: Principal, match_id: uuid.UUID) -> Match:
    """Confirm a suggestion (its clearing voucher is posted) or an automatic match (it stays posted); either way a
    person agreed, and the line's counterparty name and IBAN are learned as the vendor's."""
    match, line = _locked(session, principal, match_id)
    if match.status not in (MatchStatus.SUGGESTED, MatchStatus.AUTO):
        raise InvalidStatusTransition(f"Match {match.id} is {match.status}; only suggested and automatic matches are "
                                      "confirmed.")
    if match.status == MatchStatus.SUGGESTED:
        match.clearing_voucher_id = _clear(session, principal, match, line, settings_of(session, match.company_id)).id
    _decided(match, principal, MatchStatus.CONFIRMED)
    line.status = BankTransactionStatus.MATCHED
    _record(session, principal, match, "match.confirmed", {"learned": _learn(session, match, line, 1)})
    return match


def reject(session: Session, principal: Principal, match_id: uuid.UUID) -> Match:
    """Say no to a suggestion, or undo an automatic or confirmed match: its clearing voucher is reversed and the
    items get their amounts back. The line is unmatched again; these items are not proposed for it again."""
    match, line = _locked(session, principal, match_id)
    if match.status == MatchStatus.REJECTED:
        raise InvalidStatusTransition(f"Match {match.id} was rejected already.")
    undone = None
    if match.clearing_voucher_id is not None:
        voucher = session.get(Voucher, match.clearing_voucher_id)
        undone = undo_clearing(session, principal, voucher, _allocations(match), f"match {match.id} rejected").id
    learned = _learn(session, match, line, -1) if match.status == MatchStatus.CONFIRMED else []
    _decided(match, principal, MatchStatus.REJECTED)
    line.status = BankTransactionStatus.UNMATCHED
    _record(session, principal, match, "match.rejected",
            {"reversal_id": str(undone) if undone else None, "unlearned": learned})
    return match


def match_by_hand(session: Session, principal: Principal, line_id: uuid.UUID,
                  item_ids: list[uuid.UUID]) -> Match:
    """Match a line to the open items a person chose (oldest due first; ``manual``); its clearing voucher is posted
    and the counterparty learned. A suggestion the line had gives way to it."""
    principal.require(Permission.RECONCILE)
    line = company_row(session, BankTransaction, line_id, principal.company_id, "Bank line")
    line = repository.locked_lines(session, [line.id])[line.id]
    _replace_suggestion(session, principal, line)
    settings = settings_of(session, principal.company_id)
    proposal = _by_hand(session, principal, line, item_ids, settings)
    match = _new_match(line, proposal, MatchStatus.CONFIRMED)
    match.clearing_voucher_id = _clear(session, principal, match, line, settings).id
    _decided(match, principal, MatchStatus.CONFIRMED)
    _add(session, principal, match, line, "match.by_hand", {"learned": _learn(session, match, line, 1)})
    return match


def _by_hand(session: Session, principal: Principal, line: BankTransaction, item_ids: list[uuid.UUID],
             settings: Settings) -> Proposal:
    if len(set(item_ids)) != len(item_ids):
        raise InvalidRequest("open_item_ids names an item twice; name each once.")
    rows = repository.items_by_id(session, principal.company_id, item_ids)
    if missing := sorted({str(item_id) for item_id in item_ids} - {str(row.id) for row in rows}):
        raise InvalidRequest(f"There is no open item {', '.join(missing)}; GET /api/v1/open-items lists them.")
    vendors, aliases = _directory(session, principal.company_id)
    try:
        return by_hand(payment_of(line), [item_of(row) for row in rows], vendors, aliases, settings.rules,
                       principal.email)
    except CannotMatch as refused:
        raise InvalidRequest(f"Line {line.line_no} cannot be matched to these items: {refused}.") from None


def _replace_suggestion(session: Session, principal: Principal, line: BankTransaction) -> None:
    standing = repository.active_match(session, line.id)
    if standing is None:
        return
    if standing.status != MatchStatus.SUGGESTED:
        raise InvalidStatusTransition(f"Line {line.line_no} is matched already (match {standing.id}, "
                                      f"{standing.status}); reject that match first.")
    _decided(standing, principal, MatchStatus.REJECTED)
    _record(session, principal, standing, "match.rejected", {"replaced": "by a match by hand"})


# --- the clerks' page -------------------------------------------------------------------------------------------------

BOARD_SUGGESTIONS, BOARD_AUTOMATIC, BOARD_UNMATCHED = 200, 50, 200
"""How many suggestions (oldest payment first), automatic matches (newest first) and unmatched lines the page shows."""


@dataclass(frozen=True)
class BoardRow:
    match: Match
    line: BankTransaction
    items: list[OpenItem]
    """The match's open items, in its order."""


@dataclass(frozen=True)
class Board:
    """What the reconciliation page shows: suggestions to decide, automatic matches to check, lines nothing fits."""

    suggestions: list[BoardRow]
    automatic: list[BoardRow]
    unmatched: list[BankTransaction]


def board(session: Session, principal: Principal) -> Board:
    principal.require(Permission.RECONCILE)
    suggestions = repository.matches_with_lines(session, principal.company_id, MatchStatus.SUGGESTED,
                                                BOARD_SUGGESTIONS)
    automatic = repository.matches_with_lines(session, principal.company_id, MatchStatus.AUTO, BOARD_AUTOMATIC,
                                              newest_first=True)
    items = repository.items_of(session, [a.open_item_id for match, _ in suggestions + automatic
                                          for a in match.allocations])
    rows = [[BoardRow(match, line, [items[a.open_item_id] for a in match.allocations]) for match, line in found]
            for found in (suggestions, automatic)]
    return Board(*rows, repository.unmatched_lines(session, principal.company_id, BOARD_UNMATCHED))


# --- helpers ----------------------------------------------------------------------------------------------------------


def _new_match(line: BankTransaction, proposal: Proposal, status: MatchStatus) -> Match:
    allocations = [MatchAllocation(company_id=line.company_id, open_item_id=uuid.UUID(allocation.item_id),
                                   position=position, amount=allocation.amount)
                   for position, allocation in enumerate(proposal.allocations)]
    return Match(id=uuid.uuid4(), company_id=line.company_id, transaction_id=line.id, amount=proposal.paid,
                 difference=proposal.difference, difference_kind=proposal.difference_kind, score=proposal.score,
                 reasons=list(proposal.reasons), status=status, allocations=allocations)


def _add(session: Session, principal: Principal, match: Match, line: BankTransaction, action: str,
         data: dict[str, Any]) -> None:
    session.add(match)
    line.status = (BankTransactionStatus.SUGGESTED if match.status == MatchStatus.SUGGESTED
                   else BankTransactionStatus.MATCHED)
    session.flush()
    _record(session, principal, match, action, {"score": match.score, "reasons": match.reasons, **data})


def _clear(session: Session, principal: Principal, match: Match, line: BankTransaction,
           settings: Settings) -> Voucher:
    """Post the match's clearing voucher and take its allocations off the items."""
    statement = session.get(BankStatement, line.statement_id)
    account = session.get(BankAccount, line.account_id)
    payment = BankPayment(
        day=line.booking_date, currency=line.currency, paid=match.amount,
        what=f"line {line.line_no} of statement {statement.reference or statement.filename} of {account.identifier}",
        reason="; ".join(match.reasons), bank_account_code=account.ledger_account_code or settings.bank_account_code,
        difference_kind=match.difference_kind,
        difference_account_code=settings.difference_account(match.difference_kind))
    return post_clearing(session, principal, payment, _allocations(match))


def _allocations(match: Match) -> list[tuple[uuid.UUID, Decimal]]:
    return [(allocation.open_item_id, allocation.amount) for allocation in match.allocations]


def _locked(session: Session, principal: Principal, match_id: uuid.UUID) -> tuple[Match, BankTransaction]:
    principal.require(Permission.RECONCILE)
    match = company_row(session, Match, match_id, principal.company_id, "Match")
    line = repository.locked_lines(session, [match.transaction_id])[match.transaction_id]
    session.refresh(match, with_for_update=True)
    return match, line


def _decided(match: Match, principal: Principal, status: MatchStatus) -> None:
    match.status, match.decided_by_id, match.decided_at = status, principal.user_id, utcnow()


def _learn(session: Session, match: Match, line: BankTransaction, change: int) -> list[str]:
    """Count (or, undoing, uncount) a confirmation of the line's name and IBAN as the vendor of the match's items;
    what was learned. Only a match of one vendor's items teaches, and nothing the vendor master says already."""
    items = repository.items_of(session, [allocation.open_item_id for allocation in match.allocations])
    vendor_ids = {item.vendor_id for item in items.values()}
    if len(vendor_ids) != 1 or None in vendor_ids:
        return []
    vendor = session.get(Vendor, vendor_ids.pop())
    known = {("iban", (vendor.iban or "").replace(" ", "").upper()), ("name", normalised_name(vendor.name))}
    said = [("iban", line.counterparty_iban), ("name", normalised_name(line.counterparty_name))]
    return [f"{kind} {value}" for kind, value in said
            if value and (kind, value) not in known and _count(session, match.company_id, kind, value, vendor, change)]


def _count(session: Session, company_id: uuid.UUID, kind: str, value: str, vendor: Vendor, change: int) -> bool:
    row = repository.alias(session, company_id, kind, value[:200], vendor.id)
    if row is None and change < 0:
        return False
    if row is None:
        row = CounterpartyAlias(company_id=company_id, kind=kind, value=value[:200], vendor_id=vendor.id,
                                confirmations=0)
        session.add(row)
    row.confirmations += change
    if row.confirmations <= 0:
        session.delete(row)
    return True


def _record(session: Session, principal: Principal, match: Match, action: str, data: dict[str, Any]) -> None:
    audit.record(session, company_id=match.company_id, actor=principal.actor, action=action, entity_type="match",
                 entity_id=match.id,
                 data={"transaction_id": str(match.transaction_id), "status": match.status,
                       "open_items": {str(a.open_item_id): str(a.amount) for a in match.allocations},
                       "clearing_voucher_id": str(match.clearing_voucher_id) if match.clearing_voucher_id else None,
                       **data})
