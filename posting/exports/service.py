"""Export use cases with a session: list the vouchers an export takes as a file, make a batch of those not exported
before (each marked with it, so no voucher is exported twice), download a batch again, list batches.

A batch's file is stored as it was first written (in the blob store): downloading the batch again gives the same
bytes, whatever changed since (a voucher posted after it was exported as approved, an account renamed).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core import audit
from core.auth import Principal
from core.blobs import get_blob_store
from core.db import company_row
from core.errors import InvalidRequest
from core.permissions import Permission
from models import Document, ExportBatch, Voucher, VoucherLine
from posting.documents import latest_facts, payee_of
from posting.exports import repository
from posting.exports.columns import ExportLine, ExportVoucher, in_batch, line_count
from posting.exports.filters import ExportFilter
from posting.exports.formats import ExportFile, render
from posting.openitems.service import counterparty_name


@dataclass(frozen=True)
class Exporter:
    """Who makes an export batch, and of which company."""

    company_id: uuid.UUID
    actor: str
    """As the audit log names them: ``user:ada@example.com``, ``system:cli``."""


@dataclass(frozen=True)
class Parties:
    """Who a voucher's document says the voucher owes, and the invoice number it gives."""

    counterparty: str | None
    reference: str | None


def exporter_of(principal: Principal) -> Exporter:
    """The caller as a maker of export batches; ``PermissionDenied`` unless they may (``MANAGE_LEDGER``)."""
    principal.require(Permission.MANAGE_LEDGER)
    return Exporter(principal.company_id, principal.actor)


def read_vouchers(session: Session, company_id: uuid.UUID, wanted: ExportFilter, fmt: str, *,
                  include_exported: bool = False) -> ExportFile:
    """The vouchers ``wanted`` takes that were not exported yet (or all of them, ``include_exported``) as a file;
    nothing is marked."""
    rows = repository.matching_vouchers(session, company_id, wanted, include_exported=include_exported)
    return ExportFile(render(export_vouchers(session, rows), fmt), fmt, None, len(rows))


def create_batch(session: Session, exporter: Exporter, wanted: ExportFilter, fmt: str) -> ExportFile:
    """Export the vouchers ``wanted`` takes that were not exported yet as a new batch, each marked with it. With
    none, the file has the header alone and no batch is made."""
    rows = repository.matching_vouchers(session, exporter.company_id, wanted, include_exported=False, lock=True)
    if not rows:
        return ExportFile(render([], fmt), fmt, None, 0)
    batch_id = uuid.uuid4()
    vouchers = in_batch(export_vouchers(session, rows), batch_id)
    content = render(vouchers, fmt)
    batch = ExportBatch(id=batch_id, company_id=exporter.company_id, created_by=exporter.actor, format=fmt,
                        filters=wanted.as_json(), voucher_count=len(rows), line_count=line_count(vouchers),
                        blob_key=get_blob_store().put(content))
    _mark_exported(session, exporter, batch, rows)
    return ExportFile(content, fmt, batch_id, len(rows))


def _mark_exported(session: Session, exporter: Exporter, batch: ExportBatch, rows: list[Voucher]) -> None:
    session.add(batch)
    session.flush()
    for row in rows:
        row.export_batch_id = batch.id
    audit.record(session, company_id=exporter.company_id, actor=exporter.actor, action="export_batch.created",
                 entity_type="export_batch", entity_id=batch.id,
                 data={"format": batch.format, "filters": batch.filters, "sha256": batch.blob_key,
                       "voucher_ids": [str(row.id) for row in rows]})


def batch_file(session: Session, company_id: uuid.UUID, batch_id: uuid.UUID, fmt: str | None = None) -> ExportFile:
    """The batch's file as it was first written; 422 when ``fmt`` is not the format it was exported in."""
    batch = company_row(session, ExportBatch, batch_id, company_id, "Export batch")
    if fmt and fmt != batch.format:
        raise InvalidRequest(f"Export batch {batch.id} was exported as {batch.format}, and a batch is downloaded as "
                             f"the file it was: ask for format={batch.format}, or leave format out.")
    return ExportFile(get_blob_store().get(batch.blob_key), batch.format, batch.id, batch.voucher_count)


def list_batches(session: Session, company_id: uuid.UUID, *, limit: int = 50,
                 cursor: str | None = None) -> tuple[list[ExportBatch], str | None]:
    """A page of the company's export batches, newest first, and the next page's cursor."""
    return repository.batch_page(session, company_id, limit=limit, cursor=cursor)


def export_vouchers(session: Session, rows: list[Voucher]) -> list[ExportVoucher]:
    """The vouchers as an export writes them, with who each owes and its invoice number."""
    documents = repository.source_documents(session, rows)
    unique = {document.id: document for document in documents.values() if document}
    parties = {document_id: _parties(session, document) for document_id, document in unique.items()}
    return [_export_voucher(row, documents[row.id], parties) for row in rows]


def _parties(session: Session, document: Document) -> Parties:
    """As the voucher's open items name them (``posting.openitems``)."""
    facts = latest_facts(session, document)
    reference = facts.value("invoice_number")
    return Parties(counterparty_name(payee_of(session, document, facts), facts), str(reference) if reference else None)


def _export_voucher(voucher: Voucher, document: Document | None, parties: dict[uuid.UUID, Parties]) -> ExportVoucher:
    named = parties[document.id] if document else Parties(None, None)
    return ExportVoucher(
        voucher_id=voucher.id, voucher_date=voucher.date, period=voucher.period, status=voucher.status,
        document_id=document.id if document else None, document_type=document.doc_type if document else None,
        currency=voucher.currency, exchange_rate=voucher.exchange_rate, base_currency=voucher.base_currency,
        counterparty=named.counterparty, reference=named.reference, reverses_id=voucher.reverses_id,
        batch_id=voucher.export_batch_id, posted_at=voucher.posted_at,
        lines=tuple(_export_line(line) for line in voucher.lines))


def _export_line(line: VoucherLine) -> ExportLine:
    return ExportLine(line_no=line.line_no, account_code=line.account.code, account_name=line.account.name,
                      debit=line.debit, credit=line.credit, base_debit=line.base_debit, base_credit=line.base_credit,
                      cost_centre=line.cost_centre_code, kind=line.kind, description=line.description,
                      reason=line.reason, project=line.project_code)
