"""Budgets through the HTTP API on the real app and database: creating, reading, listing, replacing and deleting
them (and who may), what bad input is told, imports of CSV and YAML that write all or nothing, a budget's movements
and a voucher's budget checks, and the whole path from an upload over a blocking budget to its approval."""

from __future__ import annotations

import pytest

from core.permissions import Role
from ledgerdesk.samples import SampleInvoice
from tests.helpers import upload_invoice
from tests.posting.documents import route, stored_document, voucher_of

READERS = (Role.CLERK, Role.APPROVER, Role.ACCOUNTANT, Role.ADMIN, Role.AUDITOR)
CHANGERS = (Role.ACCOUNTANT, Role.ADMIN)
TRAVEL = {"account_code": "6200", "cost_centre_code": "SALES", "period": "2026-03", "amount": "1000",
          "on_exceed": "block", "name": "Travel Q1", "notes": "Trade fair in March"}
INVOICE = {"invoice_number": "INV-7", "vendor_name": "Northwind", "invoice_date": "2026-03-02", "subtotal": "100.00",
           "tax_amount": "20.00", "tax_rate": "20", "total_amount": "120.00", "currency": "EUR"}
BUDGETS_CSV = b"account_code,cost_centre_code,period,amount,on_exceed\n6200,SALES,2026-03,1000,block\n6,,2026,12000,\n"


@pytest.fixture
def accountant(make_user, client_for):
    client = client_for(make_user("accountant"))
    assert client.post("/api/v1/cost-centres", json={"code": "SALES", "name": "Sales"}).status_code == 201
    return client


@pytest.fixture
def approver(make_user, client_for):
    return client_for(make_user("approver"))


@pytest.fixture
def auditor(make_user, client_for):
    return client_for(make_user("auditor"))


def actions(auditor, entity_id: str) -> list[str]:
    events = auditor.get("/api/v1/audit/events", params={"entity_id": entity_id}).json()["items"]
    return [event["action"] for event in reversed(events)]


def import_file(client, data: bytes, filename: str):
    return client.post("/api/v1/budgets/import", files={"file": (filename, data, "application/octet-stream")})


def test_budgets_are_created_read_listed_replaced_and_deleted(accountant, auditor, make_user, client_for):
    created = accountant.post("/api/v1/budgets", json=TRAVEL)
    assert created.status_code == 201, created.text
    travel = created.json()
    assert {name: travel[name] for name in (*TRAVEL, "label", "reserved", "consumed", "available", "warnings")} == (
        TRAVEL | {"amount": "1000.00", "label": "budget 6200 Travel Q1 / SALES / 2026-03", "reserved": "0.00",
                  "consumed": "0.00", "available": "1000.00", "warnings": []})
    year = accountant.post("/api/v1/budgets", json={"account_code": "6", "period": "2026", "amount": 12000}).json()
    assert (year["label"], year["on_exceed"], year["name"], year["amount"]) == (
        "budget 6 Operating expenses / every cost centre / 2026", "warn", None, "12000.00")
    again = accountant.post("/api/v1/budgets", json=TRAVEL | {"amount": "5"})
    assert again.status_code == 409 and f"PUT /api/v1/budgets/{travel['id']}" in again.json()["detail"]
    clerk = client_for(make_user("clerk"))
    assert clerk.get(f"/api/v1/budgets/{travel['id']}").json() == travel
    assert [b["id"] for b in clerk.get("/api/v1/budgets").json()["items"]] == [year["id"], travel["id"]]
    assert [b["id"] for b in clerk.get("/api/v1/budgets", params={"period": "2026"}).json()["items"]] == [year["id"]]
    assert [b["id"] for b in clerk.get("/api/v1/budgets", params={"cost_centre": "SALES"}).json()["items"]] == [
        travel["id"]]
    replaced = accountant.put(f"/api/v1/budgets/{travel['id']}", json={"amount": "800.50"})
    assert replaced.status_code == 200
    assert (replaced.json()["amount"], replaced.json()["on_exceed"], replaced.json()["name"]) == (
        "800.50", "warn", None)
    moved = accountant.put(f"/api/v1/budgets/{travel['id']}", json={"account_code": "6100", "amount": "1"})
    assert moved.status_code == 422 and "cannot be changed: create another budget" in moved.json()["detail"]
    assert accountant.delete(f"/api/v1/budgets/{year['id']}").status_code == 204
    assert clerk.get(f"/api/v1/budgets/{year['id']}").status_code == 404
    assert actions(auditor, travel["id"]) == ["budget.created", "budget.updated"]
    assert actions(auditor, year["id"]) == ["budget.created", "budget.deleted"]


def test_staff_read_budgets_accountants_and_admins_change_them_each_in_their_company(accountant, make_user,
                                                                                    client_for):
    travel = accountant.post("/api/v1/budgets", json=TRAVEL).json()
    for month, role in enumerate(Role, start=1):
        caller = client_for(make_user(role))
        assert caller.get("/api/v1/budgets").status_code == (200 if role in READERS else 403)
        assert caller.get(f"/api/v1/budgets/{travel['id']}/entries").status_code == (200 if role in READERS else 403)
        assert caller.put(f"/api/v1/budgets/{travel['id']}", json=TRAVEL).status_code == (
            200 if role in CHANGERS else 403)
        assert caller.post("/api/v1/budgets", json=TRAVEL | {"period": f"2030-{month:02d}"}).status_code == (
            201 if role in CHANGERS else 403)
    other = client_for(make_user("admin", company_slug="other"))
    assert other.get("/api/v1/budgets").json()["items"] == []
    assert other.get(f"/api/v1/budgets/{travel['id']}").status_code == 404
    assert other.delete(f"/api/v1/budgets/{travel['id']}").status_code == 404


def test_bad_budgets_are_refused_naming_what_to_fix(accountant):
    written = accountant.post("/api/v1/budgets", json={"account_code": "6200", "period": "2026-13", "amount": "-5",
                                                       "on_exceed": "stop"})
    assert written.status_code == 422 and written.json()["error"] == "MasterDataRejected"
    assert {error["field"]: error["message"] for error in written.json()["errors"]} == {
        "amount": "-5 is negative: a budget is 0 or more", "on_exceed": "'stop' is not one of warn, block",
        "period": "'2026-13' is not a period: write a month as YYYY-MM (2026-03) or a year as YYYY (2026)"}
    unknown = accountant.post("/api/v1/budgets", json=TRAVEL | {"account_code": "9999", "cost_centre_code": "NOPE"})
    assert unknown.status_code == 422
    assert {error["field"]: error["message"].split(":")[0] for error in unknown.json()["errors"]} == {
        "account_code": "9999 is not an active account of the chart", "cost_centre_code": "NOPE is not an active "
                                                                                          "cost centre"}
    missing = accountant.post("/api/v1/budgets", json={"account_code": "6200"})
    assert {error["field"] for error in missing.json()["errors"]} == {"period", "amount"}
    listed = accountant.get("/api/v1/budgets", params={"period": "March"})
    assert listed.status_code == 422 and "write a month as YYYY-MM" in listed.json()["detail"]
    assert accountant.get("/api/v1/budgets").json()["items"] == []


def test_budgets_are_imported_from_csv_and_yaml_all_or_nothing(accountant):
    assert import_file(accountant, BUDGETS_CSV, "budgets.csv").json() == {
        "created": 2, "updated": 0, "unchanged": 0, "errors": []}
    yaml = b'budgets:\n  - {account_code: "6200", cost_centre_code: SALES, period: "2026-03", amount: "1500", ' \
           b'on_exceed: block}\n  - {account_code: "6", period: "2026", amount: "12000"}\n'
    assert import_file(accountant, yaml, "budgets.yaml").json() == {
        "created": 0, "updated": 1, "unchanged": 1, "errors": []}
    bad = BUDGETS_CSV.replace(b"6,,2026,12000,", b"6,,2026,twelve,") + b"6300,,2026,100,block\n"
    refused = import_file(accountant, bad, "budgets.csv")
    assert refused.status_code == 422 and refused.json()["created"] == 0
    assert refused.json()["errors"] == [{"row": 3, "field": "amount", "message": "'twelve' is not an amount: write it "
                                                                              "like 5000.00, without separators of "
                                                                              "thousands"}]
    items = accountant.get("/api/v1/budgets").json()["items"]
    assert sorted((b["account_code"], b["amount"]) for b in items) == [("6", "12000.00"), ("6200", "1500.00")]


def test_a_budget_lists_its_movements_and_a_voucher_shows_how_it_stands(company, accountant, approver):
    budget = accountant.post("/api/v1/budgets", json={"account_code": "6", "period": "2026-03", "amount": "90"}).json()
    document = stored_document(company.id, **INVOICE)
    assert "warning: over budget 6 Operating expenses / every cost centre / 2026-03: 90.00; used 0.00 (reserved " \
           "0.00, consumed 0.00); this voucher 100.00; over by 10.00" in route(document)
    voucher_id = str(voucher_of(document).id)
    checks = approver.get(f"/api/v1/vouchers/{voucher_id}").json()["budget_checks"]
    assert checks == [{"budget_id": budget["id"], "name": "Operating expenses", "verdict": "over_warn",
                       "message": "budget 6 Operating expenses / every cost centre / 2026-03: 90.00; used 0.00 "
                                  "(reserved 0.00, consumed 0.00); this voucher 100.00; over by 10.00"}]
    assert approver.post(f"/api/v1/vouchers/{voucher_id}/approve").json()["status"] == "posted"
    entries = approver.get(f"/api/v1/budgets/{budget['id']}/entries").json()["items"]
    assert [(e["kind"], e["amount"], e["reason"], e["voucher_id"]) for e in entries] == [
        ("consumed", "100.00", "approved", voucher_id), ("released", "-100.00", "approved", voucher_id),
        ("reserved", "100.00", "drafted", voucher_id)]
    spent = approver.get(f"/api/v1/budgets/{budget['id']}").json()
    assert (spent["reserved"], spent["consumed"], spent["available"]) == ("0.00", "100.00", "-10.00")
    assert spent["warnings"][0].endswith("over by 10.00; every voucher that spends more under it is sent to review "
                                         "with a warning")
    kept = accountant.delete(f"/api/v1/budgets/{budget['id']}")
    assert kept.status_code == 409 and '"active": false' in kept.json()["detail"]


def test_an_upload_over_a_blocking_budget_waits_in_review_until_the_budget_is_raised(
        accountant, approver, auditor, make_user, client_for, run_jobs):
    budget = accountant.post("/api/v1/budgets", json={"account_code": "6", "period": "2024-03", "amount": "100",
                                                      "on_exceed": "block"}).json()
    invoice = SampleInvoice()
    created = upload_invoice(client_for(make_user("clerk")), invoice)
    run_jobs()
    document = approver.get(f"/api/v1/documents/{created['id']}").json()
    over = f"over by {invoice.subtotal - 100:.2f}"
    assert [reason for reason in document["review_reasons"] if "budget" in reason] == [
        f"blocked: over budget 6 Operating expenses / every cost centre / 2024-03: 100.00; used 0.00 (reserved 0.00, "
        f"consumed 0.00); this voucher {invoice.subtotal:.2f}; {over}; it cannot be approved until the budget is "
        "raised or the voucher spends less"]
    refused = approver.post(f"/api/v1/documents/{created['id']}/review", json={"decision": "approve"})
    assert refused.status_code == 409 and refused.json()["error"] == "BudgetExceeded"
    assert over in refused.json()["detail"] and f"PUT /api/v1/budgets/{budget['id']}" in refused.json()["detail"]
    assert approver.get(f"/api/v1/documents/{created['id']}").json()["status"] == "needs_review"
    assert approver.get(f"/api/v1/vouchers/{document['voucher_id']}").json()["status"] == "draft"
    assert actions(auditor, budget["id"]) == ["budget.created", "budget.blocked"]
    raised = accountant.put(f"/api/v1/budgets/{budget['id']}", json={"amount": "300", "on_exceed": "block"})
    assert raised.status_code == 200
    approved = approver.post(f"/api/v1/documents/{created['id']}/review", json={"decision": "approve"})
    assert approved.status_code == 200 and approved.json()["status"] == "posted"
    spent = approver.get(f"/api/v1/budgets/{budget['id']}").json()
    assert (spent["reserved"], spent["consumed"]) == ("0.00", f"{invoice.subtotal:.2f}")
