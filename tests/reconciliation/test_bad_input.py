"""Bank statements that must be refused, through the API: each gets a clear 4xx naming what is wrong and where, and
nothing of it is stored (no statement, no line, no account, not its file)."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.blobs import get_blob_store
from core.db import transaction
from core.settings import get_settings
from models import BankAccount, BankStatement, BankTransaction
from tests.reconciliation.statements import IBAN, Account, Entry, camt, csv_statement, mt940, ofx
from tests.reconciliation.test_statements_api import upload

GOOD = camt([Account(entries=[Entry(Decimal("10.00"))])])


@pytest.fixture
def clerk(make_user, client_for):
    return client_for(make_user("clerk"))


def nothing_stored(data: bytes) -> bool:
    with transaction() as session:
        counts = [session.scalar(select(func.count()).select_from(model))
                  for model in (BankStatement, BankTransaction, BankAccount)]
    return counts == [0, 0, 0] and not get_blob_store().exists(hashlib.sha256(data).hexdigest())


def refused(client, data: bytes, status: int, error: str, **form) -> dict:
    response = upload(client, data, **form)
    assert (response.status_code, response.json()["error"]) == (status, error), response.text
    return response.json()


def test_xml_that_is_not_well_formed_is_refused_naming_its_line(clerk):
    broken = GOOD.replace(b"</Ntry>", b"</Entry>")
    body = refused(clerk, broken, 422, "InvalidStatement")
    assert body["where"] == "line 2" and "not well formed" in body["detail"]
    assert nothing_stored(broken)


def test_a_camt_message_without_a_statement_is_refused(clerk):
    empty = camt([])
    body = refused(clerk, empty, 422, "InvalidStatement")
    assert body["where"] == "<BkToCstmrStmt>" and "no Stmt element" in body["detail"]
    assert nothing_stored(empty)


def test_a_camt_amount_that_is_no_number_is_refused_naming_the_entry(clerk):
    bad = GOOD.replace(b">10.00</Amt>", b">ten</Amt>")
    body = refused(clerk, bad, 422, "InvalidStatement")
    assert body["where"] == "Stmt 1/Ntry 1/Amt" and "'ten' is not a number" in body["detail"]
    assert nothing_stored(bad)


def test_malformed_mt940_is_refused_naming_its_line_and_field(clerk):
    good = mt940(Account(entries=[Entry(Decimal("10.00")), Entry(Decimal("-2.00"))]))
    broken = good.replace(b":61:260303", b":61:26XX03", 1)
    body = refused(clerk, broken, 422, "InvalidStatement")
    assert body["where"] == "line 5 (:61:)" and "is not a valid :61: field" in body["detail"]
    assert nothing_stored(broken)


def test_an_ofx_line_that_cannot_be_read_refuses_the_whole_file(clerk):
    good = ofx([("bank", Account(entries=[Entry(Decimal("10.00"), bank_reference="F1"),
                                          Entry(Decimal("-3.00"), bank_reference="F2")]))])
    broken = good.replace(b"<TRNAMT>-3.00", b"<TRNAMT>$3")
    body = refused(clerk, broken, 422, "InvalidStatement")
    assert "Invalid Transaction Amount" in body["detail"] and body["where"].endswith("<STMTTRN> FITID F2")
    assert nothing_stored(broken)


def test_a_statement_in_another_currency_than_its_account_is_refused(clerk):
    assert upload(clerk, GOOD).status_code == 201
    dollars = camt([Account(currency="USD", statement_id="S2", entries=[Entry(Decimal("7.00"))])])
    body = refused(clerk, dollars, 422, "InvalidStatement")
    assert f"account {IBAN} is in USD, but the account is kept in EUR" in body["detail"]
    with transaction() as session:
        assert session.scalar(select(func.count()).select_from(BankStatement)) == 1
    assert not get_blob_store().exists(hashlib.sha256(dollars).hexdigest())


def test_one_account_in_two_currencies_in_one_file_and_amounts_finer_than_cents_are_refused(clerk):
    two_currencies = camt([Account(entries=[Entry(Decimal("1.00"))]),
                           Account(currency="USD", statement_id="S2", entries=[Entry(Decimal("2.00"))])])
    body = refused(clerk, two_currencies, 422, "InvalidStatement")
    assert body["where"] == "statement 2" and "is in USD, but the account is kept in EUR" in body["detail"]
    mills = GOOD.replace(b">10.00</Amt>", b">10.005</Amt>")
    body = refused(clerk, mills, 422, "InvalidStatement")
    assert body["where"] == "Stmt 1/Ntry 1" and "more than two decimals" in body["detail"]
    assert nothing_stored(two_currencies) and nothing_stored(mills)


def test_a_file_over_the_size_limit_is_refused_with_413(clerk, monkeypatch):
    monkeypatch.setenv("LEDGERDESK_MAX_STATEMENT_BYTES", "2000")
    get_settings.cache_clear()
    large = camt([Account(entries=[Entry(Decimal(f"{n}.00"), bank_reference=f"R{n}") for n in range(1, 40)])])
    assert len(large) > 2000
    body = refused(clerk, large, 413, "FileTooLarge")
    assert "more than 2,000 bytes" in body["detail"]
    assert nothing_stored(large)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>&lol3;</Id>
</Stmt></BkToCstmrStmt></Document>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>&secret;</Id>
</Stmt></BkToCstmrStmt></Document>"""


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_hostile_xml_is_refused_before_any_entity_is_read(clerk, hostile):
    body = refused(clerk, hostile, 422, "InvalidStatement")
    assert body["where"] == "<!DOCTYPE>" and "DTD" in body["detail"]
    assert nothing_stored(hostile)


def test_files_that_are_no_statement_are_refused_with_415(clerk):
    for data in (b"%PDF-1.7 not a statement", b"<Invoice xmlns='urn:x'/>", b"date;amount\n2026-03-01;5\n"):
        body = refused(clerk, data, 415, "UnsupportedFileType")
        assert "profile=" in body["detail"]
        assert nothing_stored(data)


def test_a_csv_profile_that_does_not_fit_the_file_names_the_row_and_column(clerk):
    profile = {"name": "bank", "columns": {"booking_date": "Date", "amount": "Amount"}, "currency": "EUR",
               "account": IBAN, "date_format": "%d.%m.%Y", "decimal_separator": ","}
    assert clerk.post("/api/v1/csv-profiles", json=profile).status_code == 201
    wrong_date = csv_statement([["01.03.2026", "5,00"], ["2026-03-02", "6,00"]], header=["Date", "Amount"])
    body = refused(clerk, wrong_date, 422, "InvalidStatement", profile="bank")
    assert body["where"] == "row 3, column 'Date'" and "'2026-03-02' is not a date written %d.%m.%Y" in body["detail"]
    missing_column = csv_statement([["01.03.2026", "5,00"]], header=["Datum", "Amount"])
    body = refused(clerk, missing_column, 422, "InvalidStatement", profile="bank")
    assert body["where"] == "row 1" and "there is no column 'Date'" in body["detail"]
    assert nothing_stored(wrong_date) and nothing_stored(missing_column)


def test_an_unknown_profile_and_an_empty_file_are_refused(clerk):
    body = refused(clerk, b"a;b\n1;2\n", 422, "InvalidRequest", profile="nope")
    assert "There is no CSV profile 'nope'" in body["detail"]
    refused(clerk, b"", 422, "EmptyFile")
