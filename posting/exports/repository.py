"""Queries of exports, each scoped by company: the vouchers an export takes, the documents they were drafted from,
export batches."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from core.pagination import page_of, paginate
from models import Document, ExportBatch, Voucher
from posting.exports.filters import ExportFilter


def matching_vouchers(session: Session, company_id: uuid.UUID, wanted: ExportFilter, *, include_exported: bool,
                      lock: bool = False) -> list[Voucher]:
    """The company's vouchers ``wanted`` takes (those in a batch only if ``include_exported``), by date.

    ``lock`` locks them for the transaction: of two batches made at once, the second waits and then finds the
    vouchers the first took exported (PostgreSQL checks the condition again on the rows it waited for; SQLite runs
    one writer at a time)."""
    query = _matching(company_id, wanted)
    if not include_exported:
        query = query.where(Voucher.export_batch_id.is_(None))
    query = query.order_by(Voucher.date, Voucher.created_at, Voucher.id)
    return list(session.scalars(query.with_for_update() if lock else query))


def _matching(company_id: uuid.UUID, wanted: ExportFilter) -> Select:
    query = select(Voucher).where(Voucher.company_id == company_id, Voucher.status.in_(wanted.statuses))
    if wanted.start:
        query = query.where(Voucher.date >= wanted.start)
    if wanted.end:
        query = query.where(Voucher.date <= wanted.end)
    return query


def source_documents(session: Session, vouchers: list[Voucher]) -> dict[uuid.UUID, Document | None]:
    """The document each voucher was drafted from, by voucher id: a reversal's is the reversed voucher's."""
    document_ids = _source_document_ids(session, vouchers)
    query = select(Document).where(Document.id.in_(set(document_ids.values()) - {None}))
    documents = {row.id: row for row in session.scalars(query)}
    return {voucher_id: documents.get(document_id) for voucher_id, document_id in document_ids.items()}


def _source_document_ids(session: Session, vouchers: list[Voucher]) -> dict[uuid.UUID, uuid.UUID | None]:
    reversed_ids = {voucher.reverses_id for voucher in vouchers if voucher.reverses_id}
    query = select(Voucher.id, Voucher.document_id).where(Voucher.id.in_(reversed_ids))
    originals = {voucher_id: document_id for voucher_id, document_id in session.execute(query)}
    return {voucher.id: voucher.document_id or originals.get(voucher.reverses_id) for voucher in vouchers}


def batch_page(session: Session, company_id: uuid.UUID, *, limit: int,
               cursor: str | None) -> tuple[list[ExportBatch], str | None]:
    """A page of the company's export batches, newest first, and the next page's cursor."""
    query = select(ExportBatch).where(ExportBatch.company_id == company_id)
    rows = list(session.scalars(paginate(query, ExportBatch, limit=limit, cursor=cursor)))
    return page_of(rows, limit)
