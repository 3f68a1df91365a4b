"""Voucher exports through the HTTP API on the real app and database: batches that export each voucher once and
download again byte for byte, the filters, the columns of each format, reversals, who may do what, company scoping."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest
from openpyxl import load_workbook

from core.db import transaction
from core.identity import Company
from core.permissions import Role
from models import Vendor
from posting.exports.columns import COLUMNS
from tests.posting.documents import route, stored_document, voucher_of

READERS = (Role.CLERK, Role.APPROVER, Role.ACCOUNTANT, Role.ADMIN, Role.AUDITOR)
LEDGER_KEEPERS = (Role.ACCOUNTANT, Role.ADMIN)
INVOICE = {"invoice_number": "INV-7", "vendor_name": "Northwind", "invoice_date": "2026-03-02", "subtotal": "100.00",
           "tax_amount": "20.00", "tax_rate": "20", "total_amount": "120.00", "currency": "EUR"}
EXPORTS = "/api/v1/exports/vouchers"


@pytest.fixture
def accountant(make_user, client_for):
    return client_for(make_user("accountant"))


def drafted(company, **values) -> str:
    document = stored_document(company.id, **INVOICE | values)
    route(document)
    return str(voucher_of(document).id)


def posted(client, company, **values) -> str:
    voucher_id = drafted(company, **values)
    assert client.post(f"/api/v1/vouchers/{voucher_id}/approve").json()["status"] == "posted"
    return voucher_id


def approved_only(client, company, **values) -> str:
    with transaction() as session:
        session.get(Company, company.id).post_on_approval = False
    voucher_id = drafted(company, **values)
    assert client.post(f"/api/v1/vouchers/{voucher_id}/approve").json()["status"] == "approved"
    with transaction() as session:
        session.get(Company, company.id).post_on_approval = True
    return voucher_id


def csv_rows(response) -> list[dict[str, str]]:
    assert response.content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark, for Excel"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def exported_ids(response) -> list[str]:
    """The voucher ids of a CSV export, in its order, each once."""
    return list(dict.fromkeys(row["voucher_id"] for row in csv_rows(response)))


def test_a_batch_exports_each_voucher_once_and_downloads_again_byte_for_byte(company, accountant):
    first, second = posted(accountant, company, invoice_date="2026-03-20"), posted(accountant, company)
    made = accountant.post(EXPORTS)
    assert made.status_code == 201, made.text
    batch = made.headers["X-Export-Batch"]
    assert (made.headers["X-Export-Count"], made.headers["content-type"]) == ("2", "text/csv; charset=utf-8")
    assert made.headers["content-disposition"] == f'attachment; filename="vouchers-{batch}.csv"'
    rows = csv_rows(made)
    assert list(rows[0]) == [column.name for column in COLUMNS]
    assert exported_ids(made) == [second, first], "by voucher date"
    assert {row["batch_id"] for row in rows} == {batch} and len(rows) == 6

    again = accountant.post(EXPORTS)
    assert (again.status_code, again.headers["X-Export-Count"], csv_rows(again)) == (200, "0", [])
    assert "X-Export-Batch" not in again.headers, "nothing new: no batch"

    third = posted(accountant, company, invoice_date="2026-03-25")
    assert accountant.patch("/api/v1/accounts/2000", json={"name": "Trade payables"}).status_code == 200
    for _ in range(2):
        download = accountant.get(EXPORTS, params={"batch": batch})
        assert download.status_code == 200 and download.content == made.content
        assert download.headers["X-Export-Batch"] == batch
    assert exported_ids(accountant.get(EXPORTS)) == [third], "a read shows what is not exported yet"
    everything = accountant.get(EXPORTS, params={"include_exported": "true"})
    assert "X-Export-Batch" not in everything.headers
    assert [(row["voucher_id"], row["batch_id"]) for row in csv_rows(everything)][::3] == [
        (second, batch), (first, batch), (third, "")]
    assert exported_ids(accountant.get(EXPORTS)) == [third], "reading marked nothing"

    [listed] = accountant.get("/api/v1/export-batches").json()["items"]
    assert (listed["id"], listed["format"], listed["voucher_count"], listed["line_count"]) == (batch, "csv", 2, 6)
    assert listed["filters"] == {"from": None, "to": None, "statuses": ["approved", "posted"]}
    assert listed["created_by"].startswith("user:accountant") and accountant.get(listed["download"]).content == \
        made.content


def test_a_batch_is_downloaded_in_its_own_format(company, accountant):
    posted(accountant, company)
    made = accountant.post(EXPORTS, params={"format": "xlsx"})
    batch = made.headers["X-Export-Batch"]
    assert made.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert accountant.get(EXPORTS, params={"batch": batch, "format": "xlsx"}).content == made.content
    refused = accountant.get(EXPORTS, params={"batch": batch, "format": "csv"})
    assert refused.status_code == 422 and refused.json()["error"] == "InvalidRequest"
    assert "was exported as xlsx" in refused.json()["detail"] and "format=xlsx" in refused.json()["detail"]
    filtered = accountant.get(EXPORTS, params={"batch": batch, "period": "2026-03"})
    assert filtered.status_code == 422 and "leave out from, to, period, status" in filtered.json()["detail"]
    missing = accountant.get(EXPORTS, params={"batch": str(uuid.uuid4())})
    assert missing.status_code == 404 and missing.json()["error"] == "NotFound"


def test_filters_take_vouchers_by_date_period_and_status(company, accountant):
    february = posted(accountant, company, invoice_date="2026-02-27")
    waiting = approved_only(accountant, company, invoice_date="2026-03-02")
    end_of_march = posted(accountant, company, invoice_date="2026-03-31")
    drafted(company, invoice_date="2026-03-15")  # a draft is never exported
    assert exported_ids(accountant.get(EXPORTS)) == [february, waiting, end_of_march]
    cases = [({"period": "2026-03"}, [waiting, end_of_march]), ({"status": "approved"}, [waiting]),
             ({"period": "2026-03", "status": "posted"}, [end_of_march]),
             ({"from": "2026-03-01", "to": "2026-03-30"}, [waiting]), ({"to": "2026-02-28"}, [february]),
             ({"period": "2026-03", "from": "2026-03-10"}, [end_of_march]), ({"period": "2026-04"}, [])]
    for params, expected in cases:
        assert exported_ids(accountant.get(EXPORTS, params=params)) == expected, params
    made = accountant.post(EXPORTS, params={"period": "2026-03", "status": "posted"})
    assert exported_ids(made) == [end_of_march]
    [batch] = accountant.get("/api/v1/export-batches").json()["items"]
    assert batch["filters"] == {"from": "2026-03-01", "to": "2026-03-31", "statuses": ["posted"]}
    assert exported_ids(accountant.post(EXPORTS)) == [february, waiting]


@pytest.mark.parametrize(("params", "says"), [
    ({"from": "2026-03-10", "to": "2026-03-01"}, "from (2026-03-10) is after to (2026-03-01)"),
    ({"period": "2026-13"}, "'2026-13' is not a period: write the month as YYYY-MM"),
    ({"status": "draft"}, "status"),
    ({"format": "pdf"}, "format"),
    ({"frm": "2026-03-01"}, "frm"),
])
def test_a_wrong_filter_is_a_422_naming_what_to_fix(accountant, params, says):
    for answer in (accountant.get(EXPORTS, params=params), accountant.post(EXPORTS, params=params)):
        assert answer.status_code == 422, (params, answer.text)
        assert says in answer.json()["detail"]
    assert accountant.get("/api/v1/export-batches").json()["items"] == [], "nothing half written"


def test_the_formats_carry_the_same_columns(company, accountant):
    with transaction() as session:
        vendor = Vendor(company_id=company.id, name="Northwind Ltd")
        session.add(vendor)
    assert accountant.post("/api/v1/exchange-rates", json={"from_currency": "USD", "to_currency": "EUR",
                                                           "date": "2026-03-01", "rate": "0.92"}).status_code == 201
    assert accountant.patch("/api/v1/accounts/6000", json={"name": "办公费"}).status_code == 200
    document = stored_document(company.id, vendor_id=vendor.id, **INVOICE | {"currency": "USD"})
    route(document)
    voucher_id = str(voucher_of(document).id)
    accountant.post(f"/api/v1/vouchers/{voucher_id}/approve")
    voucher = accountant.get(f"/api/v1/vouchers/{voucher_id}").json()
    rows = csv_rows(accountant.get(EXPORTS))
    expense = rows[0]
    assert (expense["account_code"], expense["account_name"], expense["debit"], expense["base_debit"]) == (
        "6000", "办公费", "100.00", "92.00")
    assert (expense["currency"], expense["exchange_rate"], expense["base_currency"], expense["period"]) == (
        "USD", "0.92", "EUR", "2026-03")
    assert (expense["counterparty"], expense["reference"], expense["document_type"], expense["document_id"]) == (
        "Northwind Ltd", "INV-7", "invoice", str(document))
    assert expense["posted_at"] == voucher["posted_at"].replace("Z", "+00:00")
    assert [(row["line_no"], row["kind"], row["credit"]) for row in rows] == [
        ("1", "expense", "0.00"), ("2", "input_tax", "0.00"), ("3", "payable", "120.00")]

    [as_json] = json.loads(accountant.get(EXPORTS, params={"format": "json"}).content)["vouchers"]
    assert (as_json["voucher_id"], as_json["exchange_rate"], as_json["counterparty"]) == (voucher_id, "0.92",
                                                                                         "Northwind Ltd")
    assert [line["base_credit"] for line in as_json["lines"]] == ["0.00", "0.00", "110.40"]
    assert as_json["lines"][0] | {"reason": ""} == {
        "line_no": 1, "account_code": "6000", "account_name": "办公费", "debit": "100.00", "credit": "0.00",
        "base_debit": "92.00", "base_credit": "0.00", "cost_centre": None, "kind": "expense",
        "description": voucher["lines"][0]["description"], "reason": "", "project": None}

    sheet = load_workbook(io.BytesIO(accountant.get(EXPORTS, params={"format": "xlsx"}).content))["vouchers"]
    header, *lines = sheet.iter_rows()
    assert [cell.value for cell in header] == [column.name for column in COLUMNS]
    by_name = {cell.value: index for index, cell in enumerate(header)}
    payable = lines[2]
    assert (payable[by_name["credit"]].value, payable[by_name["credit"]].number_format) == (120, "0.00")
    assert payable[by_name["base_credit"]].value == pytest.approx(110.40)
    assert payable[by_name["account_name"]].data_type == "s" and lines[0][by_name["account_name"]].value == "办公费"


def test_a_reversal_is_exported_as_its_own_voucher(company, accountant):
    original = posted(accountant, company)
    accountant.post(EXPORTS)
    reversal = accountant.post(f"/api/v1/vouchers/{original}/reverse", json={"date": "2026-03-20"}).json()
    rows = csv_rows(accountant.post(EXPORTS))
    assert {row["voucher_id"] for row in rows} == {reversal["id"]}
    original_document = accountant.get(f"/api/v1/vouchers/{original}").json()["document_id"]
    assert {(row["reverses_id"], row["document_id"], row["reference"]) for row in rows} == {
        (original, original_document, "INV-7")}
    assert [(row["debit"], row["credit"]) for row in rows] == [("0.00", "100.00"), ("0.00", "20.00"),
                                                               ("120.00", "0.00")]


def test_who_may_export_and_each_company_sees_its_own(company, make_user, client_for, accountant):
    posted(accountant, company)
    for role in Role:
        caller = client_for(make_user(role))
        assert caller.get(EXPORTS).status_code == (200 if role in READERS else 403), role
        assert caller.get("/api/v1/export-batches").status_code == (200 if role in READERS else 403), role
        if role not in LEDGER_KEEPERS:
            assert caller.post(EXPORTS).status_code == 403, role
    batch = accountant.post(EXPORTS).headers["X-Export-Batch"]
    assert client_for(make_user("auditor")).get(EXPORTS, params={"batch": batch}).status_code == 200
    other = client_for(make_user("admin", company_slug="other"))
    assert other.get(EXPORTS, params={"batch": batch}).status_code == 404
    assert other.post(EXPORTS).headers["X-Export-Count"] == "0"
    assert other.get(EXPORTS, params={"include_exported": "true"}).headers["X-Export-Count"] == "0"
    assert other.get("/api/v1/export-batches").json()["items"] == []
