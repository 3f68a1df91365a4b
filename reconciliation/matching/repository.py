"""Queries of matching: the lines to match and the open items, vendors and aliases to match them with; matches,
aliases and settings. Every one scoped by company (a line by its statement, which is)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from core.pagination import page_of, paginate
from models import (BankTransaction, BankTransactionStatus, CounterpartyAlias, Match, MatchAllocation, MatchStatus,
                    OpenItem, OpenItemStatus, ReconciliationSettings, Vendor, Voucher)

BATCH = 500
"""Ids asked about in one query (well below any database's limit of parameters)."""
ACTIVE = (MatchStatus.AUTO, MatchStatus.SUGGESTED, MatchStatus.CONFIRMED)
"""A line has at most one match in these at a time."""


def lines_to_match(session: Session, statement_id: uuid.UUID) -> list[BankTransaction]:
    """The statement's lines that are neither matched, suggested nor ignored, in their order."""
    query = select(BankTransaction).where(BankTransaction.statement_id == statement_id,
                                          BankTransaction.status == BankTransactionStatus.UNMATCHED)
    return list(session.scalars(query.order_by(BankTransaction.line_no)))


def rejected_sets(session: Session, line_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, set[frozenset[str]]]:
    """For each line, the sets of open items people rejected for it."""
    found: dict[uuid.UUID, dict[uuid.UUID, set[str]]] = defaultdict(lambda: defaultdict(set))
    for batch in _batches(line_ids):
        query = (select(Match.transaction_id, Match.id, MatchAllocation.open_item_id)
                 .join(MatchAllocation, MatchAllocation.match_id == Match.id)
                 .where(Match.transaction_id.in_(batch), Match.status == MatchStatus.REJECTED))
        for line_id, match_id, item_id in session.execute(query):
            found[line_id][match_id].add(str(item_id))
    return {line_id: {frozenset(items) for items in matches.values()} for line_id, matches in found.items()}


def open_items(session: Session, company_id: uuid.UUID, currency: str) -> list[Row[Any]]:
    """What matching needs of each of the company's items still (partly) open in ``currency``: plain rows with the
    date of the item's voucher (its invoice date)."""
    query = (select(OpenItem.id, OpenItem.open_amount, OpenItem.currency, Voucher.date.label("issued"),
                    OpenItem.due_date, OpenItem.reference, OpenItem.vendor_id, OpenItem.counterparty)
             .join(Voucher, Voucher.id == OpenItem.voucher_id)
             .where(OpenItem.company_id == company_id, OpenItem.currency == currency,
                    OpenItem.status.in_((OpenItemStatus.OPEN, OpenItemStatus.PARTIALLY_PAID))))
    return list(session.execute(query))


def items_by_id(session: Session, company_id: uuid.UUID, item_ids: Sequence[uuid.UUID]) -> list[Row[Any]]:
    """The rows of ``open_items`` for the company's items ``item_ids`` (in whatever status)."""
    query = (select(OpenItem.id, OpenItem.open_amount, OpenItem.currency, Voucher.date.label("issued"),
                    OpenItem.due_date, OpenItem.reference, OpenItem.vendor_id, OpenItem.counterparty)
             .join(Voucher, Voucher.id == OpenItem.voucher_id)
             .where(OpenItem.company_id == company_id, OpenItem.id.in_(list(item_ids))))
    return list(session.execute(query))


def vendors(session: Session, company_id: uuid.UUID) -> list[Vendor]:
    return list(session.scalars(select(Vendor).where(Vendor.company_id == company_id)))


def aliases(session: Session, company_id: uuid.UUID) -> list[CounterpartyAlias]:
    return list(session.scalars(select(CounterpartyAlias).where(CounterpartyAlias.company_id == company_id)))


def alias(session: Session, company_id: uuid.UUID, kind: str, value: str,
          vendor_id: uuid.UUID) -> CounterpartyAlias | None:
    query = select(CounterpartyAlias).where(CounterpartyAlias.company_id == company_id,
                                            CounterpartyAlias.kind == kind, CounterpartyAlias.value == value,
                                            CounterpartyAlias.vendor_id == vendor_id)
    return session.scalars(query.with_for_update()).first()


def settings_row(session: Session, company_id: uuid.UUID) -> ReconciliationSettings | None:
    query = select(ReconciliationSettings).where(ReconciliationSettings.company_id == company_id)
    return session.scalars(query).first()


def locked_lines(session: Session, line_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, BankTransaction]:
    """The lines ``line_ids``, locked and read afresh."""
    found: dict[uuid.UUID, BankTransaction] = {}
    for batch in _batches(line_ids):
        query = (select(BankTransaction).where(BankTransaction.id.in_(batch)).order_by(BankTransaction.id)
                 .with_for_update().execution_options(populate_existing=True))
        found.update((line.id, line) for line in session.scalars(query))
    return found


def active_match(session: Session, line_id: uuid.UUID) -> Match | None:
    """The line's match that stands (automatic, suggested or confirmed), if any."""
    query = select(Match).where(Match.transaction_id == line_id, Match.status.in_(ACTIVE))
    return session.scalars(query.limit(1)).first()


def match_page(session: Session, company_id: uuid.UUID, statement_id: uuid.UUID, *, status: str | None, limit: int,
               cursor: str | None) -> tuple[list[Match], str | None]:
    """The matches of a statement's lines, newest first."""
    query = (select(Match).join(BankTransaction, BankTransaction.id == Match.transaction_id)
             .where(Match.company_id == company_id, BankTransaction.statement_id == statement_id))
    if status:
        query = query.where(Match.status == status)
    return page_of(list(session.scalars(paginate(query, Match, limit=limit, cursor=cursor))), limit)


def matches_with_lines(session: Session, company_id: uuid.UUID, status: str, limit: int, *,
                       newest_first: bool = False) -> list[tuple[Match, BankTransaction]]:
    """The company's matches of ``status`` with their lines: by booking day and line, or the newest first."""
    query = (select(Match, BankTransaction).join(BankTransaction, BankTransaction.id == Match.transaction_id)
             .where(Match.company_id == company_id, Match.status == status))
    order = ((Match.created_at.desc(), Match.id) if newest_first else
             (BankTransaction.booking_date, BankTransaction.line_no, Match.id))
    return [(match, line) for match, line in session.execute(query.order_by(*order).limit(limit))]


def unmatched_lines(session: Session, company_id: uuid.UUID, limit: int) -> list[BankTransaction]:
    query = select(BankTransaction).where(BankTransaction.company_id == company_id,
                                          BankTransaction.status == BankTransactionStatus.UNMATCHED)
    return list(session.scalars(query.order_by(BankTransaction.booking_date, BankTransaction.line_no).limit(limit)))


def items_of(session: Session, item_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, OpenItem]:
    found: dict[uuid.UUID, OpenItem] = {}
    for batch in _batches(item_ids):
        found.update((item.id, item) for item in session.scalars(select(OpenItem).where(OpenItem.id.in_(batch))))
    return found


def _batches(ids: Sequence[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        yield ids[start:start + BATCH]
