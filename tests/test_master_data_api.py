"""The master data API on the real app and database: company scoping, who may read and change, imports of CSV and
YAML that write all or nothing, the seed charts, the vendor master's new fields, and the chart in the document
flow."""

from __future__ import annotations

import pytest

from core.permissions import Role
from ledgerdesk.samples import SampleInvoice
from tests.helpers import upload_invoice

READERS = (Role.CLERK, Role.APPROVER, Role.ACCOUNTANT, Role.ADMIN, Role.AUDITOR)
CHANGERS = (Role.ACCOUNTANT, Role.ADMIN)
COST_CENTRES_CSV = b"code,name\nADM,Administration\nSAL,Sales\n"


@pytest.fixture
def accountant(make_user, client_for):
    return client_for(make_user("accountant"))


def import_file(client, table: str, data: bytes, filename: str, content_type: str = "application/octet-stream",
                **form):
    return client.post(f"/api/v1/{table}/import", files={"file": (filename, data, content_type)}, data=form)


def test_cost_centres_are_created_read_updated_and_deactivated(accountant):
    created = accountant.post("/api/v1/cost-centres", json={"code": "ADM", "name": "Administration"})
    assert created.status_code == 201 and created.json() == {"code": "ADM", "name": "Administration", "active": True}
    assert accountant.get("/api/v1/cost-centres/ADM").json()["name"] == "Administration"
    changed = accountant.patch("/api/v1/cost-centres/ADM", json={"name": "Admin & HR"})
    assert changed.status_code == 200 and changed.json()["name"] == "Admin & HR"
    gone = accountant.post("/api/v1/cost-centres/ADM/deactivate")
    assert gone.status_code == 200 and gone.json()["active"] is False
    assert accountant.get("/api/v1/cost-centres?active=true").json() == {"items": [], "next_cursor": None}
    assert [c["code"] for c in accountant.get("/api/v1/cost-centres?active=false").json()["items"]] == ["ADM"]
    again = accountant.post("/api/v1/cost-centres", json={"code": "ADM", "name": "Again"})
    assert again.status_code == 409 and again.json()["error"] == "Conflict"


def test_accounts_list_in_code_order_page_by_page(accountant):
    first = accountant.get("/api/v1/accounts?limit=20").json()
    second = accountant.get(f"/api/v1/accounts?limit=20&cursor={first['next_cursor']}").json()
    codes = [a["code"] for a in first["items"] + second["items"]]
    assert codes == sorted(codes) and len(set(codes)) == 40 and first["next_cursor"] and second["next_cursor"]
    assert first["items"][1] == {"code": "1100", "name": "Cash on hand", "account_type": "asset", "role": "cash",
                                 "parent_code": "1", "active": True, "categories": []}
    assert accountant.get("/api/v1/accounts?cursor=bm9wZQ==").status_code == 422


def test_tax_codes_answer_rates_as_decimal_strings(accountant):
    tax = accountant.get("/api/v1/tax-codes/R10").json()
    assert tax == {"code": "R10", "name": "Input VAT, reduced rate 10%", "rate": "10.00", "kind": "input",
                   "deductible": True, "account_code": "1400", "active": True}
    created = accountant.post("/api/v1/tax-codes", json={"code": "R7", "name": "Reduced 7%", "rate": 7.7,
                                                         "account_code": "1400"})
    assert created.status_code == 201 and created.json()["rate"] == "7.70"


def test_one_record_with_errors_is_a_422_listing_them_and_nothing_is_stored(accountant):
    refused = accountant.post("/api/v1/tax-codes", json={"code": "BAD", "name": "Bad", "rate": "150",
                                                         "account_code": "9999"})
    assert refused.status_code == 422
    body = refused.json()
    assert body["error"] == "MasterDataRejected" and body["created"] == 0 and body["updated"] == 0
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(1, "rate")]
    assert accountant.get("/api/v1/tax-codes/BAD").status_code == 404
    unknown = accountant.post("/api/v1/cost-centres", json={"code": "X", "name": "X", "owner": "me"})
    assert unknown.status_code == 422 and unknown.json()["error"] == "ValidationError"


def test_a_csv_import_writes_every_row(accountant):
    result = import_file(accountant, "cost-centres", COST_CENTRES_CSV, "cc.csv", "text/csv")
    assert result.status_code == 200, result.text
    assert result.json() == {"created": 2, "updated": 0, "unchanged": 0, "errors": []}
    names = [c["name"] for c in accountant.get("/api/v1/cost-centres").json()["items"]]
    assert names == ["Administration", "Sales"]


def test_a_yaml_import_by_its_format_field(accountant):
    data = "- {code: '6010', name: 餐费, account_type: expense, parent_code: '6'}\n".encode()
    result = import_file(accountant, "accounts", data, "upload.bin", format="yaml")
    assert result.status_code == 200 and result.json()["created"] == 1
    assert accountant.get("/api/v1/accounts/6010").json()["name"] == "餐费"


def test_a_file_with_a_bad_row_is_refused_whole_with_every_error(accountant):
    import_file(accountant, "cost-centres", COST_CENTRES_CSV, "cc.csv")
    data = (b"number,name,cost_centre_code,email\nE1,Ada,ADM,ada@acme.test\nE2,Bob,OPS,bob@acme.test\n"
            b"E1,Ada again,SAL,\nE4,Dan,SAL,not-mail\n")
    refused = import_file(accountant, "employees", data, "employees.csv")
    assert refused.status_code == 422
    body = refused.json()
    assert body["detail"] == ("3 errors in 3 rows; nothing was written. Correct them and send the whole file again.")
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(3, "cost_centre_code"), (4, "number"), (5, "email")]
    assert body["errors"][1]["message"] == "E1 is on row 2 already"
    assert accountant.get("/api/v1/employees").json()["items"] == [], "not even E1 was written"


def test_a_file_of_unknown_format_is_a_415(accountant):
    refused = import_file(accountant, "projects", b"code,name\nP1,One\n", "projects.xlsx")
    assert refused.status_code == 415 and "format=csv" in refused.json()["detail"]


@pytest.mark.parametrize("role", list(Role))
def test_who_may_read_and_change_master_data(role, make_user, client_for):
    client = client_for(make_user(role.value))
    read = client.get("/api/v1/projects")
    assert read.status_code == (200 if role in READERS else 403)
    created = client.post("/api/v1/projects", json={"code": "P1", "name": "One"})
    assert created.status_code == (201 if role in CHANGERS else 403)
    imported = import_file(client, "projects", b"code,name\nP2,Two\n", "p.csv")
    assert imported.status_code == (200 if role in CHANGERS else 403)
    seeded = client.post("/api/v1/accounts/seed", json={"chart": "ifrs"})
    assert seeded.status_code == (200 if role in CHANGERS else 403)


def test_another_companys_master_data_is_invisible(accountant, make_user, client_for):
    other = client_for(make_user("accountant", company_slug="globex"))
    assert other.post("/api/v1/projects", json={"code": "SECRET", "name": "Theirs"}).status_code == 201
    assert accountant.post("/api/v1/projects", json={"code": "MINE", "name": "Ours"}).status_code == 201
    assert [p["code"] for p in accountant.get("/api/v1/projects").json()["items"]] == ["MINE"]
    assert accountant.get("/api/v1/projects/SECRET").status_code == 404
    assert accountant.patch("/api/v1/projects/SECRET", json={"name": "Mine now"}).status_code == 404
    assert accountant.post("/api/v1/projects/SECRET/deactivate").status_code == 404
    assert other.get("/api/v1/projects/SECRET").json() == {"code": "SECRET", "name": "Theirs", "active": True}
    mine_too = accountant.post("/api/v1/projects", json={"code": "SECRET", "name": "Ours too"})
    assert mine_too.status_code == 201, "a code is unique within a company only"


def test_switching_to_the_chinese_chart(accountant):
    refused = accountant.post("/api/v1/accounts/seed", json={"chart": "cn-cas"})
    assert refused.status_code == 422 and "apply it with replace" in refused.json()["detail"]
    switched = accountant.post("/api/v1/accounts/seed", json={"chart": "cn-cas", "replace": True})
    assert switched.status_code == 200
    assert switched.json()["accounts"] == {"created": 92, "updated": 54, "unchanged": 0, "errors": []}
    assert accountant.get("/api/v1/accounts/2202").json()["role"] == "payable"
    assert accountant.get("/api/v1/accounts/2000").json()["active"] is False
    assert accountant.get("/api/v1/tax-codes/IN13G").json()["deductible"] is False


def test_vendors_take_a_cost_centre_and_payment_terms_and_import_from_yaml(accountant, make_user, client_for):
    clerk = client_for(make_user("clerk"))
    made = clerk.post("/api/v1/vendors", json={"name": "Fabrikam", "cost_centre_code": "SAL",
                                               "payment_terms": "14 days net"})
    assert made.status_code == 201
    assert (made.json()["cost_centre_code"], made.json()["payment_terms"]) == ("SAL", "14 days net")
    import_file(accountant, "cost-centres", COST_CENTRES_CSV, "cc.csv")
    data = (b"- name: Northwind Office Supplies Ltd\n  aliases: [Northwind, NW Supplies]\n  tax_id: GB123456789\n"
            b"  default_account_code: '6100'\n  cost_centre_code: ADM\n  payment_terms: 30 days net\n"
            b"- {name: Fabrikam, payment_terms: 30 days net}\n")
    result = import_file(accountant, "vendors", data, "vendors.yaml")
    assert result.status_code == 200 and result.json()["created"] == 1 and result.json()["updated"] == 1
    vendors = {v["name"]: v for v in clerk.get("/api/v1/vendors").json()["items"]}
    assert vendors["Northwind Office Supplies Ltd"]["aliases"] == ["Northwind", "NW Supplies"]
    assert vendors["Northwind Office Supplies Ltd"]["cost_centre_code"] == "ADM"
    assert vendors["Fabrikam"]["payment_terms"] == "30 days net" and vendors["Fabrikam"]["cost_centre_code"] == "SAL"
    assert import_file(clerk, "vendors", data, "vendors.yaml").status_code == 403


def test_an_invoice_whose_chart_lacks_input_vat_waits_in_review_with_what_to_fix(accountant, make_user, client_for,
                                                                                  run_jobs):
    assert accountant.post("/api/v1/accounts/1400/deactivate").status_code == 200
    clerk = client_for(make_user("clerk"))
    document_id = upload_invoice(clerk, SampleInvoice())["id"]
    run_jobs()
    document = clerk.get(f"/api/v1/documents/{document_id}").json()
    assert document["status"] == "needs_review" and document["voucher_id"] is None
    [reason] = [r for r in document["review_reasons"] if r.startswith("no voucher")]
    assert "no active account with the role 'input_tax'" in reason and "import one with role input_tax" in reason
    assert clerk.get("/api/v1/vouchers").json()["items"] == []
    approve = clerk.post(f"/api/v1/documents/{document_id}/review",
                         json={"decision": "approve", "corrections": {"total_amount": "119.00"}})
    assert approve.status_code == 422 and approve.json()["error"] == "MissingAccounts"
    assert accountant.patch("/api/v1/accounts/1400", json={"active": True}).status_code == 200
    again = clerk.post(f"/api/v1/documents/{document_id}/review",
                       json={"decision": "approve", "corrections": {"total_amount": "119.00"}})
    assert again.status_code == 200, again.text
    [voucher] = clerk.get("/api/v1/vouchers").json()["items"]
    assert [line["account_code"] for line in voucher["lines"]] == ["6000", "1400", "2000"]
