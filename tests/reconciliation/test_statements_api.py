"""Bank statements through the HTTP API of the real app and database, as machine clients call it (API tokens):
importing each format, overlapping statements and the same file again, reading statements and their lines page by
page, column profiles, who may do what, and company scoping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.blobs import get_blob_store
from core.db import transaction
from models import BankTransaction
from tests.reconciliation.statements import (IBAN, OTHER_IBAN, RF, VENDOR_IBAN, Account, Entry, camt, csv_statement,
                                             mt940, ofx, xlsx_statement)

MARCH = [Entry(Decimal("250.00"), booked=date(2026, 3, 2), reference=RF, bank_reference="B1"),
         Entry(Decimal("-99.95"), booked=date(2026, 3, 3), name="Contoso", iban=OTHER_IBAN, text="RE 12345",
               bank_reference="B2"),
         Entry(Decimal("-5.00"), booked=date(2026, 3, 4), name=None, iban=None, text="Fee", end_to_end=None,
               bank_reference=None),
         Entry(Decimal("-5.00"), booked=date(2026, 3, 4), name=None, iban=None, text="Fee", end_to_end=None,
               bank_reference=None)]
PROFILE = {"name": "sparkasse", "columns": {"booking_date": "Buchungstag", "value_date": "Valuta",
                                            "counterparty_name": "Empfänger", "counterparty_iban": "IBAN",
                                            "remittance": ["Verwendungszweck", "Info"], "debit": "Soll",
                                            "credit": "Haben", "balance": "Saldo"},
           "date_format": "%d.%m.%Y", "decimal_separator": ",", "encoding": "cp1252", "skip_rows": 1,
           "currency": "EUR", "account": "DE89 3704 0044 0532 0130 00"}
HEADER = ["Buchungstag", "Valuta", "Empfänger", "IBAN", "Verwendungszweck", "Info", "Soll", "Haben", "Saldo"]


@pytest.fixture
def clerk(make_user, client_for):
    return client_for(make_user("clerk"))


def upload(client, data: bytes, filename: str = "statement.xml", **form):
    return client.post("/api/v1/bank-statements", files={"file": (filename, data, "application/octet-stream")},
                       data=form)


def lines_of(client, statement_id: str, **params) -> dict:
    response = client.get(f"/api/v1/bank-statements/{statement_id}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_camt_statement_is_imported_with_its_lines_references_and_balances(clerk):
    created = upload(clerk, camt([Account(entries=MARCH)]))
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["format"], body["accounts"], body["transactions"], body["duplicates"], body["warnings"]) == (
        "camt.053", [IBAN], 4, 0, [])
    statement = lines_of(clerk, body["id"])
    assert (statement["opening_balance"], statement["closing_balance"], statement["currency"]) == (
        "1000.00", "1140.05", "EUR")
    assert (statement["period_start"], statement["period_end"], statement["reference"]) == (
        "2026-03-02", "2026-03-04", "STMT-1")
    first, second = statement["transactions"]["items"][:2]
    assert (first["amount"], first["counterparty_name"], first["counterparty_iban"], first["creditor_reference"],
            first["end_to_end_id"], first["bank_reference"], first["status"]) == (
        "250.00", "Northwind GmbH", VENDOR_IBAN, "RF18539007547034", "E2E-0042", "B1", "unmatched")
    assert first["reference_tokens"] == ["INV-2026-0042", "E2E-0042"]
    assert (second["amount"], second["counterparty_name"], second["reference_tokens"]) == ("-99.95", "Contoso",
                                                                                           ["12345", "E2E-0042"])
    assert [line["line_no"] for line in statement["transactions"]["items"]] == [1, 2, 3, 4]


def test_the_original_file_is_kept_and_the_import_is_in_the_audit_log(clerk):
    data = camt([Account(entries=MARCH[:1])])
    body = upload(clerk, data).json()
    statement = lines_of(clerk, body["id"])
    assert get_blob_store().get(statement["sha256"]) == data
    with transaction() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == body["id"])).one()
    assert (event.action, event.data["transactions"], event.data["account"], event.data["format"]) == (
        "bank_statement.imported", 1, IBAN, "camt.053")


def test_overlapping_statements_import_each_line_once(clerk):
    first = upload(clerk, camt([Account(entries=MARCH[:3], statement_id="S1")])).json()
    overlapping = Account(opening=Decimal("1150.05"), entries=MARCH[1:], statement_id="S2")
    second = upload(clerk, camt([overlapping])).json()
    assert (first["transactions"], first["duplicates"]) == (3, 0)
    assert (second["transactions"], second["duplicates"]) == (1, 2), "the second 5.00 fee of the day is new"
    with transaction() as session:
        assert session.scalar(select(func.count()).select_from(BankTransaction)) == 4
    assert [line["amount"] for line in lines_of(clerk, second["id"])["transactions"]["items"]] == ["-5.00"]


def test_the_same_file_again_answers_the_statement_it_made(clerk):
    data = camt([Account(entries=MARCH)])
    first = upload(clerk, data)
    again = upload(clerk, data, filename="copy.xml")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert (again.json()["transactions"], again.json()["duplicates"]) == (0, 4)
    assert len(clerk.get("/api/v1/bank-statements").json()["items"]) == 1


def test_a_file_with_two_accounts_gives_a_statement_for_each(clerk):
    data = camt([Account(entries=MARCH[:1]), Account(iban=OTHER_IBAN, currency="GBP", entries=MARCH[1:2])])
    body = upload(clerk, data).json()
    assert body["accounts"] == [IBAN, OTHER_IBAN] and len(body["statements"]) == 2
    accounts = clerk.get("/api/v1/bank-accounts").json()["items"]
    assert [(a["identifier"], a["iban"], a["currency"], a["name"]) for a in accounts] == [
        (IBAN, IBAN, "EUR", "Acme operating account"), (OTHER_IBAN, OTHER_IBAN, "GBP", "Acme operating account")]
    listed = clerk.get("/api/v1/bank-statements", params={"account": OTHER_IBAN}).json()["items"]
    assert [(s["id"], s["currency"], s["transaction_count"]) for s in listed] == [(body["statements"][1], "GBP", 1)]


def test_an_unbalanced_statement_is_imported_with_a_warning(clerk):
    body = upload(clerk, camt([Account(closing=Decimal("1200.00"), entries=MARCH)])).json()
    [warning] = body["warnings"]
    assert warning.startswith("unbalanced: opening balance 1000.00 + 4 lines +140.05 = 1140.05, but the closing "
                              "balance is 1200.00")
    assert lines_of(clerk, body["id"])["warnings"] == [warning]


def test_mt940_mt942_and_ofx_are_imported_alike(clerk):
    account = Account(entries=MARCH[:2])
    statement = upload(clerk, mt940(account), filename="march.sta").json()
    assert (statement["format"], statement["transactions"], statement["warnings"]) == ("mt940", 2, [])
    interim = upload(clerk, mt940(Account(entries=MARCH[2:3]), interim=True), filename="today.sta").json()
    assert (interim["format"], interim["transactions"]) == ("mt942", 1)
    assert interim["warnings"] == ["the balances were not checked: the file gives no opening and no closing balance"]
    card = Account(iban="4111111111111111", currency="USD", entries=[Entry(Decimal("-12.50"), bank_reference="F1")])
    both = upload(clerk, ofx([("bank", Account(iban=OTHER_IBAN, entries=MARCH[:1])), ("card", card)])).json()
    assert (both["format"], both["accounts"], both["transactions"]) == ("ofx", [OTHER_IBAN, "4111111111111111"], 2)


def test_pages_of_a_statements_lines(clerk):
    entries = [Entry(Decimal(f"{n}.00"), bank_reference=f"R{n}") for n in range(1, 8)]
    body = upload(clerk, camt([Account(entries=entries)])).json()
    first = lines_of(clerk, body["id"], limit=3)
    second = lines_of(clerk, body["id"], limit=3, cursor=first["transactions"]["next_cursor"])
    third = lines_of(clerk, body["id"], limit=3, cursor=second["transactions"]["next_cursor"])
    amounts = [line["amount"] for page in (first, second, third) for line in page["transactions"]["items"]]
    assert amounts == [f"{n}.00" for n in range(1, 8)] and third["transactions"]["next_cursor"] is None


def test_a_csv_statement_is_read_with_the_companys_profile(clerk):
    created = clerk.post("/api/v1/csv-profiles", json=PROFILE)
    assert created.status_code == 201, created.text
    rows = [["01.03.2026", "01.03.2026", "Northwind GmbH", VENDOR_IBAN, "Rechnung RE-2026-0042", "", "1.234,56", "",
             "8.765,44"],
            ["02.03.2026", "03.03.2026", "Acme Kunde", "", RF, "Danke", "", "200,00", "8.965,44"]]
    data = csv_statement(rows, header=HEADER, title="Umsätze Girokonto", encoding="cp1252")
    body = upload(clerk, data, filename="umsaetze.csv", profile="sparkasse").json()
    assert (body["format"], body["accounts"], body["transactions"], body["warnings"]) == ("csv", [IBAN], 2, [])
    statement = lines_of(clerk, body["id"])
    assert (statement["opening_balance"], statement["closing_balance"]) == ("10000.00", "8965.44")
    paid, received = statement["transactions"]["items"]
    assert (paid["amount"], paid["counterparty_iban"], paid["reference_tokens"]) == ("-1234.56", VENDOR_IBAN,
                                                                                     ["RE-2026-0042"])
    assert (received["amount"], received["value_date"], received["creditor_reference"], received["remittance"]) == (
        "200.00", "2026-03-03", "RF18539007547034", f"{RF} Danke")


def test_an_excel_statement_is_read_with_a_profile(clerk):
    profile = {"name": "excel", "columns": {"booking_date": "Date", "amount": "Amount", "sign": "D/C",
                                            "remittance": "Text", "account": "Account", "currency": "Currency"},
               "debit_marks": ["D"]}
    assert clerk.post("/api/v1/csv-profiles", json=profile).status_code == 201
    rows = [[date(2026, 3, 2), 250.5, "C", "INV-77001", IBAN, "EUR"],
            [date(2026, 3, 3), 20, "D", "fee", IBAN, "EUR"],
            [date(2026, 3, 3), 75, "C", "INV-77002", OTHER_IBAN, "GBP"]]
    body = upload(clerk, xlsx_statement(rows, header=["Date", "Amount", "D/C", "Text", "Account", "Currency"]),
                  filename="export.xlsx", profile="excel").json()
    assert (body["format"], body["accounts"], body["transactions"]) == ("xlsx", [IBAN, OTHER_IBAN], 3)
    lines = lines_of(clerk, body["id"])["transactions"]["items"]
    assert [(line["amount"], line["reference_tokens"]) for line in lines] == [("250.50", ["INV-77001"]),
                                                                              ("-20.00", [])]


def test_column_profiles_are_kept_changed_and_deleted(clerk):
    assert clerk.post("/api/v1/csv-profiles", json=PROFILE).status_code == 201
    assert clerk.post("/api/v1/csv-profiles", json=PROFILE).status_code == 409
    changed = clerk.patch("/api/v1/csv-profiles/sparkasse", json={"date_format": "%Y-%m-%d", "delimiter": ";"})
    assert changed.status_code == 200 and (changed.json()["date_format"], changed.json()["delimiter"]) == (
        "%Y-%m-%d", ";")
    assert changed.json()["columns"] == PROFILE["columns"], "what was not sent stays"
    assert [p["name"] for p in clerk.get("/api/v1/csv-profiles").json()["items"]] == ["sparkasse"]
    assert clerk.delete("/api/v1/csv-profiles/sparkasse").status_code == 204
    assert clerk.get("/api/v1/csv-profiles/sparkasse").status_code == 404


def test_a_profile_that_cannot_read_a_statement_is_refused_with_every_problem(clerk):
    refused = clerk.post("/api/v1/csv-profiles", json={"name": "bad one", "columns": {"amount": "A", "debit": "D",
                                                                                       "colour": "C"},
                                                       "date_format": "%d", "currency": "EURO"})
    assert refused.status_code == 422 and refused.json()["error"] in ("InvalidRequest", "ValidationError")
    fixed_name = clerk.post("/api/v1/csv-profiles", json={"name": "bad", "columns": {"amount": "A", "debit": "D",
                                                                                      "colour": "C"},
                                                           "date_format": "%d", "currency": "EUR"})
    detail = fixed_name.json()["detail"]
    assert fixed_name.status_code == 422 and fixed_name.json()["error"] == "InvalidRequest"
    for problem in ("no role 'colour'", "columns.amount, or columns.debit and columns.credit",
                    "columns.booking_date", "give account", "date_format '%d'"):
        assert problem in detail


def test_only_reconcilers_import_and_each_company_sees_its_own(make_user, client_for, clerk):
    body = upload(clerk, camt([Account(entries=MARCH[:1])])).json()
    approver, auditor = client_for(make_user("approver")), client_for(make_user("auditor"))
    for outsider in (approver, auditor):
        assert upload(outsider, camt([Account(entries=MARCH[1:2])])).status_code == 403
        assert outsider.get("/api/v1/bank-statements").status_code == 403
    accountant = client_for(make_user("accountant"))
    assert lines_of(accountant, body["id"])["id"] == body["id"]
    other = client_for(make_user("admin", company_slug="other"))
    assert other.get(f"/api/v1/bank-statements/{body['id']}").status_code == 404
    assert other.get("/api/v1/bank-statements").json()["items"] == []
    again = upload(other, camt([Account(entries=MARCH[:1])]))
    assert again.status_code == 201 and again.json()["transactions"] == 1, "another company's same file is its own"
