"""Extraction use cases with a session: claim a document, store results (matched to the vendor master, with what
was learned about the vendor's documents), record corrections, learn from confirmations, keep the vendor master."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select, true, update
from sqlalchemy.orm import Session

from core import audit
from core.audit import WORKER_ACTOR
from core.auth import Principal
from core.db import utcnow
from core.errors import Conflict, InvalidRequest, NotFound
from core.permissions import Permission
from extraction import repository
from extraction.duplicates import (NEAR_DISTANCE, Finding, OtherDocument, duplicate_issue, fingerprint_rows, hamming,
                                   hash_bands, invoice_key, numbers_agree, page_numbers, picture_hash,
                                   same_document_reason)
from extraction.layout import document_lines
from extraction.learned.candidates import candidates
from extraction.model import ExtractedField, ExtractionResult, Issue, PageText, word_json
from extraction.pipeline import DocumentInput
from extraction.validate import item_values, revalidated
from extraction.vendor_memory import FieldMemory, observe, recalled_fields, remembered
from extraction.vendors import (VENDOR_RULES, VendorProposal, VendorRecord, VendorVerdict, match_vendor,
                                matched_fields)
from models import Document, DocumentStatus, Extraction, Page, Vendor, VendorFieldMemory

CLAIMABLE = (DocumentStatus.RECEIVED, DocumentStatus.PROCESSING)


def claim_for_processing(session: Session, document_id: uuid.UUID, job_id: str | None,
                         max_attempts: int) -> DocumentInput | None:
    """Mark the document ``processing`` and describe it, or None when there is nothing to do.

    Only the document's current job may claim it (``job_id`` None: whichever that is), in one atomic
    UPDATE, so a stale or duplicate job for the same document steps aside. A document started more than
    ``max_attempts`` times without finishing (its worker was killed each time) fails instead.
    """
    claim = (update(Document)
             .where(Document.id == document_id, Document.status.in_(CLAIMABLE),
                    Document.job_id == job_id if job_id else true())
             .values(status=DocumentStatus.PROCESSING, attempts=Document.attempts + 1, updated_at=utcnow())
             .execution_options(synchronize_session=False))
    if session.execute(claim).rowcount != 1:
        return None
    document = session.get(Document, document_id, populate_existing=True)
    if document.attempts > max_attempts:
        mark_failed(session, document, f"Processing started {document.attempts - 1} times without finishing (the "
                                       "worker may have run out of memory or been killed). Retry it, or report it "
                                       "if it keeps failing.")
        return None
    return DocumentInput(str(document.id), str(document.company_id), document.sha256, document.media_type,
                         document.declared_doc_type)


def owned_document(session: Session, document_id: uuid.UUID, job_id: str | None) -> Document | None:
    """The document, locked, if job ``job_id`` still owns its processing (None when it was superseded,
    e.g. queued again while this job ran); every later change of the job's transaction is then safe."""
    document = session.get(Document, document_id, with_for_update=True, populate_existing=True)
    if document is None or document.status != DocumentStatus.PROCESSING:
        return None
    return document if job_id is None or document.job_id == job_id else None


def store_result(session: Session, document: Document, result: ExtractionResult, image_keys: list[str | None],
                 timings: dict[str, float], page_hash: int | None = None) -> Extraction:
    """Keep the pages (words and page images) and the machine's extraction (version 1) of a processed document,
    with a warning for each earlier document it is likely a duplicate of (``page_hash``: its first page's picture
    hash, where the page was drawn; used when that page is a picture)."""
    _store_pages(session, document, result, image_keys)
    document.page_count = len(result.pages) or None
    document.doc_type = result.doc_type
    document.doc_type_confidence = result.doc_type_confidence
    document.timings = timings
    duplicates = record_duplicates(session, document, result, page_hash)
    result = with_vendor(session, document, result)
    extraction = Extraction(
        company_id=document.company_id, document_id=document.id, version=1, kind="machine",
        producer=result.producer, doc_type=result.doc_type,
        fields={name: f.as_json() for name, f in result.fields.items()}, line_items=result.line_items,
        validation=[issue.as_json() for issue in [*result.issues, *duplicates]],
    )
    session.add(extraction)
    session.flush()
    audit.record(session, company_id=document.company_id, actor=WORKER_ACTOR, action="document.extracted",
                 entity_type="document", entity_id=document.id,
                 data={"doc_type": result.doc_type, "fields": sorted(result.fields), "producer": result.producer,
                       **({"likely_duplicates": len(duplicates)} if duplicates else {}),
                       **({"vendor_id": str(document.vendor_id)} if document.vendor_id else {})})
    return extraction


def _store_pages(session: Session, document: Document, result: ExtractionResult, image_keys: list[str | None]) -> None:
    """Each page is written and let go before the next is built, so a long dense document holds the stored form
    of one page's words at a time, not of all of them."""
    for page, image_key in zip(result.pages, image_keys, strict=True):
        row = Page(company_id=document.company_id, document_id=document.id, number=page.number, width=page.width,
                   height=page.height, source=page.source, image_key=image_key,
                   words=[word_json(word) for word in page.words])
        session.add(row)
        session.flush()
        session.expunge(row)


def record_duplicates(session: Session, document: Document, result: ExtractionResult,
                      page_hash: int | None) -> list[Issue]:
    """Find the company's earlier documents this one is likely a duplicate of, link them, and keep this one's
    fingerprints for the documents after it. Never drops or hides the document: the issues send it to review."""
    key = invoice_key(result.doc_type, {name: f.value for name, f in result.fields.items()})
    page_hash = picture_hash(result.pages, page_hash)
    findings = [Finding(other, same_document_reason(result.doc_type))
                for other in repository.documents_with(session, document.company_id, "invoice", [key] if key else [],
                                                       besides=document.id)]
    if page_hash is not None:
        numbers = page_numbers(result.pages[0].words)
        findings += _similar_pages(session, document, page_hash, numbers, {f.other_id for f in findings})
    repository.add_fingerprints(session, document, fingerprint_rows(key, page_hash))
    for finding in findings:
        repository.add_link(session, document, finding.other_id, finding.reason, finding.distance)
    others = repository.documents_by_id(session, document.company_id, [f.other_id for f in findings])
    return [duplicate_issue(finding, _described(others[finding.other_id])) for finding in findings]


def _similar_pages(session: Session, document: Document, page_hash: int, numbers: frozenset[str],
                   already: set[uuid.UUID]) -> list[Finding]:
    """Earlier documents whose first page is within ``NEAR_DISTANCE`` bits of this one's and prints the same
    numbers (where both were read)."""
    candidates = [other for other in repository.documents_with(session, document.company_id, "page_band",
                                                                hash_bands(page_hash), besides=document.id)
                  if other not in already]
    hashes = repository.page_hashes(session, document.company_id, candidates)
    near = [(other, hamming(hashes[other], page_hash)) for other in candidates if other in hashes]
    return [Finding(other, "similar_page", distance) for other, distance in near if distance <= NEAR_DISTANCE
            and numbers_agree(numbers, page_numbers(repository.first_page_words(session, other)))]


def with_vendor(session: Session, document: Document, result: ExtractionResult) -> ExtractionResult:
    """The result once matched to the company's vendor master (the match and its reason kept on the document), with
    what was learned about that vendor's documents applied to the fields read from the pages."""
    values = _values_of(result.fields)
    verdict = record_vendor_verdict(session, document, values)
    matched = matched_fields(result.fields, verdict, values)
    issues = [*result.issues, *verdict.issues]
    if verdict.match is None or result.producer.startswith("einvoice"):  # an e-invoice's XML is exact
        return replace(result, fields=matched, issues=issues)
    fields = _recalled(session, document, matched, result.pages)
    if _values_of(fields) != _values_of(matched):
        issues = _revalidated(result, fields, issues)
    return replace(result, fields=fields, issues=issues)


def record_vendor_verdict(session: Session, document: Document, values: dict[str, Any]) -> VendorVerdict:
    """Match the document's values to the vendor master and keep the vendor (or the one to create) and why."""
    vendors = [vendor_record(v) for v in repository.company_vendors(session, document.company_id)]
    verdict = match_vendor(values, vendors)
    document.vendor_id = uuid.UUID(verdict.match.vendor.id) if verdict.match else None
    document.vendor_match = verdict.as_json() if (verdict.match or verdict.issues) else None
    return verdict


def vendor_record(vendor: Vendor) -> VendorRecord:
    return VendorRecord(str(vendor.id), vendor.name, vendor.tax_id, vendor.iban, tuple(vendor.aliases or ()))


def _recalled(session: Session, document: Document, fields: dict[str, ExtractedField],
              pages: list[PageText]) -> dict[str, ExtractedField]:
    """The memory looks only at the pages values were remembered on: a long document's candidates take a while,
    and this runs in the transaction that stores the result."""
    memories = [_memory(row) for row in repository.vendor_memories(session, document.company_id, document.vendor_id)]
    remembered_pages = {memory.page for memory in memories} | {1}
    pages = [page for page in pages if page.number in remembered_pages]
    if not memories or not (lines := document_lines(pages)):
        return fields
    sources = {page.number: page.source for page in pages}
    return recalled_fields(fields, memories, lines, candidates(lines), sources)


def _revalidated(result: ExtractionResult, fields: dict[str, ExtractedField], issues: list[Issue]) -> list[Issue]:
    """The value rules judged again once the memory changed a value (the other issues kept)."""
    values = _values_of(fields) | item_values(result.doc_type, result.line_items)
    judged = revalidated(values, [issue.as_json() for issue in issues], date.today(), result.doc_type)
    return [Issue(**issue) for issue in judged]


def _values_of(fields: dict[str, ExtractedField]) -> dict[str, Any]:
    return {name: f.value for name, f in fields.items()}


def _memory(row: VendorFieldMemory) -> FieldMemory:
    return FieldMemory.from_json(row.field, row.memory, row.confirmations)


def _described(other: Document) -> OtherDocument:
    return OtherDocument(str(other.id), other.filename, other.created_at.date(), other.status)


def mark_failed(session: Session, document: Document, reason: str, timings: dict[str, float] | None = None) -> None:
    """Leave the document ``failed`` with a reason a person can read; the original stays stored."""
    document.status = DocumentStatus.FAILED
    document.failure_reason = reason
    if timings:
        document.timings = timings
    audit.record(session, company_id=document.company_id, actor=WORKER_ACTOR, action="document.failed",
                 entity_type="document", entity_id=document.id, data={"reason": reason})


def latest_extraction(session: Session, document_id: uuid.UUID) -> Extraction | None:
    query = select(Extraction).where(Extraction.document_id == document_id).order_by(Extraction.version.desc())
    return session.scalars(query.limit(1)).first()


def record_correction(
    session: Session, *, document: Document, principal: Principal, corrections: dict[str, Any],
    issues: list[dict[str, str]], comment: str | None,
) -> Extraction:
    """A new human version of the fields: the latest version with ``corrections`` applied."""
    previous = latest_extraction(session, document.id)
    fields = dict(previous.fields) if previous else {}
    for name, value in corrections.items():
        fields[name] = corrected_field(fields.get(name), value, principal.email)
    extraction = Extraction(
        company_id=document.company_id, document_id=document.id, version=(previous.version + 1) if previous else 1,
        kind="human", producer=f"human:{principal.email}", created_by_id=principal.user_id,
        doc_type=document.doc_type, fields=fields, line_items=previous.line_items if previous else [],
        validation=issues, comment=comment,
    )
    session.add(extraction)
    session.flush()
    return extraction


def corrected_field(previous: dict[str, Any] | None, value: Any, email: str) -> dict[str, Any]:
    """A field as a person set it; the box of the machine's reading is kept so it stays traceable."""
    was = previous.get("value") if previous else None
    return ExtractedField(
        value=value, confidence=1.0, page=previous.get("page") if previous else None,
        bbox=tuple(previous["bbox"]) if previous and previous.get("bbox") else None, source="human",
        evidence=f"set by {email}" + (f" (machine read {was!r})" if was not in (None, value) else ""),
    ).as_json()


def rematched_issues(session: Session, document: Document, values: dict[str, Any],
                     issues: list[dict[str, str]]) -> list[dict[str, str]]:
    """Match a corrected document to the vendor master again (a clerk fixed the vendor's name or tax ID, or
    created the vendor meanwhile): its vendor issues are replaced by the new verdict's."""
    verdict = record_vendor_verdict(session, document, values)
    return [*(issue for issue in issues if issue.get("rule") not in VENDOR_RULES),
            *(issue.as_json() for issue in verdict.issues)]


# learning from confirmed documents


def learn_from_confirmed(session: Session, document: Document) -> list[str]:
    """Remember, for the document's vendor, where its confirmed fields are printed (``extraction.vendor_memory``);
    returns the fields learned. A document is counted once per field however often it is confirmed."""
    extraction = latest_extraction(session, document.id)
    if document.vendor_id is None or extraction is None:
        return []
    pages = {1} | {field["page"] for field in extraction.fields.values() if field.get("page")}
    lines = document_lines(repository.document_pages(session, document.id, pages))
    found = candidates(lines) if lines else []
    rows = {row.field: row for row in repository.vendor_memories(session, document.company_id, document.vendor_id)}
    learned = []
    for name, field in sorted(extraction.fields.items()):
        hint = tuple(field["bbox"]) if field.get("bbox") else None
        observed = observe(name, field.get("value"), hint, lines, found)
        if observed is not None and _remember(session, document, rows.get(name), observed):
            learned.append(name)
    return learned


def _remember(session: Session, document: Document, row: VendorFieldMemory | None, observed: FieldMemory) -> bool:
    if row is not None and row.last_document_id == document.id:
        return False
    memory = remembered(_memory(row) if row is not None else None, observed)
    if row is None:
        row = VendorFieldMemory(company_id=document.company_id, vendor_id=document.vendor_id, field=observed.field)
        session.add(row)
    row.memory, row.confirmations, row.last_document_id = memory.as_json(), memory.confirmations, document.id
    return True


# the vendor master


def list_vendors(session: Session, principal: Principal) -> list[Vendor]:
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    return repository.company_vendors(session, principal.company_id)


def create_vendor(session: Session, principal: Principal, *, name: str | None, tax_id: str | None = None,
                  iban: str | None = None, aliases: list[str] | None = None, default_account_code: str | None = None,
                  cost_centre_code: str | None = None, payment_terms: str | None = None,
                  document_id: uuid.UUID | None = None) -> Vendor:
    """Add a vendor to the master. With ``document_id``, what is not given comes from the vendor the document's
    matching proposed (one click on the review page), and the document is matched to the new vendor."""
    principal.require(Permission.REVIEW)
    document = _own_document(session, principal, document_id) if document_id else None
    if document is not None and document.vendor_id is not None and not name:
        raise Conflict(f"Document {document.id} is already matched to vendor "
                       f"{(document.vendor_match or {}).get('vendor_name')!r}; there is no vendor to create from it.")
    proposal = _proposal_of(document)
    vendor = Vendor(company_id=principal.company_id, name=_required_name(name or proposal.name),
                    tax_id=tax_id or proposal.tax_id, iban=iban or proposal.iban,
                    aliases=[a.strip() for a in aliases or [] if a.strip()], default_account_code=default_account_code,
                    cost_centre_code=cost_centre_code, payment_terms=payment_terms)
    if repository.vendor_by_name(session, principal.company_id, vendor.name):
        raise Conflict(f"The vendor master already has {vendor.name!r}; add the other name as an alias instead.")
    session.add(vendor)
    session.flush()
    audit.record(session, company_id=vendor.company_id, actor=principal.actor, action="vendor.created",
                 entity_type="vendor", entity_id=vendor.id,
                 data={"name": vendor.name, "tax_id": vendor.tax_id, "iban": vendor.iban,
                       **({"from_document": str(document.id)} if document else {})})
    if document is not None:
        _match_again(session, document)
    return vendor


def _own_document(session: Session, principal: Principal, document_id: uuid.UUID) -> Document:
    document = session.get(Document, document_id)
    if document is None or document.company_id != principal.company_id:
        raise NotFound(f"Document {document_id} does not exist.")
    return document


def _proposal_of(document: Document | None) -> VendorProposal:
    proposed = ((document.vendor_match or {}).get("proposal") if document is not None else None) or {}
    return VendorProposal(proposed.get("name") or "", proposed.get("tax_id"), proposed.get("iban"))


def _required_name(name: str) -> str:
    if not name or not name.strip():
        raise InvalidRequest("A vendor needs a name: give 'name', or a 'document_id' whose vendor was read.")
    return name.strip()[:200]


def _match_again(session: Session, document: Document) -> None:
    """Match the document to the master as it is now. Its stored versions stay as they were; the next version a
    clerk makes carries the new verdict's issues (``rematched_issues``)."""
    extraction = latest_extraction(session, document.id)
    if extraction is not None:
        record_vendor_verdict(session, document, {name: f.get("value") for name, f in extraction.fields.items()})
