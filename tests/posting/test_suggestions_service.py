"""Learned account suggestions on the real database: an approved voucher's expense lines are remembered with their
vectors and a reversal forgets them, the vendor's next invoice is drafted to the learned account, and the history is
learned again from the vouchers themselves."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import delete, select

from core.audit import AuditEvent
from core.db import transaction
from core.embeddings import DIMENSIONS
from core.outbox import relay_pending
from ledgerdesk.training.suggestions import relearn_suggestions
from models import AccountExample, Vendor, Voucher
from posting import service as posting_service
from posting.ledger import service as ledger_service
from posting.suggestions.knn import WORD_BUCKETS
from tests.posting.documents import as_principal, route, stored_document, voucher_of

AWS = "Amazon Web Services"


@pytest.fixture
def approver(make_user):
    return as_principal(make_user("approver"))


@pytest.fixture
def vendor_id(company) -> uuid.UUID:
    """A vendor whose invoices go to 6300 (software and subscriptions) by its default account."""
    with transaction() as session:
        vendor = Vendor(company_id=company.id, name=AWS, default_account_code="6300")
        session.add(vendor)
        session.flush()
        return vendor.id


def invoice(company, vendor_id: uuid.UUID | None, *descriptions: str, day: str = "2026-03-02") -> uuid.UUID:
    """An invoice of the vendor (None: of a vendor not in the master) with a line item of 100.00 (20% VAT) for each
    description, drafted."""
    items = tuple({"description": text, "amount": "100.00", "tax_rate": "20"} for text in descriptions)
    net = 100 * len(descriptions)
    document = stored_document(company.id, "invoice", items, vendor_id=vendor_id,
                               vendor_name=AWS if vendor_id else "Staples", invoice_date=day,
                               invoice_number=f"INV-{uuid.uuid4().hex[:6]}", subtotal=f"{net}.00",
                               tax_amount=f"{net // 5}.00", total_amount=f"{net * 6 // 5}.00", currency="EUR")
    route(document)
    return document


@pytest.fixture
def approve(run_jobs):
    """Approve a document's voucher; a real worker then learns its lines, as after an approval in the API."""

    def _approve(document: uuid.UUID, principal) -> uuid.UUID:
        voucher_id = voucher_of(document).id
        with transaction() as session:
            posting_service.approve_voucher(session, session.get(Voucher, voucher_id), principal)
        relay_pending()
        run_jobs()
        return voucher_id

    return _approve


def reverse(voucher_id: uuid.UUID, principal) -> None:
    with transaction() as session:
        ledger_service.reverse_voucher(session, session.get(Voucher, voucher_id), principal)


def remembered() -> list[tuple[str, str, str, int]]:
    with transaction() as session:
        rows = session.scalars(select(AccountExample).order_by(AccountExample.description))
        return [(row.description, row.account_code, row.vendor_name, len(row.vector)) for row in rows]


def expense_lines(document: uuid.UUID) -> list:
    return [line for line in voucher_of(document).lines if line.kind == "expense"]


def without_default_account(vendor_id: uuid.UUID) -> None:
    with transaction() as session:
        session.get(Vendor, vendor_id).default_account_code = None


def test_approving_remembers_the_expense_lines_and_reversing_forgets_them(company, vendor_id, approver, make_user,
                                                                         approve):
    voucher_id = approve(invoice(company, vendor_id, "AWS EC2 hosting March", "S3 storage March"), approver)
    size = (DIMENSIONS + WORD_BUCKETS) * 4
    assert remembered() == [("AWS EC2 hosting March", "6300", AWS, size), ("S3 storage March", "6300", AWS, size)]
    with transaction() as session:
        voucher = session.get(Voucher, voucher_id)
        rows = session.scalars(select(AccountExample)).all()
        assert {(row.voucher_id, row.vendor_id, row.company_id, row.confirmed_at) for row in rows} == {
            (voucher_id, vendor_id, company.id, voucher.approved_at)}
        assert {row.voucher_line_id for row in rows} == {line.id for line in voucher.lines if line.kind == "expense"}
    reverse(voucher_id, as_principal(make_user("accountant")))
    assert remembered() == []


def test_the_lines_are_learned_by_a_worker_after_the_approval_and_not_once_the_voucher_was_reversed(
        company, vendor_id, approver, make_user, run_jobs):
    voucher_id = voucher_of(invoice(company, vendor_id, "AWS EC2 hosting March")).id
    with transaction() as session:
        posting_service.approve_voucher(session, session.get(Voucher, voucher_id), approver)
    assert remembered() == [], "nothing is embedded inside the approval"
    reverse(voucher_id, as_principal(make_user("accountant")))
    relay_pending()
    run_jobs()
    assert remembered() == [], "reversed before the worker came to it: no longer confirmed"


def test_the_vendors_next_invoice_is_drafted_to_the_learned_account(company, vendor_id, approver, approve):
    approve(invoice(company, vendor_id, "AWS EC2 hosting March"), approver)
    approve(invoice(company, vendor_id, "AWS EC2 hosting April", day="2026-04-02"), approver)
    without_default_account(vendor_id)
    [hosting] = expense_lines(invoice(company, vendor_id, "AWS EC2 hosting May", day="2026-05-02"))
    assert hosting.account.code == "6300"
    assert hosting.reason.startswith("line item 1: amount 100.00 at 20% VAT; to 6300 Software and subscriptions, "
                                     "learned from 2 confirmed vouchers (2 of this vendor): nearest 'AWS EC2 hosting ")
    [paper] = expense_lines(invoice(company, None, "Printer paper A4", day="2026-05-02"))
    assert (paper.account.code, paper.reason) == ("6000", "line item 1: amount 100.00 at 20% VAT; to the chart's "
                                                          "expense account"), "nothing like it was confirmed"


def test_a_company_learns_only_from_its_own_vouchers(company, vendor_id, approver, make_user, approve):
    approve(invoice(company, vendor_id, "AWS EC2 hosting March"), approver)
    other = as_principal(make_user("clerk", company_slug="other"))
    document = stored_document(other.company_id, "invoice", ({"description": "AWS EC2 hosting May", "amount": "100"},),
                               vendor_name=AWS, subtotal="100.00", total_amount="100.00")
    route(document)
    assert [line.account.code for line in voucher_of(document).lines if line.kind == "expense"] == ["6000"]


def test_the_history_is_learned_again_from_the_vouchers(company, vendor_id, approver, make_user, approve):
    approve(invoice(company, vendor_id, "AWS EC2 hosting March"), approver)
    reversed_id = approve(invoice(company, vendor_id, "Mistaken line"), approver)
    reverse(reversed_id, as_principal(make_user("accountant")))
    with transaction() as session:
        session.execute(delete(AccountExample))
    progress: list[str] = []
    relearned = relearn_suggestions("acme", progress.append)
    assert (relearned.vouchers, relearned.lines) == (1, 1)
    assert [row[:3] for row in remembered()] == [("AWS EC2 hosting March", "6300", AWS)], "not the reversed voucher"
    assert progress == ["1 confirmed lines to embed", "1 of 1 embedded"]
    assert relearn_suggestions("acme", progress.append) == relearned, "learning again replaces, never doubles"
    assert len(remembered()) == 1
    with transaction() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "account_examples.relearned")).all()
        assert [(event.entity_id, event.data) for event in events] == [(str(company.id), {"vouchers": 1, "lines": 1})] * 2
