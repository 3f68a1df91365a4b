"""Budgets on the real database through posting's use cases: a draft reserves, a redraft replaces its reservation,
approval consumes, rejection releases, a reversal gives back; a warning budget sends the document to review and lets
it be approved, a blocking one reserves nothing and refuses the approval with nothing changed (but the block in the
audit log); two drafts at once against one blocking budget never both pass."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.db import transaction
from core.errors import BudgetExceeded
from models import Budget, BudgetEntry, Document, ExchangeRate, Extraction, Vendor, Voucher
from posting import service as posting_service
from posting.budgets import service as budgets
from posting.ledger import service as ledger_service
from posting.masterdata import service as masterdata
from posting.masterdata.service import Editor
from tests.posting.documents import as_principal, route, stored_document, voucher_of

INVOICE = {"invoice_number": "INV-7", "vendor_name": "Northwind", "invoice_date": "2026-03-02", "subtotal": "300.00",
           "tax_amount": "60.00", "tax_rate": "20", "total_amount": "360.00", "currency": "EUR"}
ACCOUNTANT = "user:accountant@acme.test"


@pytest.fixture
def vendor(company) -> uuid.UUID:
    """A cost centre SALES and a vendor whose invoices go to 6210 Lodging (under 6200 Travel, under 6 Operating
    expenses of the company's IFRS chart) in SALES."""
    with transaction() as session:
        masterdata.create_record(session, Editor(company.id, ACCOUNTANT), "cost-centres",
                                 {"code": "SALES", "name": "Sales"})
        row = Vendor(company_id=company.id, name="Northwind", default_account_code="6210", cost_centre_code="SALES")
        session.add(row)
    return row.id


@pytest.fixture
def approver(make_user):
    return as_principal(make_user("approver"))


def add_budget(company, **values) -> uuid.UUID:
    with transaction() as session:
        row = {"account_code": "6200", "cost_centre_code": "SALES", "period": "2026-03", "amount": "1000"} | values
        return budgets.create_budget(session, Editor(company.id, ACCOUNTANT), row).row.id


def change_budget(company, budget_id: uuid.UUID, **values) -> str | None:
    """Replace the budget's amount and the rest; its warning."""
    with transaction() as session:
        return budgets.update_budget(session, Editor(company.id, ACCOUNTANT), budget_id, values).limit.warning


def invoice(company, vendor, **values) -> uuid.UUID:
    document = stored_document(company.id, vendor_id=vendor, **INVOICE | values)
    route(document)
    return document


def held(budget_id: uuid.UUID) -> tuple[str, str]:
    """What vouchers hold of the budget: (reserved, consumed)."""
    with transaction() as session:
        usage = budgets.get_budget(session, session.get(Budget, budget_id).company_id, budget_id).limit.usage
        return str(usage.reserved), str(usage.consumed)


def movements(budget_id: uuid.UUID) -> list[tuple[str, str, str, uuid.UUID]]:
    with transaction() as session:
        query = select(BudgetEntry).where(BudgetEntry.budget_id == budget_id).order_by(BudgetEntry.at)
        return [(entry.kind, str(entry.amount), entry.reason, entry.voucher_id) for entry in session.scalars(query)]


def act(change, voucher_id: uuid.UUID, principal, **options):
    with transaction() as session:
        return change(session, session.get(Voucher, voucher_id), principal, **options)


def redraft(document_id: uuid.UUID, **values) -> None:
    with transaction() as session:
        fields = {name: {"value": value} for name, value in (INVOICE | values).items()}
        posting_service.draft_for_document(session, session.get(Document, document_id), fields, [], ACCOUNTANT)


def blocks(budget_id: uuid.UUID) -> list[tuple[str, str]]:
    """The budget's blocks in the audit log: (step, voucher_id)."""
    with transaction() as session:
        query = select(AuditEvent).where(AuditEvent.entity_id == str(budget_id), AuditEvent.action == "budget.blocked")
        events = session.scalars(query.order_by(AuditEvent.at))
        return [(event.data["step"], event.data["voucher_id"]) for event in events]


def state(voucher_id: uuid.UUID) -> tuple[str, str]:
    with transaction() as session:
        voucher = session.get(Voucher, voucher_id)
        return voucher.status, session.get(Document, voucher.document_id).status


def test_a_draft_reserves_a_redraft_replaces_the_reservation_and_approval_consumes_it(company, vendor, approver):
    travel = add_budget(company)
    year = add_budget(company, account_code="6", cost_centre_code=None, period="2026", amount="5000",
                      on_exceed="block")
    document = invoice(company, vendor)
    voucher_id = voucher_of(document).id
    assert held(travel) == held(year) == ("300.00", "0.00")
    redraft(document, subtotal="400.00", tax_amount="80.00", total_amount="480.00")
    assert held(travel) == ("400.00", "0.00")
    act(posting_service.approve_voucher, voucher_id, approver)
    assert held(travel) == held(year) == ("0.00", "400.00")
    assert movements(travel) == [("reserved", "300.00", "drafted", voucher_id),
                                 ("released", "-300.00", "redrafted", voucher_id),
                                 ("reserved", "400.00", "drafted", voucher_id),
                                 ("released", "-400.00", "approved", voucher_id),
                                 ("consumed", "400.00", "approved", voucher_id)]


def test_rejection_releases_the_reservation(company, vendor, approver):
    travel = add_budget(company)
    voucher_id = voucher_of(invoice(company, vendor)).id
    act(posting_service.reject_voucher, voucher_id, approver)
    assert held(travel) == ("0.00", "0.00")
    assert movements(travel)[-1] == ("released", "-300.00", "rejected", voucher_id)


def test_a_reversal_gives_back_what_was_consumed_and_the_new_draft_reserves_again(company, vendor, approver,
                                                                                  make_user):
    travel = add_budget(company)
    document = invoice(company, vendor)
    voucher_id = voucher_of(document).id
    act(posting_service.approve_voucher, voucher_id, approver)
    reversal = act(ledger_service.reverse_voucher, voucher_id, as_principal(make_user("accountant")),
                   on=date(2026, 3, 20))
    redrafted = voucher_of(document).id
    assert held(travel) == ("300.00", "0.00")
    assert movements(travel)[-2:] == [("consumed", "-300.00", f"reversed by voucher {reversal.id}", voucher_id),
                                      ("reserved", "300.00", "drafted", redrafted)]


def test_amounts_are_taken_in_the_company_currency_and_a_credit_note_gives_back(company, vendor):
    travel = add_budget(company)
    with transaction() as session:
        session.add(ExchangeRate(company_id=company.id, from_currency="USD", to_currency="EUR",
                                 date=date(2026, 3, 1), rate=Decimal("0.9"), source="ECB"))
    invoice(company, vendor, currency="USD")
    assert held(travel) == ("270.00", "0.00")
    invoice(company, vendor, invoice_number="CN-1", subtotal="-100.00", tax_amount="-20.00", total_amount="-120.00")
    assert held(travel) == ("170.00", "0.00")


def test_a_voucher_over_a_warning_budget_goes_to_review_with_why_and_may_be_approved(company, vendor, approver):
    travel = add_budget(company, amount="200")
    document = stored_document(company.id, vendor_id=vendor, **INVOICE)
    assert route(document) == [
        "warning: over budget 6200 Travel / SALES / 2026-03: 200.00; used 0.00 (reserved 0.00, consumed 0.00); this "
        "voucher 300.00; over by 100.00"]
    act(posting_service.approve_voucher, voucher_of(document).id, approver)
    assert held(travel) == ("0.00", "300.00")
    assert change_budget(company, travel, amount="200").startswith("budget 6200 Travel / SALES / 2026-03: 200.00 is "
                                                                   "less than what vouchers hold of it already")


def test_a_draft_over_a_blocking_budget_reserves_nothing_and_its_approval_is_refused_until_raised(
        company, vendor, approver):
    travel = add_budget(company, amount="200", on_exceed="block")
    document = stored_document(company.id, vendor_id=vendor, **INVOICE)
    [reason] = route(document)
    assert reason.startswith("blocked: over budget 6200 Travel / SALES / 2026-03: 200.00;")
    voucher_id = voucher_of(document).id
    assert (held(travel), blocks(travel)) == (("0.00", "0.00"), [("draft", str(voucher_id))])
    with pytest.raises(BudgetExceeded) as refused:
        act(posting_service.approve_voucher, voucher_id, approver)
    assert refused.value.status_code == 409
    assert refused.value.detail == (
        f"Voucher {voucher_id} cannot be approved: it is over budget 6200 Travel / SALES / 2026-03: 200.00; used 0.00 "
        "(reserved 0.00, consumed 0.00); this voucher 300.00; over by 100.00. Raise the budget (PUT "
        f"/api/v1/budgets/{travel}) or correct the document so that the voucher spends less; nothing was approved.")
    assert state(voucher_id) == ("draft", "needs_review")
    assert blocks(travel) == [("draft", str(voucher_id))], "a refused approval changes nothing, the audit log included"
    change_budget(company, travel, amount="300", on_exceed="block")
    act(posting_service.approve_voucher, voucher_id, approver)
    assert (state(voucher_id), held(travel)) == (("posted", "posted"), ("0.00", "300.00"))


def test_a_budget_lowered_under_a_reservation_refuses_the_approval_and_nothing_changes(company, vendor, approver):
    travel = add_budget(company, on_exceed="block")
    voucher_id = voucher_of(invoice(company, vendor)).id
    change_budget(company, travel, amount="250", on_exceed="block")
    before = movements(travel)
    with pytest.raises(BudgetExceeded, match="over by 50.00"):
        act(posting_service.approve_voucher, voucher_id, approver)
    assert (state(voucher_id), held(travel), movements(travel)) == (("draft", "auto_approved"), ("300.00", "0.00"),
                                                                    before)


def test_a_deactivated_budget_is_not_checked(company, vendor):
    travel = add_budget(company, amount="100", on_exceed="block")
    change_budget(company, travel, amount="100", on_exceed="block", active=False)
    assert route(stored_document(company.id, vendor_id=vendor, **INVOICE)) == []
    assert held(travel) == ("0.00", "0.00")


def test_two_drafts_at_once_against_one_blocking_budget_never_both_pass(company, vendor):
    travel = add_budget(company, amount="500", on_exceed="block")
    first, second = (stored_document(company.id, vendor_id=vendor, **INVOICE | {"invoice_number": f"INV-{n}"})
                     for n in (1, 2))
    reserved, reasons, failures = threading.Event(), {}, []

    def draft(document_id: uuid.UUID, hold: bool) -> None:
        try:
            with transaction() as session:
                document = session.get(Document, document_id)
                extraction = session.scalars(select(Extraction).where(Extraction.document_id == document_id)).one()
                task = posting_service.draft_and_route(session, document, extraction.fields, [], [])
                reasons[document_id] = task.reasons if task else []
                if hold:  # the other draft starts now, and must wait for this one's reservation
                    reserved.set()
                    time.sleep(0.5)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)

    def after_the_first() -> None:
        reserved.wait(10)
        draft(second, hold=False)

    threads = [threading.Thread(target=draft, args=(first, True)), threading.Thread(target=after_the_first)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    assert reasons[first] == [] and reasons[second][0].startswith(
        "blocked: over budget 6200 Travel / SALES / 2026-03: 500.00; used 300.00 (reserved 300.00, consumed 0.00); "
        "this voucher 300.00; over by 100.00")
    assert held(travel) == ("300.00", "0.00")
    assert [entry[3] for entry in movements(travel)] == [voucher_of(first).id]
