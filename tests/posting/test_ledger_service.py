"""Posting, periods, reversals and open items on the real database: a closed period refuses postings and nothing is
half done, a posted voucher is never changed but reversed, and each payable leaves an open item until then."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.db import transaction
from core.errors import Conflict, InvalidStatusTransition, PeriodClosed, PermissionDenied
from core.identity import Company
from models import Document, OpenItem, ReviewTask, Vendor, Voucher
from posting import service as posting_service
from posting.ledger import service as ledger_service
from posting.masterdata import service as masterdata
from posting.masterdata.service import Editor
from tests.posting.documents import as_principal, route, stored_document, voucher_of

INVOICE = {"invoice_number": "INV-7", "vendor_name": "Northwind", "invoice_date": "2026-03-02", "subtotal": "100.00",
           "tax_amount": "20.00", "tax_rate": "20", "total_amount": "120.00", "currency": "EUR"}


@pytest.fixture
def accountant(make_user):
    return as_principal(make_user("accountant"))


@pytest.fixture
def approver(make_user):
    return as_principal(make_user("approver"))


def posting_on_approval(company, on: bool) -> None:
    with transaction() as session:
        session.get(Company, company.id).post_on_approval = on


def drafted(company, **values) -> uuid.UUID:
    document = stored_document(company.id, **INVOICE | values)
    route(document)
    return voucher_of(document).id


def act(change, voucher_id: uuid.UUID, principal, **options):
    with transaction() as session:
        return change(session, session.get(Voucher, voucher_id), principal, **options)


def approved(company, approver, **values) -> uuid.UUID:
    posting_on_approval(company, False)
    voucher_id = drafted(company, **values)
    act(posting_service.approve_voucher, voucher_id, approver)
    return voucher_id


def state(voucher_id: uuid.UUID) -> tuple[str, str | None, str, list[tuple[str, str]]]:
    """The voucher's status and period, its document's status, and its open items' status and open amount."""
    with transaction() as session:
        voucher = session.get(Voucher, voucher_id)
        items = session.scalars(select(OpenItem).where(OpenItem.voucher_id == voucher_id))
        return (voucher.status, voucher.period, session.get(Document, voucher.document_id).status,
                [(item.status, str(item.open_amount)) for item in items])


def close(principal, period: str) -> None:
    with transaction() as session:
        ledger_service.close_period(session, principal, period)


def reopen(principal, period: str) -> None:
    with transaction() as session:
        ledger_service.reopen_period(session, principal, period)


def actions(entity_id) -> list[str]:
    with transaction() as session:
        return [event.action for event in session.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == str(entity_id)).order_by(AuditEvent.at))]


# --- posting ----------------------------------------------------------------------------------------------------------


def test_posting_an_approved_voucher_puts_it_in_its_period_with_an_open_item(company, approver):
    voucher_id = approved(company, approver, due_date="2026-04-15")
    posted = act(posting_service.post_voucher, voucher_id, approver)
    assert (posted.posted_by_id, posted.posted_at is not None) == (approver.user_id, True)
    assert state(voucher_id) == ("posted", "2026-03", "posted", [("open", "120.00")])
    with transaction() as session:
        item = session.scalars(select(OpenItem)).one()
        assert (item.kind, item.counterparty, item.reference, item.currency, item.account_code) == (
            "payable", "Northwind", "INV-7", "EUR", "2000")
        assert (item.due_date, item.due_reason) == (date(2026, 4, 15), "the due_date printed on the document")
        assert item.document_id == posted.document_id
    assert actions(voucher_id) == ["voucher.drafted", "voucher.approved", "voucher.posted"]
    assert actions(item.id) == ["open_item.created"]


def test_approving_posts_at_once_when_the_company_posts_on_approval(company, approver):
    voucher_id = drafted(company)
    act(posting_service.approve_voucher, voucher_id, approver)
    assert state(voucher_id)[:3] == ("posted", "2026-03", "posted")


@pytest.mark.parametrize("status", ["draft", "posted"])
def test_only_an_approved_voucher_is_posted(company, approver, status):
    voucher_id = drafted(company) if status == "draft" else approved(company, approver)
    if status == "posted":
        act(posting_service.post_voucher, voucher_id, approver)
    with pytest.raises(InvalidStatusTransition, match=f"is {status}; only approved vouchers are posted"):
        act(posting_service.post_voucher, voucher_id, approver)


def test_a_clerk_may_not_post(company, approver, make_user):
    voucher_id = approved(company, approver)
    with pytest.raises(PermissionDenied):
        act(posting_service.post_voucher, voucher_id, as_principal(make_user("clerk")))
    assert state(voucher_id)[0] == "approved"


# --- periods ----------------------------------------------------------------------------------------------------------


def test_a_closed_period_refuses_a_posting_until_it_is_reopened(company, approver, accountant):
    voucher_id = approved(company, approver)
    close(accountant, "2026-03")
    with pytest.raises(PeriodClosed) as refused:
        act(posting_service.post_voucher, voucher_id, approver)
    assert refused.value.status_code == 409
    assert refused.value.detail == (
        f"The period 2026-03 is closed, so voucher {voucher_id} dated 2026-03-02 cannot be posted; nothing was "
        "posted. An accountant or admin can open it again (POST /api/v1/periods/2026-03/reopen), post it and close "
        "it once more.")
    assert state(voucher_id) == ("approved", None, "approved", [])
    reopen(accountant, "2026-03")
    act(posting_service.post_voucher, voucher_id, approver)
    assert state(voucher_id)[0] == "posted"


def test_an_approval_that_would_post_into_a_closed_period_is_refused_whole(company, approver, accountant):
    voucher_id = drafted(company)
    close(accountant, "2026-03")
    with pytest.raises(PeriodClosed):
        act(posting_service.approve_voucher, voucher_id, approver)
    assert state(voucher_id) == ("draft", None, "needs_review", [])


def test_periods_list_every_month_and_who_changed_them(company, accountant):
    close(accountant, "2026-02")
    with transaction() as session:
        periods = ledger_service.list_periods(session, company.id, 2026)
    assert [(p.period, p.status) for p in periods][:3] == [("2026-01", "open"), ("2026-02", "closed"),
                                                           ("2026-03", "open")]
    february = periods[1]
    assert (february.start, february.end, february.changed_by) == (date(2026, 2, 1), date(2026, 2, 28),
                                                                   accountant.email)
    with pytest.raises(InvalidStatusTransition, match="The period 2026-02 is closed already"):
        close(accountant, "2026-02")


def test_only_accountants_and_admins_close_periods(make_user, approver):
    with pytest.raises(PermissionDenied):
        close(approver, "2026-03")
    close(as_principal(make_user("admin")), "2026-03")


# --- a posted voucher is never changed --------------------------------------------------------------------------------


def test_a_posted_voucher_is_not_redrafted_approved_or_rejected(company, approver):
    voucher_id = drafted(company)
    act(posting_service.approve_voucher, voucher_id, approver)
    with transaction() as session:
        voucher = session.get(Voucher, voucher_id)
        document = session.get(Document, voucher.document_id)
        fields = {"total_amount": {"value": "999.00"}}
        with pytest.raises(InvalidStatusTransition, match="only drafts are redrafted"):
            posting_service.draft_for_document(session, document, fields, [], "user:x@acme.test")
    for change in (posting_service.approve_voucher, posting_service.reject_voucher):
        with pytest.raises(InvalidStatusTransition):
            act(change, voucher_id, approver)
    assert [str(line.credit) for line in voucher_of(voucher.document_id).lines] == ["0.00", "0.00", "120.00"]


# --- reversals --------------------------------------------------------------------------------------------------------


def test_a_reversal_swaps_the_lines_links_both_ways_cancels_the_open_item_and_sends_the_document_back(
        company, approver, accountant):
    voucher_id = drafted(company)
    act(posting_service.approve_voucher, voucher_id, approver)
    reversal = act(ledger_service.reverse_voucher, voucher_id, accountant, on=date(2026, 4, 2), reason="wrong vendor")
    with transaction() as session:
        original = session.get(Voucher, voucher_id)
        assert (original.status, original.reversed_by_id) == ("posted", reversal.id)
        mirrored = session.get(Voucher, reversal.id)
        assert (mirrored.status, mirrored.reverses_id, mirrored.period, mirrored.date, mirrored.document_id) == (
            "posted", voucher_id, "2026-04", date(2026, 4, 2), None)
        assert [(line.account.code, line.debit, line.credit) for line in mirrored.lines] == [
            (line.account.code, line.credit, line.debit) for line in original.lines]
        assert mirrored.lines[0].reason.startswith(f"reverses line 1 of voucher {voucher_id} (net = ")
        assert mirrored.lines[0].source == original.lines[0].source
        assert mirrored.description == "Reversal of Invoice INV-7 from Northwind: wrong vendor"
        [item] = session.scalars(select(OpenItem))
        assert (item.status, item.open_amount) == ("cancelled", Decimal("0.00"))
        assert session.scalar(select(OpenItem).where(OpenItem.voucher_id == reversal.id)) is None
        document = session.get(Document, original.document_id)
        task = session.scalars(select(ReviewTask).where(ReviewTask.document_id == document.id,
                                                        ReviewTask.status == "open")).one()
    assert document.status == "needs_review"
    assert task.reasons[0].startswith(f"voucher {voucher_id} was reversed by voucher {reversal.id} on 2026-04-02")
    redrafted = voucher_of(document.id)
    assert redrafted.id not in (voucher_id, reversal.id) and redrafted.status == "draft"
    assert actions(voucher_id)[-1] == "voucher.reversed" and actions(reversal.id) == ["voucher.posted"]


def test_the_new_draft_after_a_reversal_is_approved_and_posted_as_the_document_voucher(company, approver, accountant):
    voucher_id = drafted(company)
    act(posting_service.approve_voucher, voucher_id, approver)
    act(ledger_service.reverse_voucher, voucher_id, accountant)
    with transaction() as session:
        document_id = session.get(Voucher, voucher_id).document_id
    act(posting_service.approve_voucher, voucher_of(document_id).id, approver)
    with transaction() as session:
        statuses = sorted(item.status for item in session.scalars(select(OpenItem)))
    assert statuses == ["cancelled", "open"]


def test_a_reversal_is_dated_today_by_default_and_refused_in_a_closed_period(company, approver, accountant):
    voucher_id = drafted(company)
    act(posting_service.approve_voucher, voucher_id, approver)
    close(accountant, "2026-04")
    with pytest.raises(PeriodClosed, match="The period 2026-04 is closed, so the reversal of voucher"):
        act(ledger_service.reverse_voucher, voucher_id, accountant, on=date(2026, 4, 30))
    assert state(voucher_id) == ("posted", "2026-03", "posted", [("open", "120.00")])
    reversal = act(ledger_service.reverse_voucher, voucher_id, accountant)
    assert reversal.date == date.today()


def test_what_cannot_be_reversed(company, approver, accountant):
    draft_id = drafted(company, invoice_number="INV-8")
    with pytest.raises(InvalidStatusTransition, match="only posted vouchers are reversed"):
        act(ledger_service.reverse_voucher, draft_id, accountant)
    voucher_id = drafted(company)
    act(posting_service.approve_voucher, voucher_id, approver)
    reversal = act(ledger_service.reverse_voucher, voucher_id, accountant)
    with pytest.raises(InvalidStatusTransition, match="was reversed already"):
        act(ledger_service.reverse_voucher, voucher_id, accountant)
    with pytest.raises(InvalidStatusTransition, match="a reversal is not reversed"):
        act(ledger_service.reverse_voucher, reversal.id, accountant)
    with pytest.raises(PermissionDenied):
        act(ledger_service.reverse_voucher, voucher_id, approver)


def test_a_voucher_whose_open_item_was_paid_is_not_reversed(company, approver, accountant):
    voucher_id = drafted(company)
    act(posting_service.approve_voucher, voucher_id, approver)
    with transaction() as session:
        item = session.scalars(select(OpenItem)).one()
        item.status, item.open_amount = "partially_paid", Decimal("20.00")  # as bank matching will leave it
    with pytest.raises(Conflict, match="is partially_paid .* a payment was matched to it"):
        act(ledger_service.reverse_voucher, voucher_id, accountant)
    with transaction() as session:
        assert session.get(Voucher, voucher_id).reversed_by_id is None
        assert session.scalar(select(Voucher).where(Voucher.reverses_id == voucher_id)) is None


# --- open items -------------------------------------------------------------------------------------------------------


def test_an_open_item_is_due_by_the_vendor_terms_else_the_printed_terms_else_in_30_days(company, approver):
    with transaction() as session:
        masterdata.create_record(session, Editor(company.id, "user:a@acme.test"), "vendors",
                                 {"name": "Northwind Ltd", "payment_terms": "14 days net"})
        vendor_id = session.scalars(select(Vendor)).one().id
    for values in ({"vendor_id": vendor_id}, {"payment_terms": "net 45"}, {}):
        document = stored_document(company.id, **INVOICE | values)
        route(document)
        act(posting_service.approve_voucher, voucher_of(document).id, approver)
    with transaction() as session:
        items = list(session.scalars(select(OpenItem).order_by(OpenItem.due_date)))
    issued = date(2026, 3, 2)
    assert [(item.due_date - issued, item.counterparty) for item in items] == [
        (timedelta(14), "Northwind Ltd"), (timedelta(30), "Northwind"), (timedelta(45), "Northwind")]
    assert items[0].due_reason == "2026-03-02 + 14 days (the vendor's payment terms: '14 days net')"
    assert items[0].vendor_id == vendor_id
    assert items[1].due_reason == "2026-03-02 + 30 days (no due date or payment terms were found)"


def test_a_credit_note_leaves_a_negative_open_item(company, approver):
    voucher_id = drafted(company, invoice_number="CN-1", subtotal="-100.00", tax_amount="-20.00",
                         total_amount="-120.00")
    act(posting_service.approve_voucher, voucher_id, approver)
    assert state(voucher_id)[3] == [("open", "-120.00")]


def test_a_posted_claim_leaves_an_open_item_owed_to_its_employee(company, approver):
    with transaction() as session:
        masterdata.create_record(session, Editor(company.id, "user:a@acme.test"), "employees",
                                 {"number": "E001", "name": "Ada Lovelace"})
    document = stored_document(company.id, "expense_claim", ({"category": "meals", "amount": "42.00"},),
                               employee_id="E001", total_amount="42.00", period_end="2026-03-31", currency="EUR")
    route(document)
    act(posting_service.approve_voucher, voucher_of(document).id, approver)
    with transaction() as session:
        item = session.scalars(select(OpenItem)).one()
        assert (item.kind, item.counterparty, item.account_code, item.amount, item.due_date) == (
            "employee_payable", "Ada Lovelace", "2100", Decimal("42.00"), date(2026, 4, 30))
        assert item.employee_id is not None and item.vendor_id is None and item.reference is None
