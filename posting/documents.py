"""What posting reads of a document, with a session: its latest fields and items, and who its voucher owes (the
vendor it was matched to, the employee who paid)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Document, Employee, Extraction, Vendor
from posting.drafting import Counterparty, DocumentFacts

EMPLOYEE_DOCUMENTS = ("receipt", "expense_claim")
"""Document types whose voucher owes an employee, not a vendor."""


@dataclass(frozen=True)
class Payee:
    """Who a document's voucher owes: a vendor or an employee of the master (or nobody found), as drafting sees it."""

    counterparty: Counterparty | None
    vendor: Vendor | None = None
    employee: Employee | None = None


def latest_facts(session: Session, document: Document) -> DocumentFacts:
    """The document's latest fields and items (a person's correction, else the machine's reading)."""
    query = select(Extraction).where(Extraction.document_id == document.id).order_by(Extraction.version.desc())
    extraction = session.scalars(query.limit(1)).first()
    return facts_of(document, extraction.fields if extraction else {}, extraction.line_items if extraction else [])


def facts_of(document: Document, fields: dict[str, Any], items: list[dict[str, Any]]) -> DocumentFacts:
    return DocumentFacts(document.doc_type, fields, document.created_at.date(), tuple(items or ()))


def payee_of(session: Session, document: Document, facts: DocumentFacts) -> Payee:
    """The employee of a receipt or claim, else the vendor the document was matched to."""
    if document.doc_type in EMPLOYEE_DOCUMENTS:
        return _employee_payee(session, document, facts)
    vendor = session.get(Vendor, document.vendor_id) if document.vendor_id else None
    if vendor is None:
        return Payee(None)
    via = (document.vendor_match or {}).get("via")
    found_by = f"the vendor master{f', matched by {via}' if via else ''}"
    known_as = tuple(name for name in (vendor.name, *(vendor.aliases or ()), vendor.tax_id) if name)
    return Payee(Counterparty(vendor.name, found_by, vendor.default_account_code, vendor.cost_centre_code, known_as),
                 vendor)


def _employee_payee(session: Session, document: Document, facts: DocumentFacts) -> Payee:
    employee, found_by = find_employee(session, document, facts)
    if employee is None:
        return Payee(None)
    counterparty = Counterparty(employee.name, f"employee {employee.number} of the master, {found_by}",
                                cost_centre_code=employee.cost_centre_code)
    return Payee(counterparty, employee=employee)


def find_employee(session: Session, document: Document, facts: DocumentFacts) -> tuple[Employee | None, str]:
    """The active employee the document names (``employee_id``, then ``employee_name``), else the uploader's."""
    active = select(Employee).where(Employee.company_id == document.company_id, Employee.active)
    number, name = facts.text("employee_id", ""), facts.text("employee_name", "")
    tries = [(Employee.number == number, "by its employee_id") if number else None,
             (func.lower(Employee.name) == name.lower(), "by its employee_name") if name else None,
             (Employee.user_id == document.uploaded_by_id, "who uploaded it") if document.uploaded_by_id else None]
    for condition, found_by in filter(None, tries):
        employee = session.scalars(active.where(condition).limit(1)).first()
        if employee is not None:
            return employee, found_by
    return None, ""
