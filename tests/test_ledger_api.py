"""The ledger through the HTTP API on the real app and database: posting settings, posting and reversing vouchers,
accounting periods, open items (filters, pages, company scoping) and who may do what."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db import transaction
from core.permissions import Role
from ledgerdesk.samples import SampleInvoice
from models import Vendor
from tests.helpers import upload_invoice
from tests.posting.documents import BOX, route, stored_document, voucher_of

READERS = (Role.CLERK, Role.APPROVER, Role.ACCOUNTANT, Role.ADMIN, Role.AUDITOR)
LEDGER_KEEPERS = (Role.ACCOUNTANT, Role.ADMIN)
INVOICE = {"invoice_number": "INV-7", "vendor_name": "Northwind", "invoice_date": "2026-03-02", "subtotal": "100.00",
           "tax_amount": "20.00", "tax_rate": "20", "total_amount": "120.00", "currency": "EUR"}


@pytest.fixture
def accountant(make_user, client_for):
    return client_for(make_user("accountant"))


def draft_voucher_id(company, **values) -> str:
    document = stored_document(company.id, **INVOICE | values)
    route(document)
    return str(voucher_of(document).id)


def test_the_whole_path_from_upload_to_an_open_item(make_user, client_for, run_jobs):
    clerk, approver = client_for(make_user("clerk")), client_for(make_user("approver"))
    invoice = SampleInvoice()
    created = upload_invoice(clerk, invoice)
    run_jobs()
    reviewed = approver.post(f"/api/v1/documents/{created['id']}/review", json={"decision": "approve"})
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "posted"
    voucher = approver.get(f"/api/v1/vouchers/{reviewed.json()['voucher_id']}").json()
    assert (voucher["status"], voucher["period"], voucher["base_currency"], voucher["exchange_rate"]) == (
        "posted", "2024-03", "EUR", None)
    payable = voucher["lines"][-1]
    assert (payable["source_fields"], payable["page"], len(payable["bbox"])) == (["total_amount"], 1, 4)
    assert payable["base_credit"] == payable["credit"] == str(invoice.total_amount)
    [item] = clerk.get("/api/v1/open-items", params={"status": "open"}).json()["items"]
    assert (item["document_id"], item["voucher_id"], item["amount"], item["open_amount"], item["currency"]) == (
        created["id"], voucher["id"], str(invoice.total_amount), str(invoice.total_amount), "EUR")
    assert (item["reference"], item["due_date"], item["counterparty"]) == (
        invoice.invoice_number, invoice.due_date.isoformat(), invoice.vendor_name)
    assert clerk.get(f"/api/v1/open-items/{item['id']}").json() == item


def test_posting_settings_decide_whether_approving_posts(company, make_user, client_for, accountant):
    approver = client_for(make_user("approver"))
    assert approver.get("/api/v1/posting-settings").json() == {"base_currency": "EUR", "post_on_approval": True}
    assert approver.patch("/api/v1/posting-settings", json={"post_on_approval": False}).status_code == 403
    changed = accountant.patch("/api/v1/posting-settings", json={"post_on_approval": False})
    assert changed.status_code == 200 and changed.json()["post_on_approval"] is False
    voucher_id = draft_voucher_id(company)
    assert approver.post(f"/api/v1/vouchers/{voucher_id}/approve").json()["status"] == "approved"
    assert approver.get("/api/v1/open-items").json()["items"] == []
    posted = approver.post(f"/api/v1/vouchers/{voucher_id}/post")
    assert posted.status_code == 200 and posted.json()["status"] == "posted" and posted.json()["posted_at"]
    assert len(approver.get("/api/v1/open-items").json()["items"]) == 1
    again = approver.post(f"/api/v1/vouchers/{voucher_id}/post")
    assert again.status_code == 409 and again.json()["error"] == "InvalidStatusTransition"


def test_a_closed_period_answers_409_naming_it_and_how_to_reopen(company, make_user, client_for, accountant):
    approver = client_for(make_user("approver"))
    voucher_id = draft_voucher_id(company)
    closed = accountant.post("/api/v1/periods/2026-03/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    refused = approver.post(f"/api/v1/vouchers/{voucher_id}/approve")
    assert refused.status_code == 409 and refused.json()["error"] == "PeriodClosed"
    assert "The period 2026-03 is closed" in refused.json()["detail"]
    assert "POST /api/v1/periods/2026-03/reopen" in refused.json()["detail"]
    assert approver.get(f"/api/v1/vouchers/{voucher_id}").json()["status"] == "draft", "nothing half done"
    assert accountant.post("/api/v1/periods/2026-03/reopen").json()["status"] == "open"
    assert approver.post(f"/api/v1/vouchers/{voucher_id}/approve").json()["status"] == "posted"


def test_periods_are_listed_by_year_and_only_ledger_keepers_change_them(make_user, client_for, accountant):
    accountant.post("/api/v1/periods/2025-12/close")
    months = accountant.get("/api/v1/periods", params={"year": 2025}).json()["items"]
    assert [m["period"] for m in months] == [f"2025-{month:02d}" for month in range(1, 13)]
    assert months[11]["status"] == "closed" and months[11]["end"] == "2025-12-31" and months[11]["changed_by"]
    assert accountant.post("/api/v1/periods/2025-12/close").status_code == 409
    assert accountant.post("/api/v1/periods/2025-13/close").status_code == 422
    for role in Role:
        caller = client_for(make_user(role))
        assert caller.get("/api/v1/periods").status_code == (200 if role in READERS else 403)
        expected = 200 if role in LEDGER_KEEPERS else 403
        assert caller.post("/api/v1/periods/2030-01/close").status_code == expected
        assert caller.post("/api/v1/periods/2030-01/reopen").status_code == expected


def test_a_reversal_through_the_api(company, make_user, client_for, accountant):
    approver = client_for(make_user("approver"))
    voucher_id = draft_voucher_id(company)
    approver.post(f"/api/v1/vouchers/{voucher_id}/approve")
    assert approver.post(f"/api/v1/vouchers/{voucher_id}/reverse").status_code == 403
    reversed_ = accountant.post(f"/api/v1/vouchers/{voucher_id}/reverse",
                                json={"date": "2026-03-20", "reason": "posted twice"})
    assert reversed_.status_code == 201, reversed_.text
    reversal = reversed_.json()
    assert (reversal["status"], reversal["reverses_id"], reversal["date"], reversal["document_id"]) == (
        "posted", voucher_id, "2026-03-20", None)
    assert [(line["debit"], line["credit"]) for line in reversal["lines"]] == [
        ("0.00", "100.00"), ("0.00", "20.00"), ("120.00", "0.00")]
    original = accountant.get(f"/api/v1/vouchers/{voucher_id}").json()
    assert (original["status"], original["reversed_by_id"]) == ("posted", reversal["id"])
    [item] = accountant.get("/api/v1/open-items").json()["items"]
    assert (item["status"], item["open_amount"]) == ("cancelled", "0.00")
    document = accountant.get(f"/api/v1/documents/{original['document_id']}").json()
    assert document["status"] == "needs_review" and document["voucher_id"] not in (voucher_id, reversal["id"])
    assert document["review_reasons"][0].startswith(f"voucher {voucher_id} was reversed")
    again = accountant.post(f"/api/v1/vouchers/{voucher_id}/reverse")
    assert again.status_code == 409


def test_open_items_are_filtered_paged_and_kept_to_their_company(company, make_user, client_for):
    approver = client_for(make_user("approver"))
    with transaction() as session:
        vendor = Vendor(company_id=company.id, name="Northwind Ltd", payment_terms="10 days")
        session.add(vendor)
    ids = [draft_voucher_id(company, invoice_number=f"INV-{n}", due_date=f"2026-04-0{n}") for n in (1, 2, 3)]
    document = stored_document(company.id, vendor_id=vendor.id, **INVOICE | {"currency": "EUR"})
    route(document)
    ids.append(str(voucher_of(document).id))
    for voucher_id in ids:
        assert approver.post(f"/api/v1/vouchers/{voucher_id}/approve").status_code == 200
    first = approver.get("/api/v1/open-items", params={"limit": 3}).json()
    rest = approver.get("/api/v1/open-items", params={"limit": 3, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 3 and len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert {item["reference"] for item in first["items"] + rest["items"]} == {"INV-1", "INV-2", "INV-3", "INV-7"}
    due = approver.get("/api/v1/open-items", params={"due_before": "2026-04-02"}).json()["items"]
    assert sorted(item["reference"] for item in due) == ["INV-1", "INV-7"]
    [by_vendor] = approver.get("/api/v1/open-items", params={"vendor_id": str(vendor.id)}).json()["items"]
    assert (by_vendor["counterparty"], by_vendor["due_date"]) == ("Northwind Ltd", "2026-03-12")
    assert approver.get("/api/v1/open-items", params={"currency": "usd"}).json()["items"] == []
    assert approver.get("/api/v1/open-items", params={"status": "cleared"}).json()["items"] == []
    assert approver.get("/api/v1/open-items", params={"status": "paid"}).status_code == 422
    other = client_for(make_user("admin", company_slug="other"))
    assert other.get("/api/v1/open-items").json()["items"] == []
    assert other.get(f"/api/v1/open-items/{by_vendor['id']}").status_code == 404
    assert other.post(f"/api/v1/vouchers/{ids[0]}/reverse").status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_who_reads_open_items(company, make_user, client_for, role):
    assert client_for(make_user(role)).get("/api/v1/open-items").status_code == (200 if role in READERS else 403)


def test_a_voucher_in_a_foreign_currency_shows_the_rate_it_was_kept_at(company, accountant):
    accountant.post("/api/v1/exchange-rates", json={"from_currency": "USD", "to_currency": "EUR",
                                                    "date": "2026-03-01", "rate": "0.9", "source": "ECB"})
    voucher = accountant.get(f"/api/v1/vouchers/{draft_voucher_id(company, currency='USD')}").json()
    assert voucher["exchange_rate"] == {"from_currency": "USD", "to_currency": "EUR", "rate": "0.9",
                                        "date": "2026-03-01", "source": "ECB"}
    assert [(line["credit"], line["base_credit"]) for line in voucher["lines"]][-1] == ("120.00", "108.00")
    assert voucher["lines"][1]["source_fields"] == ["tax_amount", "tax_rate"] and voucher["lines"][1]["bbox"] == BOX
    with transaction() as session:
        assert session.scalars(select(Vendor)).first() is None


def test_a_document_waiting_for_a_rate_is_approved_once_the_rate_is_added(company, make_user, client_for,
                                                                          accountant):
    approver = client_for(make_user("approver"))
    document_id = stored_document(company.id, **INVOICE | {"currency": "USD"})
    route(document_id)
    waiting = approver.get(f"/api/v1/documents/{document_id}").json()
    assert waiting["voucher_id"] is None and waiting["status"] == "needs_review"
    assert any(reason.startswith("no voucher: no USD->EUR exchange rate on or before 2026-03-02")
               for reason in waiting["review_reasons"])
    refused = approver.post(f"/api/v1/documents/{document_id}/review", json={"decision": "approve"})
    assert refused.status_code == 422 and refused.json()["detail"].startswith("Cannot approve: no USD->EUR")
    accountant.post("/api/v1/exchange-rates", json={"from_currency": "USD", "to_currency": "EUR",
                                                    "date": "2026-03-02", "rate": "0.92"})
    approved = approver.post(f"/api/v1/documents/{document_id}/review", json={"decision": "approve"})
    assert approved.status_code == 200 and approved.json()["status"] == "posted"
    [item] = approver.get("/api/v1/open-items").json()["items"]
    assert (item["amount"], item["currency"]) == ("120.00", "USD")
